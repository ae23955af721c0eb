"""Who is using the dashboard: sign-in, sessions, rate limiting and the signed-in ``User``.

Sign-in uses streamlit-authenticator 0.4.2 (bcrypt hashes, a signed JWT cookie so a reload keeps
the session; it works offline). Accounts come from etl.users (the local users.yaml, plus the
demo-only accounts on a demo database). Around the library this module adds what it lacks:

* **Rate limiting that survives a restart**: failed logins per username are kept in
  ``<config dir>/login_attempts.json``; after ``max_failed_logins`` failures within 15 minutes
  the username is refused (even with the right password) until the window has passed.
* **A log** of every attempt in ``<config dir>/login.log``: time, username, outcome. Never the
  password.
* **Expiry**: the cookie lives ``session_minutes`` after sign-in, and the server ends a session
  idle for longer than ``session_minutes`` (last activity kept in the session state).

Interface used by the rest of the dashboard:

* ``authenticate()`` — called by app.py once at the top of every run, before the page list is
  built: restores the session from the cookie, ends idle sessions, renders the "Masuk" form (or
  the signed-in name and "Keluar") in the sidebar, and returns the user.
* ``current_user()`` — cheap, no widgets: the signed-in ``User`` or ``PUBLIC``. Called again by
  dashboard.registry.require at the top of each page.
* ``User.role`` is one of publik, rm, pimpinan, admin; ``rm_id`` is the RM's area for role rm.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from etl import settings, users

WINDOW_SECONDS = 15 * 60
COOKIE_NAME = "cakupan_sesi"
_USER_KEY = "cakupan_user"
_ACTIVITY_KEY = "cakupan_last_activity"
_AUTHENTICATOR_KEY = "cakupan_authenticator"
_NOTICE_KEY = "cakupan_auth_notice"


@dataclass(frozen=True)
class User:
    username: str
    name: str
    role: str               # publik, rm, pimpinan, admin
    rm_id: str | None = None

    @property
    def signed_in(self) -> bool:
        return self.role != "publik"


PUBLIC = User(username="", name="Publik", role="publik")


# -- rate limiting and the log (no Streamlit needed) ------------------------------------------

def _attempts_path() -> Path:
    return settings.config_dir() / "login_attempts.json"


def log_path() -> Path:
    return settings.config_dir() / "login.log"


@contextmanager
def _attempts():
    """The failure timestamps per username, locked for reading and updating."""
    with users.file_lock(_attempts_path()) as path:
        try:
            data = json.loads(path.read_text()) if path.exists() else {}
        except (json.JSONDecodeError, OSError):
            data = {}
        now = time.time()
        data = {u: [t for t in ts if now - t < WINDOW_SECONDS] for u, ts in data.items()}
        data = {u: ts for u, ts in data.items() if ts}
        yield data
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(data))
        os.replace(tmp, path)


def failures(username: str) -> int:
    with _attempts() as data:
        return len(data.get(_clean(username), []))


def is_locked(username: str) -> bool:
    return failures(username) >= int(settings.get("max_failed_logins"))


def _record(username: str, ok: bool) -> None:
    with _attempts() as data:
        key = _clean(username)
        if ok:
            data.pop(key, None)
        else:
            data.setdefault(key, []).append(time.time())


def _clean(username: str) -> str:
    # Usernames typed by strangers go into a file: keep them short and printable.
    return re.sub(r"[^\w.@-]", "?", (username or "").strip().lower())[:64]


def log_event(username: str, outcome: str) -> None:
    path = log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(f"{datetime.now().isoformat(timespec='seconds')}\t{_clean(username)}\t{outcome}\n")


def check_login(username: str, password: str, db_path=None) -> tuple[str, users.Account | None]:
    """Rate-limited, logged password check: ('ok', account), ('failed', None), ('locked', None).

    The lock is tested before the password, so a locked username learns nothing from a guess.
    """
    if is_locked(username):
        log_event(username, "locked")
        return "locked", None
    account = users.authenticate(username, password, db_path)
    _record(username, account is not None)
    log_event(username, "ok" if account else "failed")
    return ("ok", account) if account else ("failed", None)


# -- Streamlit session --------------------------------------------------------------------

def _db_path() -> str:
    return str(settings.get("db"))


def _cookie_key() -> str:
    return hashlib.sha256(b"cookie:" + settings.secret_key()).hexdigest()


def credentials(db_path=None) -> dict:
    """Accounts in the library's credentials format (hashes only)."""
    return {"usernames": {
        a.username: {"name": a.name, "password": a.password_hash, "roles": [a.role],
                     "rm_id": a.rm_id, "email": None}
        for a in users.accounts(db_path or _db_path()).values()}}


def _authenticator():
    import streamlit_authenticator as stauth

    return stauth.Authenticate(
        credentials(), cookie_name=COOKIE_NAME, cookie_key=_cookie_key(),
        cookie_expiry_days=int(settings.get("session_minutes")) / (24 * 60),
        auto_hash=False, login_sleep_time=0)


