"""Who is using the dashboard: sign-in, server-side sessions, throttling and the signed-in ``User``.

Accounts come from etl.users (the local users.yaml, plus the demo-only accounts on a demo
database); passwords are bcrypt hashes. The browser keeps a cookie ``cakupan_sesi`` so a reload
keeps the session: a JWT (HS256, key derived from the installation's secret key) holding a random
session id that etl.users keeps on the server. The cookie is written and deleted through the
cookie component of extra-streamlit-components, rendered only in the run that writes or deletes
it; it is read and checked here, from the request headers (``st.context.cookies``). (The
component's own "read all cookies", rendered on every run as streamlit-authenticator did, ran
every freshly opened page twice: its first report of the browser's cookies is a rerun.) What this
module guarantees:

* **Sessions end on the server**: "Keluar" deletes the session, removing an account or changing
  its password deletes all of its sessions, an idle one ends after ``session_minutes`` (also in
  the file, so after a restart): a copied cookie then opens nothing. Any cookie that is not a
  valid HS256 token of a live session means "signed out", never an error. The cookie is set by
  JavaScript, so it cannot be HttpOnly (a script injected into the page could read it); it is
  SameSite=Strict, Secure when the page came over HTTPS, and worth nothing once the session ends.
* **Throttling that cannot become a lockout**: failed sign-ins are counted per client address and
  per account (``<config dir>/login_attempts.json``, so a restart does not reset them). After
  ``max_failed_logins`` failures the next attempt must wait, the wait doubling with each further
  failure (at most 15 minutes for an address, 1 minute for an account); an attempt made too early
  is refused without checking the password. The account's wait applies only to clients that have
  failed on that account themselves, so the right password from another client works at once.
* **A log** of every attempt in ``<config dir>/login.log`` (mode 600): time, client address,
  username, outcome. Never the password.
* An unknown username costs a bcrypt check like a known one (etl.users.authenticate), so timing
  does not tell which usernames exist.

Interface used by the rest of the dashboard:

* ``authenticate()`` — called by app.py once at the top of every run, before the page list is
  built: checks the session on the server, restores it from the cookie, ends idle sessions,
  renders the "Masuk" form (or the signed-in name and "Keluar") in the sidebar, returns the user.
* ``current_user()`` — cheap, no widgets: the signed-in ``User`` or ``PUBLIC``. Called again by
  dashboard.registry.require at the top of each page.
* ``User.role`` is one of publik, rm, pimpinan, admin; ``rm_id`` is the RM's area for role rm.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from etl import private_files, roles, settings, users

WINDOW_SECONDS = 15 * 60
ADDRESS_MAX_WAIT = 15 * 60
ACCOUNT_MAX_WAIT = 60
COOKIE_NAME = "cakupan_sesi"
_USER_KEY = "cakupan_user"
_ACTIVITY_KEY = "cakupan_last_activity"
_SID_KEY = "cakupan_sid"
_SIGNED_OUT_KEY = "cakupan_signed_out"
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


# -- throttling and the log (no Streamlit needed) ----------------------------------------------

def _attempts_path() -> Path:
    return settings.config_dir() / "login_attempts.json"


def log_path() -> Path:
    return settings.config_dir() / "login.log"


@contextmanager
def _attempts():
    """Failure timestamps per key ("addr:<ip>", "user:<name>", "pair:<ip>|<name>"), locked for
    reading and updating; failures older than the window are forgotten."""
    with users.file_lock(_attempts_path()) as path:
        try:
            data = json.loads(path.read_text()) if path.exists() else {}
        except (json.JSONDecodeError, OSError):
            data = {}
        now = time.time()
        data = {k: [t for t in ts if now - t < WINDOW_SECONDS] for k, ts in data.items()
                if isinstance(ts, list)}
        data = {k: ts for k, ts in data.items() if ts}
        yield data
        private_files.write_private(path, json.dumps(data))


def _keys(username: str, client: str) -> dict[str, str]:
    name, addr = _clean(username), _clean(client or "-")
    return {"addr": f"addr:{addr}", "user": f"user:{name}", "pair": f"pair:{addr}|{name}"}


def _wait(times: list[float], cap: float, now: float) -> float:
    free = int(settings.get("max_failed_logins"))
    if len(times) < free:
        return 0.0
    delay = min(cap, 2.0 ** (len(times) - free))
    return max(0.0, max(times) + delay - now)


def _retry_after(data: dict, username: str, client: str) -> float:
    keys, now = _keys(username, client), time.time()
    wait = _wait(data.get(keys["addr"], []), ADDRESS_MAX_WAIT, now)
    if data.get(keys["pair"]):  # the account's wait only for clients that failed on it
        wait = max(wait, _wait(data.get(keys["user"], []), ACCOUNT_MAX_WAIT, now))
    return wait


def retry_after(username: str, client: str = "") -> float:
    """Seconds before this client may try this username again (0: now)."""
    with _attempts() as data:
        return _retry_after(data, username, client)


def failures(username: str, client: str | None = None) -> int:
    """Recent failures on the account (or of one client address when client is given)."""
    with _attempts() as data:
        keys = _keys(username, client or "")
        return len(data.get(keys["addr"] if client is not None else keys["user"], []))


def _clean(text: str) -> str:
    # Usernames typed by strangers go into a file: keep them short and printable.
    return re.sub(r"[^\w.@:-]", "?", (text or "").strip().lower())[:64]


def log_event(username: str, outcome: str, client: str = "") -> None:
    private_files.append_private(
        log_path(), f"{datetime.now().isoformat(timespec='seconds')}\t{_clean(client or '-')}"
                    f"\t{_clean(username)}\t{outcome}\n")


def check_login(username: str, password: str, db_path=None,
                client: str = "") -> tuple[str, users.Account | None]:
    """Throttled, logged password check: ('ok', account), ('failed', None) or ('throttled', None)
    when this client must wait first (see retry_after); the password is then not checked, so a
    guess made too early learns nothing."""
    if retry_after(username, client) > 0:
        log_event(username, "throttled", client)
        return "throttled", None
    account = users.authenticate(username, password, db_path)
    keys, now = _keys(username, client), time.time()
    with _attempts() as data:
        if account is None:
            for key in keys.values():
                data.setdefault(key, []).append(now)
        else:
            # This client is trusted again; the account's count ages out by itself, so a
            # distributed guesser does not get a clean slate from the owner's sign-in.
            data.pop(keys["addr"], None)
            data.pop(keys["pair"], None)
    log_event(username, "ok" if account else "failed", client)
    return ("ok", account) if account else ("failed", None)


# -- the cookie ---------------------------------------------------------------------------

def _cookie_key() -> str:
    return hashlib.sha256(b"cookie:" + settings.secret_key()).hexdigest()


def make_token(sid: str, minutes: int | None = None) -> str:
    import jwt

    minutes = int(settings.get("session_minutes")) if minutes is None else minutes
    return jwt.encode({"sid": sid, "exp": int(time.time()) + minutes * 60}, _cookie_key(),
                      algorithm="HS256")


def token_session(token) -> str | None:
    """The session id in a cookie value, or None for anything that is not an unexpired HS256
    token signed with our key (alg none, HS512, garbage, the library's old cookies)."""
    import jwt

    if not isinstance(token, str) or not token or len(token) > 4096:
        return None
    try:
        claims = jwt.decode(token, _cookie_key(), algorithms=["HS256"],
                            options={"require": ["exp", "sid"]})
    except Exception:  # every malformed or foreign token is simply "signed out"
        return None
    sid = claims.get("sid")
    return sid if isinstance(sid, str) else None


def account_for_cookie(token, db_path=None) -> users.Account | None:
    """The account a cookie value opens now (None: signed out)."""
    return users.session_account(token_session(token), db_path or _db_path())


# -- Streamlit session --------------------------------------------------------------------

def _db_path() -> str:
    return str(settings.get("db"))


class _CookieWriter:
    """Writes or deletes the session cookie through the browser-side component, which is rendered
    only in a run that calls it (see the module docstring). The component reports back once it
    has done so, which reruns the page: by then the cookie is written, so nothing depends on the
    component staying on the page."""

    def __init__(self) -> None:
        import importlib

        # The module, not the class the package re-exports under the same name.
        component = importlib.import_module("extra_streamlit_components.CookieManager")
        # The library's CookieManager renders "getAll" in its constructor; only its set and
        # delete calls are wanted, so the instance is made without it (pinned version 0.1.81).
        self._manager = component.CookieManager.__new__(component.CookieManager)
        self._manager.cookie_manager, self._manager.cookies = component._component_func, {}

    def set(self, token: str, minutes: int, secure: bool) -> None:
        self._manager.set(COOKIE_NAME, token, key="cakupan_set_cookie",
                          expires_at=datetime.now() + timedelta(minutes=minutes),
                          same_site="strict", secure=True if secure else None)

    def delete(self) -> None:
        try:
            self._manager.delete(COOKIE_NAME, key="cakupan_delete_cookie")
        except KeyError:  # it keeps no list of the browser's cookies; the delete was rendered
            pass


def client_address() -> str:
    """The visitor's address: the connection's, or the one the reverse proxy on this machine
    passed in X-Real-IP (deploy/nginx sets it; a header from anywhere else is not believed)."""
    import streamlit as st

    try:
        peer = st.context.ip_address  # None for a connection from this machine
        forwarded = st.context.headers.get("X-Real-Ip")
    except Exception:  # no browser connection (AppTest, a bare script run)
        peer = forwarded = None
    if isinstance(peer, str) and peer:
        return peer
    try:
        return str(ipaddress.ip_address(forwarded.strip())) if isinstance(forwarded, str) \
            else "127.0.0.1"
    except ValueError:
        return "127.0.0.1"


def _https() -> bool:
    import streamlit as st

    try:
        proto = st.context.headers.get("X-Forwarded-Proto")
        url = st.context.url
    except Exception:
        return False
    return (isinstance(proto, str) and proto.lower() == "https") or \
        (isinstance(url, str) and url.startswith("https:"))


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


def sign_in(account: users.Account, sid: str | None = None) -> User:
    """Put a verified account into the session (after a password check or a cookie)."""
    import streamlit as st

    user = User(account.username, account.name, account.role, account.rm_id)
    st.session_state[_USER_KEY] = user
    st.session_state[_ACTIVITY_KEY] = time.time()
    if sid is not None:
        st.session_state[_SID_KEY] = sid
    st.session_state.pop(_SIGNED_OUT_KEY, None)
    return user


def _end_session(user: User, outcome: str) -> None:
    import streamlit as st

    users.end_session(st.session_state.pop(_SID_KEY, None))
    st.session_state.pop(_USER_KEY, None)
    st.session_state.pop(_ACTIVITY_KEY, None)
    # The cookie this page was opened with is dead now; never restore from it again here.
    st.session_state[_SIGNED_OUT_KEY] = True
    st.session_state["cakupan_delete_cookie"] = True
    log_event(user.username, outcome, client_address())


def authenticate() -> User:
    """Once per run, from app.py: check, restore, expire, and render the sign-in box; the user."""
    import streamlit as st

    user = current_user()
    deleted = False
    if user.signed_in:
        # Check the session on the server every run: signed out elsewhere, the account removed,
        # its password, role or RM area changed, or a demo account whose database is no longer
        # a demo takes effect at once.
        sid = st.session_state.get(_SID_KEY)
        if sid is not None:
            account = users.session_account(sid, _db_path())
        else:
            # A User put in the session state by server code alone (the AppTests do; no browser
            # can write it): the account must still exist, unchanged.
            account = users.accounts(_db_path()).get(user.username)
        if account is None:
            _end_session(user, "revoked")
            user = PUBLIC
        elif (account.role, account.rm_id, account.name) != (user.role, user.rm_id, user.name):
            user = sign_in(account)
    if st.session_state.pop("cakupan_delete_cookie", False):
        _CookieWriter().delete()
        deleted = True
    if not user.signed_in and not st.session_state.get(_SIGNED_OUT_KEY):
        try:
            token = st.context.cookies.get(COOKIE_NAME)
        except Exception:  # no browser connection
            token = None
        sid = token_session(token)
        account = users.session_account(sid, _db_path()) if sid else None
        if account is not None:
            user = sign_in(account, sid)
            log_event(account.username, "cookie", client_address())
    with st.sidebar:
        if user.signed_in:
            st.caption(f"Masuk sebagai **{user.name}** ({roles.label(user.role)}"
                       f"{', wilayah ' + user.rm_id if user.rm_id else ''})")
            if st.button("Keluar", key="cakupan_keluar"):
                _end_session(user, "logout")
                st.session_state.pop("cakupan_delete_cookie", None)
                if not deleted:  # one delete per run: the component's key is unique
                    _CookieWriter().delete()
                user = PUBLIC
        if not user.signed_in:
            user = _login_box()
    return user


def _wait_text(seconds: float) -> str:
    seconds = max(1, int(seconds + 0.999))
    return f"{seconds} detik" if seconds < 120 else f"{(seconds + 59) // 60} menit"


def _login_box() -> User:
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
    client = client_address()
    outcome, account = check_login(username, password, _db_path(), client)
    if outcome == "throttled":
        message.error("Terlalu banyak percobaan gagal dari perangkat ini. Coba lagi dalam "
                      f"{_wait_text(retry_after(username, client))}.")
        return PUBLIC
    if outcome == "failed":
        message.error("Nama pengguna atau kata sandi salah.")
        return PUBLIC
    box.empty()
    sid = users.start_session(account)
    minutes = int(settings.get("session_minutes"))
    _CookieWriter().set(make_token(sid, minutes), minutes, _https())
    user = sign_in(account, sid)
    st.caption(f"Masuk sebagai **{user.name}** ({roles.label(user.role)})")
    return user


def rm_area_filter(user: User) -> str | None:
    """The RM id whose desa a user's data is limited to (None: no limit)."""
    return user.rm_id if user.role == "rm" else None
