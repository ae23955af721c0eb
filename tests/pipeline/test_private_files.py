"""Files that hold personal data or logs are created mode 600, their folders 700."""

from __future__ import annotations

import os

from etl import private_files
from tests.support.helpers import row, run_cli, write_csv


def _mode(path) -> int:
    return os.stat(path).st_mode & 0o777


def test_cli_load_and_accounts_are_private(tmp_path, isolated_config):
    os.chmod(tmp_path, 0o755)
    src = write_csv(tmp_path / "form.csv", [row()])
    db = tmp_path / "data" / "cakupan.duckdb"
    out = run_cli("--db", str(db), "load", "registrations", str(src))
    assert out.returncode == 0, out.stderr
    assert _mode(db) == 0o600 and _mode(db.parent) == 0o700
    out = run_cli("--db", str(db), "users", "add", "dinas", "--role", "admin",
                  "--password", "kata-sandi-dinas")
    assert out.returncode == 0, out.stderr
    assert _mode(isolated_config) == 0o700
    assert _mode(isolated_config / "users.yaml") == 0o600
    out = run_cli("--db", str(db), "export", "quarantine")
    assert _mode(isolated_config / "access.log") == 0o600


def test_demo_input_files_with_full_niks_are_private(tmp_path):
    files = tmp_path / "files"
    out = run_cli("--db", str(tmp_path / "demo.duckdb"), "demo", "--scale", "0.02",
                  "--files-dir", str(files))
    assert out.returncode == 0, out.stderr
    written = list(files.iterdir())
    assert written and all(_mode(p) == 0o600 for p in written)
    assert _mode(files) == 0o700


def test_helpers_create_private_files(tmp_path):
    log = private_files.append_private(tmp_path / "logs" / "a.log", "x\n")
    data = private_files.write_private(tmp_path / "logs" / "b.json", "{}")
    assert _mode(log) == _mode(data) == 0o600 and _mode(log.parent) == 0o700