def current_user() -> User:
    """The signed-in user, or PUBLIC. No widgets; ends a session idle for too long."""
    import streamlit as st

    user = st.session_state.get(_USER_KEY)
    if not isinstance(user, User):
        return PUBLIC
    now = time.time()
    last = st.session_state.get(_ACTIVITY_KEY, now)
    if now - last > int(settings.get("session_minutes")) * 60:
        _end_session(user, "expired")
        st.session_state[_NOTICE_KEY] = "Sesi berakhir karena tidak aktif. Silakan masuk lagi."
        return PUBLIC
    st.session_state[_ACTIVITY_KEY] = now
    return user


def sign_in(account: users.Account) -> User:
    """Put a verified account into the session (used after a password check or a cookie)."""
    import streamlit as st

    user = User(account.username, account.name, account.role, account.rm_id)
    st.session_state[_USER_KEY] = user
    st.session_state[_ACTIVITY_KEY] = time.time()
    return user


def _end_session(user: User, outcome: str) -> None:
    import streamlit as st

    st.session_state.pop(_USER_KEY, None)
    st.session_state.pop(_ACTIVITY_KEY, None)
    # The library's keys: signed out, and no silent re-login from the cookie in this session.
    for key in ("authentication_status", "username", "name", "roles", "email"):
        st.session_state[key] = None
    st.session_state["logout"] = True
    st.session_state["cakupan_delete_cookie"] = True
    log_event(user.username, outcome)


def authenticate() -> User:
    """Once per run, from app.py: restore, expire, and render the sign-in box; the user."""
    import streamlit as st

    authenticator = _authenticator()
    st.session_state[_AUTHENTICATOR_KEY] = authenticator
    user = current_user()
    if user.signed_in:
        # Re-check the account every run: a removed account, a changed role or RM area, or a demo
        # account whose database is no longer a demo takes effect at once.
        account = users.accounts(_db_path()).get(user.username)
        if account is None:
            _end_session(user, "revoked")
            user = PUBLIC
        elif (account.role, account.rm_id, account.name) != (user.role, user.rm_id, user.name):
            user = sign_in(account)
    if st.session_state.pop("cakupan_delete_cookie", False):
        authenticator.cookie_controller.delete_cookie()
    if not user.signed_in:
        # The library's "login on every run": restores a session from a valid cookie. A cookie
        # of an account that no longer exists (removed, or a demo account on a real database)
        # is refused by the library with LoginError: the visitor is simply not signed in.
        from streamlit_authenticator.utilities import LoginError

        try:
            authenticator.login(location="unrendered")
        except LoginError:
            st.session_state["authentication_status"] = None
        if st.session_state.get("authentication_status"):
            account = users.accounts(_db_path()).get(st.session_state.get("username") or "")
            if account is not None:
                user = sign_in(account)
                log_event(account.username, "cookie")
    with st.sidebar:
        if user.signed_in:
            st.caption(f"Masuk sebagai **{user.name}** ({users.ROLE_LABELS[user.role]}"
                       f"{', wilayah ' + user.rm_id if user.rm_id else ''})")
            if st.button("Keluar", key="cakupan_keluar"):
                authenticator.authentication_controller.logout()
                authenticator.cookie_controller.delete_cookie()
                _end_session(user, "logout")
                user = PUBLIC
        if not user.signed_in:
            user = _login_box(authenticator)
    return user


def _login_box(authenticator) -> User:
    import streamlit as st

    notice = st.session_state.pop(_NOTICE_KEY, None)
    box = st.empty()
    with box.container():
        with st.expander("Masuk (staf)", expanded=bool(notice)):
            if notice:
                st.info(notice)
            with st.form("cakupan_masuk", clear_on_submit=True):
                username = st.text_input("Nama pengguna", autocomplete="username")
                password = st.text_input("Kata sandi", type="password",
                                         autocomplete="current-password")
                submitted = st.form_submit_button("Masuk")
            message = st.empty()
    if not submitted:
        return PUBLIC
    outcome, account = check_login(username, password, _db_path())
    if outcome == "locked":
        message.error("Terlalu banyak percobaan gagal untuk nama pengguna ini. Coba lagi "
                      "dalam 15 menit.")
        return PUBLIC
    if outcome == "failed":
        message.error("Nama pengguna atau kata sandi salah.")
        return PUBLIC
    # Mirror the library's session keys so its cookie and logout work as designed.
    st.session_state.update({"authentication_status": True, "username": account.username,
                             "name": account.name, "roles": [account.role], "logout": None})
    box.empty()
    authenticator.cookie_controller.set_cookie()
    user = sign_in(account)
    st.caption(f"Masuk sebagai **{user.name}** ({users.ROLE_LABELS[user.role]})")
    return user


def rm_area_filter(user: User) -> str | None:
    """The RM id whose desa a user's data is limited to (None: no limit)."""
    return user.rm_id if user.role == "rm" else None
