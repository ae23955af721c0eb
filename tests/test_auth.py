"""Sign-in: the password check, rate limiting that survives a restart, the log, session expiry,
and the sign-in box as a visitor uses it (AppTest)."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth
from etl import users
from tests.helpers import REPO
from tests.test_users import make_db


@pytest.fixture
def demo_db(tmp_path, monkeypatch):
    path = make_db(tmp_path / "demo.duckdb", is_demo=True)
    monkeypatch.setenv("CAKUPAN_DB", str(path))
    return path


@pytest.fixture
def real_db(tmp_path, monkeypatch):
    path = make_db(tmp_path / "real.duckdb", is_demo=False)
    monkeypatch.setenv("CAKUPAN_DB", str(path))
    return path


def test_failed_logins_lock_the_username_even_with_the_right_password(demo_db, monkeypatch):
    monkeypatch.setenv("CAKUPAN_MAX_FAILED_LOGINS", "3")
    for _ in range(3):
        assert auth.check_login("pimpinan", "tebakan", demo_db) == ("failed", None)
    assert auth.check_login("pimpinan", "pimpinan-demo", demo_db) == ("locked", None)
    # Other usernames are not affected.
    assert auth.check_login("admin", "admin-demo", demo_db)[0] == "ok"


def test_lock_survives_a_restart_and_ends_after_the_window(demo_db, monkeypatch, isolated_config):
    monkeypatch.setenv("CAKUPAN_MAX_FAILED_LOGINS", "2")
    auth.check_login("rm", "x", demo_db)
    auth.check_login("rm", "y", demo_db)
    # A new process (a restarted dashboard) still refuses the username.
    out = subprocess.run([sys.executable, "-c",
                          "from dashboard import auth; print(auth.is_locked('rm'))"],
                         cwd=REPO, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "True", out.stderr
    # 15 minutes later the failures have aged out.
    real_time = time.time
    monkeypatch.setattr(auth.time, "time", lambda: real_time() + auth.WINDOW_SECONDS + 1)
    assert not auth.is_locked("rm")
    assert auth.check_login("rm", "rm-demo", demo_db)[0] == "ok"


def test_success_resets_the_failure_count(demo_db):
    auth.check_login("admin", "x", demo_db)
    assert auth.failures("admin") == 1
    assert auth.check_login("admin", "admin-demo", demo_db)[0] == "ok"
    assert auth.failures("admin") == 0


def test_log_has_time_username_outcome_and_never_the_password(demo_db):
    auth.check_login("pimpinan", "Rahasia-Sekali-123", demo_db)
    auth.check_login("pimpinan", "pimpinan-demo", demo_db)
    lines = auth.log_path().read_text().splitlines()
    assert [ln.split("\t")[1:] for ln in lines] == [["pimpinan", "failed"], ["pimpinan", "ok"]]
    assert all(len(ln.split("\t")[0]) == 19 for ln in lines)   # ISO time to the second
    text = auth.log_path().read_text()
    assert "Rahasia-Sekali-123" not in text and "pimpinan-demo" not in text


def test_hostile_username_cannot_forge_log_lines(demo_db):
    auth.check_login("evil\n2026-01-01T00:00:00\tadmin\tok", "x", demo_db)
    lines = auth.log_path().read_text().splitlines()
    assert len(lines) == 1 and lines[0].endswith("\tfailed")


def _app():
    import streamlit as st

    from dashboard import auth

    user = auth.authenticate()
    st.markdown(f"ROLE={user.role} RM={user.rm_id}")


def _role(at: AppTest) -> str:
    return [m.value for m in at.markdown if m.value.startswith("ROLE=")][-1]


def _sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.sidebar.text_input[0].input(username)
    at.sidebar.text_input[1].input(password)
    at.sidebar.button[0].click()
    return at.run()


def test_visitor_is_public_and_signs_in_through_the_sidebar(demo_db):
    at = AppTest.from_function(_app, default_timeout=30).run()
    assert not at.exception
    assert _role(at) == "ROLE=publik RM=None"
    _sign_in(at, "rm", "rm-demo")
    assert not at.exception
    assert _role(at) == "ROLE=rm RM=RM-01"
    # The next interaction keeps the session.
    at.run()
    assert _role(at) == "ROLE=rm RM=RM-01"
    # Sign out.
    [b for b in at.sidebar.button if b.label == "Keluar"][0].click()
    at.run()
    assert _role(at) == "ROLE=publik RM=None"


def test_demo_password_is_refused_on_a_real_database(real_db):
    at = AppTest.from_function(_app, default_timeout=30).run()
    _sign_in(at, "admin", "admin-demo")
    assert _role(at) == "ROLE=publik RM=None"
    assert any("salah" in e.value for e in at.sidebar.error)


def test_real_account_signs_in_on_a_real_database(real_db):
    users.add_user("dinas", "kata-sandi-dinas", "admin", name="Admin Dinas")
    at = AppTest.from_function(_app, default_timeout=30).run()
    _sign_in(at, "dinas", "kata-sandi-dinas")
    assert _role(at) == "ROLE=admin RM=None"


def test_locked_user_sees_the_lock_message(demo_db, monkeypatch):
    monkeypatch.setenv("CAKUPAN_MAX_FAILED_LOGINS", "1")
    auth.check_login("admin", "salah", demo_db)
    at = AppTest.from_function(_app, default_timeout=30).run()
    _sign_in(at, "admin", "admin-demo")
    assert _role(at) == "ROLE=publik RM=None"
    assert any("Terlalu banyak" in e.value for e in at.sidebar.error)


def test_idle_session_expires(demo_db, monkeypatch):
    monkeypatch.setenv("CAKUPAN_SESSION_MINUTES", "1")
    at = AppTest.from_function(_app, default_timeout=30).run()
    _sign_in(at, "pimpinan", "pimpinan-demo")
    assert _role(at) == "ROLE=pimpinan RM=None"
    at.session_state["cakupan_last_activity"] = time.time() - 61
    at.run()
    assert _role(at) == "ROLE=publik RM=None"
    assert any("tidak aktif" in i.value for i in at.sidebar.info)
    assert auth.log_path().read_text().splitlines()[-1].endswith("\tpimpinan\texpired")


def test_removed_account_loses_its_open_session(real_db):
    users.add_user("dinas", "kata-sandi-dinas", "admin", name="Admin Dinas")
    at = AppTest.from_function(_app, default_timeout=30).run()
    _sign_in(at, "dinas", "kata-sandi-dinas")
    assert _role(at) == "ROLE=admin RM=None"
    users.remove_user("dinas")
    at.run()
    assert _role(at) == "ROLE=publik RM=None"
    assert auth.log_path().read_text().splitlines()[-1].endswith("\tdinas\trevoked")
