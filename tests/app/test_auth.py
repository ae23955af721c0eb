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
from tests.support.helpers import REPO, make_db


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


ATTACKER, OFFICE = "10.0.0.66", "10.0.0.7"


def _later(monkeypatch, seconds: float) -> None:
    real_time = time.time
    monkeypatch.setattr(auth.time, "time", lambda: real_time() + seconds)


def test_failures_throttle_the_client_with_growing_delays(demo_db, monkeypatch):
    monkeypatch.setenv("CAKUPAN_MAX_FAILED_LOGINS", "3")
    for _ in range(3):
        assert auth.check_login("pimpinan", "tebakan", demo_db, ATTACKER) == ("failed", None)
    # Too early: refused without looking at the password, even the right one.
    assert auth.check_login("pimpinan", "pimpinan-demo", demo_db, ATTACKER) == ("throttled", None)
    assert 0 < auth.retry_after("pimpinan", ATTACKER) <= 1
    _later(monkeypatch, 1.5)
    assert auth.check_login("pimpinan", "tebakan", demo_db, ATTACKER) == ("failed", None)
    assert 1 < auth.retry_after("pimpinan", ATTACKER) <= 2   # the wait doubles
    # The address is throttled for every username it tries.
    assert auth.retry_after("admin", ATTACKER) > 0
    assert auth.check_login("admin", "admin-demo", demo_db, ATTACKER) == ("throttled", None)


def test_an_attacker_cannot_lock_the_owner_out(demo_db, monkeypatch):
    monkeypatch.setenv("CAKUPAN_MAX_FAILED_LOGINS", "3")
    for i in range(12):  # from many addresses, so no address of its own is throttled
        assert auth.check_login("admin", f"tebakan-{i}", demo_db, f"10.0.1.{i}")[0] == "failed"
    # From one address too.
    for i in range(5):
        auth.check_login("admin", f"tebakan-{i}", demo_db, ATTACKER)
    assert auth.failures("admin") >= 10
    # The owner, from the office, with the right password: in at once.
    assert auth.check_login("admin", "admin-demo", demo_db, OFFICE)[0] == "ok"
    # A client that failed on the account waits the account's delay too, never more than a minute.
    assert auth.retry_after("admin", "10.0.1.11") <= auth.ACCOUNT_MAX_WAIT


