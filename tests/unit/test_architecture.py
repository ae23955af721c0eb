"""The architecture rules of README's "Layout" hold, so a change cannot quietly undo them:

* import-linter's contracts in ``.importlinter`` (one direction pages -> dashboard -> geo -> etl,
  etl knows no screen, pages import only the dashboard, no cycle between sibling modules);
* no import cycle between ANY two modules of etl, geo, dashboard and pages, counting imports
  written inside functions (grimp, import-linter's graph library, sees those too): an import
  moved into a function to dodge a cycle at start-up is still a cycle for whoever reads the code.
"""

from __future__ import annotations

from pathlib import Path

import grimp
from importlinter import cli

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("etl", "geo", "dashboard", "pages")


def test_import_linter_contracts_are_kept(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert cli.lint_imports(config_filename=str(ROOT / ".importlinter"), no_cache=True) == 0


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_no_import_cycle_between_modules(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.syspath_prepend(str(ROOT))
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    cycles = _cycles(graph)
    assert not cycles, "import cycles (each line one cycle):\n" + "\n".join(
        " <-> ".join(c) for c in cycles)


def test_the_cycle_check_sees_imports_inside_functions(tmp_path, monkeypatch):
    # The check must fail on a cycle hidden in a function body, or it proves nothing.
    package = tmp_path / "cyclepkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from cyclepkg import b\n")
    (package / "b.py").write_text("def late():\n    from cyclepkg import a\n    return a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph("cyclepkg", cache_dir=None)
    assert _cycles(graph) == [["cyclepkg.a", "cyclepkg.b"]]


def test_nothing_imports_the_command_line(monkeypatch):
    # .importlinter lets etl.cli (the composition root) reach geo and dashboard.publish; that is
    # only sound while no library module depends on it.
    monkeypatch.chdir(ROOT)
    monkeypatch.syspath_prepend(str(ROOT))
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    assert graph.find_modules_that_directly_import("etl.cli") <= {"etl.__main__"}


def test_pages_draw_tables_through_the_layout():
    """A table drawn with st.dataframe directly would show an empty cell as Streamlit's grey
    "None" (the "wilayah tidak diketahui" row under coverage and gap); layout.table shows "-"."""
    offenders = [p.name for p in (ROOT / "pages").glob("*.py")
                 if "st.dataframe(" in p.read_text(encoding="utf-8")]
    assert offenders == []
