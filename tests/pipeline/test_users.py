"""Accounts: the local users file, the CLI, and the demo-only accounts."""

from __future__ import annotations

import stat

import pytest

from etl import users, users_command
from tests.support.helpers import REPO, make_db, run_cli


def test_cli_add_list_remove_writes_only_the_config_dir(isolated_config, db_path):
    before = set(p for p in REPO.rglob("*.yaml") if ".git" not in p.parts)
    res = run_cli("--db", str(db_path), "users", "add", "sari", "--role", "rm", "--rm-id", "RM-01",
                  "--name", "Sari Wulandari", "--password", "rahasia-panjang")
    assert res.returncode == 0, res.stderr
    path = isolated_config / "users.yaml"
    text = path.read_text()
    assert "rahasia-panjang" not in text and "$2b$" in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert set(p for p in REPO.rglob("*.yaml") if ".git" not in p.parts) == before

    listed = run_cli("--db", str(db_path), "users", "list")
    assert "sari" in listed.stdout and "RM-01" in listed.stdout and "$2b$" not in listed.stdout
    assert users.authenticate("sari", "rahasia-panjang", db_path).role == "rm"
    assert users.authenticate("sari", "salah-sandi-nya", db_path) is None

    again = run_cli("--db", str(db_path), "users", "add", "sari", "--role", "admin",
                    "--password", "rahasia-panjang")
    assert again.returncode == 2 and "sudah ada" in again.stderr

    assert run_cli("--db", str(db_path), "users", "remove", "sari").returncode == 0
    assert users.list_users() == []
    assert run_cli("--db", str(db_path), "users", "remove", "sari").returncode == 2


@pytest.mark.parametrize("kwargs, message", [
    ({"username": "x", "password": "panjangsekali", "role": "admin"}, "Nama pengguna"),
    ({"username": "budi", "password": "pendek", "role": "admin"}, "minimal"),
    ({"username": "budi", "password": "panjangsekali", "role": "rm"}, "rm-id"),
    ({"username": "budi", "password": "panjangsekali", "role": "bupati"}, "Peran"),
])
def test_bad_accounts_are_refused(kwargs, message):
    with pytest.raises(users.UserError, match=message):
        users.add_user(**kwargs)


def test_password_prompt_without_echo(monkeypatch, db_path):
    answers = iter(["sandi-rahasia-1", "sandi-rahasia-1"])
    monkeypatch.setattr(users_command.getpass, "getpass", lambda prompt="": next(answers))
    from etl.cli import build_parser

    args = build_parser().parse_args(["users", "add", "andi", "--role", "pimpinan"])
    assert users_command.command(args, db_path) == 0
    assert users.authenticate("andi", "sandi-rahasia-1", db_path).role == "pimpinan"


def test_real_installation_starts_with_no_accounts(db_path):
    make_db(db_path, is_demo=False)
    assert users.accounts(db_path) == {}
    for name, (password, _, _) in users.DEMO_ACCOUNTS.items():
        assert users.authenticate(name, password, db_path) is None


def test_demo_accounts_work_only_on_a_demo_database(tmp_path):
    demo = make_db(tmp_path / "demo.duckdb", is_demo=True)
    real = make_db(tmp_path / "real.duckdb", is_demo=False)
    for name, (password, _, role) in users.DEMO_ACCOUNTS.items():
        account = users.authenticate(name, password, demo)
        assert account is not None and account.role == role and account.demo
        assert users.authenticate(name, password, real) is None
        assert users.authenticate(name, "salah", demo) is None
    # The demo rm sees the first RM area of the demo.
    assert users.authenticate("rm", "rm-demo", demo).rm_id == "RM-01"
    # Nothing about demo accounts is written to the users file.
    assert users.list_users() == []


def test_no_database_means_no_demo_accounts(db_path):
    assert not db_path.exists()
    assert users.authenticate("admin", "admin-demo", db_path) is None