def test_throttling_survives_a_restart_and_ends_after_the_window(demo_db, monkeypatch):
    monkeypatch.setenv("CAKUPAN_MAX_FAILED_LOGINS", "2")
    auth.check_login("rm", "x", demo_db, ATTACKER)
    auth.check_login("rm", "y", demo_db, ATTACKER)
    # A new process (a restarted dashboard) still throttles the address.
    out = subprocess.run([sys.executable, "-c",
                          f"from dashboard import auth; print(auth.retry_after('rm', '{ATTACKER}') > 0)"],
                         cwd=REPO, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "True", out.stderr
    _later(monkeypatch, auth.WINDOW_SECONDS + 1)
    assert auth.retry_after("rm", ATTACKER) == 0
    assert auth.check_login("rm", "rm-demo", demo_db, ATTACKER)[0] == "ok"


def test_success_resets_the_clients_failure_count(demo_db):
    auth.check_login("admin", "x", demo_db, OFFICE)
    assert auth.failures("admin", OFFICE) == 1
    assert auth.check_login("admin", "admin-demo", demo_db, OFFICE)[0] == "ok"
    assert auth.failures("admin", OFFICE) == 0


def test_unknown_username_costs_a_bcrypt_check_like_a_known_one(real_db):
    users.add_user("dinas", "kata-sandi-dinas", "admin")

    def timed(name: str) -> float:
        start = time.perf_counter()
        assert users.authenticate(name, "salah-sekali", real_db) is None
        return time.perf_counter() - start

    timed("tidak-ada")  # the dummy hash is made once per process
    known, unknown = [], []
    for _ in range(4):                       # interleaved, so machine load hits both alike
        known.append(timed("dinas"))
        unknown.append(timed("tidak-ada"))
    assert min(known) > 0.02                 # a real bcrypt check (cost 12), not a shortcut
    assert 0.25 < min(unknown) / min(known) < 4, (known, unknown)
    # The same work by construction: the dummy hash has the cost of a real account's hash.
    real = users.load_users()["dinas"].password_hash
    assert users._dummy_hash()[:7] == real[:7]


def test_log_has_time_client_username_outcome_and_never_the_password(demo_db):
    auth.check_login("pimpinan", "Rahasia-Sekali-123", demo_db, ATTACKER)
    auth.check_login("pimpinan", "pimpinan-demo", demo_db, OFFICE)
    lines = auth.log_path().read_text().splitlines()
    assert [ln.split("\t")[1:] for ln in lines] == [[ATTACKER, "pimpinan", "failed"],
                                                     [OFFICE, "pimpinan", "ok"]]
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


def test_throttled_client_sees_the_wait_message(demo_db, monkeypatch):
    monkeypatch.setenv("CAKUPAN_MAX_FAILED_LOGINS", "1")
    for _ in range(6):   # the wait doubles to 32 s: longer than a slow AppTest run
        with auth._attempts() as data:
            for key in auth._keys("admin", "127.0.0.1").values():  # AppTest's address
                data.setdefault(key, []).append(time.time())
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


# -- sessions end on the server ---------------------------------------------------------------

def _cookie_calls(at: AppTest) -> list[str]:
    """What the cookie component was asked to do in the last run ("set", "delete", "getAll")."""
    import json

    return [json.loads(c.proto.json_args).get("method") for c in at.get("component_instance")
            if "cookie_manager" in c.proto.component_name]


def test_the_cookie_component_is_drawn_only_when_the_cookie_changes(demo_db):
    """Drawn on every run, the component's first report of the browser's cookies reran every
    freshly opened page (a reload cost two script runs): it is drawn to write the cookie at
    sign-in and to delete it at sign-out, and on no other run."""
    at = AppTest.from_function(_app, default_timeout=30).run()
    assert _cookie_calls(at) == []                  # a visitor: nothing to write
    _sign_in(at, "pimpinan", "pimpinan-demo")
    assert _cookie_calls(at) == ["set"]
    at.run()
    assert _cookie_calls(at) == []                  # every later run of the session
    [b for b in at.sidebar.button if b.label == "Keluar"][0].click()
    at.run()
    assert _cookie_calls(at) == ["delete"]
    at.run()
    assert _cookie_calls(at) == []


def _signed_in_token(username: str, password: str) -> tuple[AppTest, str]:
    at = AppTest.from_function(_app, default_timeout=30).run()
    _sign_in(at, username, password)
    assert _role(at).startswith(f"ROLE={users.accounts()[username].role}")
    at.run()
    # The cookie the browser got: a JWT around the server-side session id.
    return at, auth.make_token(at.session_state["cakupan_sid"])


def _opens_in_new_process(token: str) -> str:
    out = subprocess.run([sys.executable, "-c",
                          "import sys; from dashboard import auth; "
                          "a = auth.account_for_cookie(sys.argv[1]); print(a.username if a else '-')",
                          token], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_copied_cookie_stops_working_at_sign_out_also_after_a_restart(demo_db):
    at, token = _signed_in_token("admin", "admin-demo")
    assert auth.account_for_cookie(token).username == "admin"
    assert _opens_in_new_process(token) == "admin"     # a restart keeps a live session
    [b for b in at.sidebar.button if b.label == "Keluar"][0].click()
    at.run()
    assert _role(at) == "ROLE=publik RM=None"
    assert auth.account_for_cookie(token) is None
    assert _opens_in_new_process(token) == "-"


def test_password_change_and_removal_end_every_session(real_db):
    users.add_user("dinas", "kata-sandi-dinas", "admin")
    at, token = _signed_in_token("dinas", "kata-sandi-dinas")
    _, other = _signed_in_token("dinas", "kata-sandi-dinas")   # a second browser
    users.set_password("dinas", "kata-sandi-baru")
    assert auth.account_for_cookie(token) is None and auth.account_for_cookie(other) is None
    at.run()
    assert _role(at) == "ROLE=publik RM=None"      # the open page too, at its next rerun
    _, token = _signed_in_token("dinas", "kata-sandi-baru")
    users.remove_user("dinas")
    assert auth.account_for_cookie(token) is None
    users.add_user("dinas", "kata-sandi-dinas", "admin")   # same name again: still not in
    assert auth.account_for_cookie(token) is None


def test_password_change_from_the_cli_ends_sessions(real_db):
    from tests.support.helpers import run_cli

    users.add_user("dinas", "kata-sandi-dinas", "admin")
    _, token = _signed_in_token("dinas", "kata-sandi-dinas")
    out = run_cli("--db", str(real_db), "users", "password", "dinas", "--password", "sandi-baru-123")
    assert out.returncode == 0, out.stderr
    assert auth.account_for_cookie(token) is None


def test_idle_session_ends_on_the_server(demo_db, monkeypatch):
    monkeypatch.setenv("CAKUPAN_SESSION_MINUTES", "1")
    _, token = _signed_in_token("pimpinan", "pimpinan-demo")
    real_time = time.time
    monkeypatch.setattr(users.time, "time", lambda: real_time() + 61)
    assert auth.account_for_cookie(token) is None


def _forged(claims: dict, key: str, algorithm: str) -> str:
    import jwt

    return jwt.encode(claims, key, algorithm=algorithm)


def test_foreign_or_malformed_cookies_mean_signed_out(demo_db):
    import base64
    import json

    _, token = _signed_in_token("admin", "admin-demo")
    sid = auth.token_session(token)
    key = auth._cookie_key()
    far = int(time.time()) + 3600

    def b64(d: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(d).encode()).decode().rstrip("=")

    forged = [
        b64({"alg": "none", "typ": "JWT"}) + "." + b64({"sid": sid, "exp": far}) + ".",
        _forged({"sid": sid, "exp": far}, key, "HS512"),
        _forged({"sid": sid, "exp": far}, "another-key", "HS256"),
        _forged({"sid": sid, "exp": int(time.time()) - 10}, key, "HS256"),   # expired
        _forged({"username": "admin", "exp_date": far}, key, "HS256"),        # the old library cookie
        _forged({"sid": 12345, "exp": far}, key, "HS256"),
        "not-a-token", "", "a.b.c", "x" * 10_000, None,
    ]
    for value in forged:
        assert auth.account_for_cookie(value) is None, value
    assert auth.account_for_cookie(token).username == "admin"


def test_session_file_holds_no_usable_session_id_and_is_private(demo_db):
    _, token = _signed_in_token("admin", "admin-demo")
    path = users.sessions_path()
    assert auth.token_session(token) not in path.read_text()
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert auth.log_path().stat().st_mode & 0o777 == 0o600


def test_browser_cannot_clear_everyones_cache():
    """Streamlit's "clear cache" websocket message (any visitor can send it) clears nothing."""
    import streamlit as st
    from streamlit.runtime.app_session import AppSession

    from dashboard import hardening

    calls = []

    @st.cache_data
    def cached(x):
        calls.append(x)
        return x

    cached(1)
    hardening.apply()
    AppSession._handle_clear_cache_request(object())
    cached(1)
    assert calls == [1]
