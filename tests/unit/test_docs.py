"""The README documents what a user can set and run (the datasette practice)."""

from __future__ import annotations

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
