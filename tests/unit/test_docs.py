"""The documentation matches the code: the README documents what a user can set and run (the
datasette practice), and every rule the code cites is in docs/rules.md."""

from __future__ import annotations

from pathlib import Path

from etl import settings
from etl.cli import build_parser
from tests.support.helpers import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_in_the_readme():
    missing = [s.name for s in settings.SETTINGS if f"| `{s.name}` |" not in README]
    assert not missing, f"settings missing from the README table: {missing}"


def test_every_cli_command_is_in_the_readme():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # argparse keeps them here
    missing = [name for name in commands if f"python -m etl {name}" not in README
               and f" {name} " not in README]
    assert not missing, missing


def test_readme_gives_the_two_commands_that_ci_runs():
    assert "make demo" in README and "make test" in README
    ci = (REPO / ".ci" / "run").read_text()
    assert "make test" in ci


def test_every_rules_section_cited_in_the_code_exists():
    """A docstring or comment citing ``docs/rules.md §n`` (or a range ``§6-§7``) points at a
    ``## §n`` heading of docs/rules.md."""
    import re

    rules = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    sections = set(re.findall(r"^## §(\w+) ", rules, flags=re.MULTILINE))
    cited: dict[str, set[str]] = {}
    for folder in ("etl", "geo", "dashboard", "pages", "tests"):
        for path in sorted((REPO / folder).rglob("*")):
            if path.suffix not in (".py", ".sql", ".md", ".toml") or path == Path(__file__):
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            for first, last in re.findall(r"docs/rules\.md §(\w+)(?:-§(\w+))?", text):
                for section in filter(None, (first, last)):
                    cited.setdefault(section, set()).add(str(path.relative_to(REPO)))
    assert cited, "no citation of docs/rules.md found: the pattern is wrong"
    missing = {s: sorted(files) for s, files in cited.items() if s not in sections}
    assert not missing, f"sections cited but not in docs/rules.md: {missing}"
