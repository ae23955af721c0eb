"""The tests' own layout: every test module sits in the folder of its kind, and none imports
another test module (shared fixtures live in conftest.py, shared helpers in tests/support), so a
test module can be moved, renamed or deleted without breaking another."""

from __future__ import annotations

import ast

from tests.support.helpers import TESTS

KINDS = {"unit", "pipeline", "app", "e2e"}


def imports_of_test_modules(source: str) -> list[str]:
    """Modules a source imports that are test modules (test_*.py) or a conftest, at any depth
    (imports inside functions count too)."""
    def is_test_module(name: str) -> bool:
        return any(p.startswith("test_") or p == "conftest" for p in name.split("."))

    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if is_test_module(alias.name)]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if is_test_module(module):
                found.append(module)
            else:
                # `from . import test_x` and `from tests.unit import test_x` name it here.
                found += [f"{module}.{alias.name}".strip(".") for alias in node.names
                          if is_test_module(alias.name)]
    return sorted(set(found))


def test_the_check_sees_every_form_of_import():
    source = "\n".join([
        "from tests.test_users import make_db",
        "import test_export_coverage",
        "from . import test_public_privacy",
        "from tests.unit import test_maps",
        "from conftest import shared_geo",
        "def later():",
        "    from tests.pipeline.test_marts import check_invariants",
        "from tests.support.helpers import REPO",
        "import pytest",
    ])
    assert imports_of_test_modules(source) == [
        "conftest", "test_export_coverage", "test_public_privacy", "tests.pipeline.test_marts",
        "tests.test_users", "tests.unit.test_maps"]


def test_no_module_under_tests_imports_a_test_module():
    offenders = {}
    for path in sorted(TESTS.rglob("*.py")):
        found = imports_of_test_modules(path.read_text(encoding="utf-8"))
        if found:
            offenders[str(path.relative_to(TESTS))] = found
    assert offenders == {}, ("move what these share into a conftest.py (fixtures) or "
                             f"tests/support (helpers): {offenders}")


def test_every_test_module_is_in_the_folder_of_its_kind():
    modules = sorted(TESTS.rglob("test_*.py"))
    assert len(modules) > 50
    misplaced = [str(p.relative_to(TESTS)) for p in modules
                 if p.relative_to(TESTS).parts[0] not in KINDS]
    assert misplaced == []
