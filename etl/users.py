"""Dashboard accounts: who may sign in, with which role, and the demo-only accounts.

Owns ``<config dir>/users.yaml`` (etl.settings.config_dir(); never in the repository): one entry
per username with its name, role (etl.roles.ACCOUNT_ROLES), RM area id for role rm, and a bcrypt
hash of the password. The file is written atomically with mode 600 under a lock, so the CLI
(``python -m etl users add|list|remove|password``, etl.users_command) and the admin page can both
change it. This module prints nothing: the command line's text is etl.users_command's.

Also owns the **server-side sessions** (``<config dir>/sessions.json``, mode 600): a sign-in
creates a random session id, which the dashboard's cookie carries; the file keeps only its
SHA-256, the username, a fingerprint of the password hash and the times. Signing out deletes the
session; removing an account or changing its password deletes all of the account's sessions (and
a changed password no longer matches the fingerprint even if the file were restored), so a
copied cookie stops working at once, also after a restart. Idle sessions end after
``session_minutes``.

A real installation starts with no accounts. A *demo* database (meta.database.is_demo) alone adds
three accounts, ``rm`` / ``pimpinan`` / ``admin`` with passwords ``rm-demo`` / ``pimpinan-demo``
/ ``admin-demo``: they are never written to the file and exist only while the open database is a
demo, so they can never open a real database. The demo rm gets the first RM area of the demo.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import secrets
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import bcrypt
import yaml

from . import db, private_files, roles, settings

# The roles an account can hold and their labels are etl.roles'; these names stay for the
# dashboard's callers.
ROLES = roles.ACCOUNT_ROLES
ROLE_LABELS = roles.LABELS
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
MIN_PASSWORD = 8
# Demo-only accounts: username -> (password, display name, role). Public knowledge by design.
DEMO_ACCOUNTS = {
    "rm": ("rm-demo", "RM Demo", "rm"),
    "pimpinan": ("pimpinan-demo", "Pimpinan Demo", "pimpinan"),
    "admin": ("admin-demo", "Admin Demo", "admin"),
}


class UserError(ValueError):
    """A user request that cannot be carried out (message in Indonesian)."""


@dataclass(frozen=True)
class Account:
    username: str
    name: str
    role: str
    rm_id: str | None
    password_hash: str
    demo: bool = False


def users_path() -> Path:
    return settings.config_dir() / "users.yaml"


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


def check_password(password: str, password_hash: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode(), password_hash.encode())
    except ValueError:
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # Same cost as hash_password's, so a guess at an unknown username takes as long as one at a
    # real account: the answer time does not tell which usernames exist.
    return hash_password(secrets.token_hex(16))


# -- the file -------------------------------------------------------------------------------

@contextmanager
def file_lock(path: Path):
    """Exclusive lock beside a small config file (CLI, dashboard sessions and the admin page may
    change it at the same time); yields the path."""
    private_files.private_dir(path.parent)
    fd = os.open(path.with_name(path.name + ".lock"), os.O_WRONLY | os.O_CREAT, 0o600)
    with os.fdopen(fd, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield path


def _locked():
    return file_lock(users_path())


def _read(path: Path) -> dict:
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return data.get("users") or {}


def _write(path: Path, users: dict) -> None:
    private_files.write_private(
        path, "# Cakupan dashboard accounts. Managed by `python -m etl users`; do not commit.\n"
        + yaml.safe_dump({"users": users}, sort_keys=True, allow_unicode=True))


def load_users() -> dict[str, Account]:
    """Accounts in the local file (no demo accounts)."""
    out = {}
    for username, entry in _read(users_path()).items():
        out[str(username)] = Account(str(username), entry.get("name") or str(username),
                                     entry["role"], entry.get("rm_id"), entry["password_hash"])
    return out


def add_user(username: str, password: str, role: str, name: str | None = None,
             rm_id: str | None = None, replace: bool = False) -> Account:
    username = (username or "").strip().lower()
    if not USERNAME_RE.match(username):
        raise UserError("Nama pengguna 2-32 karakter: huruf kecil, angka, titik, '-' atau '_'.")
    if role not in ROLES:
        raise UserError(f"Peran harus salah satu dari: {', '.join(ROLES)}.")
    if role == "rm" and not (rm_id or "").strip():
        raise UserError("Peran rm memerlukan --rm-id (wilayah RM, misalnya RM-01).")
    if role != "rm":
        rm_id = None
    _check_password_rules(password)
    with _locked() as path:
        users = _read(path)
        if username in users and not replace:
            raise UserError(f"Pengguna '{username}' sudah ada.")
        users[username] = {"name": (name or username).strip(), "role": role,
                           "rm_id": rm_id.strip() if rm_id else None,
                           "password_hash": hash_password(password)}
        _write(path, users)
    # A replaced account (new password, role or area) starts without the old sessions.
    end_sessions(username)
    return load_users()[username]


def _check_password_rules(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise UserError(f"Kata sandi minimal {MIN_PASSWORD} karakter.")
    if password != password.strip():
        raise UserError("Kata sandi tidak boleh diawali atau diakhiri spasi.")


def set_password(username: str, password: str) -> Account:
    """Change an account's password; every session of the account ends at once."""
    username = (username or "").strip().lower()
    _check_password_rules(password)
    with _locked() as path:
        users = _read(path)
        if username not in users:
            raise UserError(f"Pengguna '{username}' tidak ada.")
        users[username]["password_hash"] = hash_password(password)
        _write(path, users)
    end_sessions(username)
    return load_users()[username]


def remove_user(username: str) -> bool:
    username = (username or "").strip().lower()
    with _locked() as path:
        users = _read(path)
        if username not in users:
            return False
        del users[username]
        _write(path, users)
    end_sessions(username)
    return True


def list_users() -> list[dict]:
    """Accounts without their hashes, for the CLI and the admin page."""
    return [{"username": a.username, "name": a.name, "role": a.role, "rm_id": a.rm_id}
            for a in sorted(load_users().values(), key=lambda a: a.username)]


# -- demo accounts --------------------------------------------------------------------------

def database_facts(db_path: str | os.PathLike) -> tuple[bool, str | None]:
    """(is the database a demo, first RM area id) — cached per version of the file."""
    identity = db.file_identity(db_path)
    if identity is None:
        return False, None
    return _facts(str(Path(db_path).resolve()), identity)


@lru_cache(maxsize=8)
def _facts(path: str, identity: tuple[int, int]) -> tuple[bool, str | None]:
    con = db.connect_readonly(path)
    try:
        rows = con.execute("SELECT bool_or(is_demo) FROM meta.database").fetchall()
        is_demo = bool(rows and rows[0][0])
        rm_id = None
        if is_demo:
            found = con.execute("SELECT min(rm_id) FROM core.rm_areas").fetchall()
            rm_id = found[0][0] if found else None
        return is_demo, rm_id
    except Exception:  # an empty or foreign file: certainly not a demo
        return False, None
    finally:
        con.close()


@lru_cache(maxsize=1)
def _demo_hashes() -> dict[str, str]:
    # Once per process, at the lowest bcrypt cost: these passwords are published in the README,
    # so slowing down a guesser buys nothing, and the first page view should not wait a second.
    return {u: bcrypt.hashpw(pw.encode(), bcrypt.gensalt(rounds=4)).decode()
            for u, (pw, _, _) in DEMO_ACCOUNTS.items()}


def demo_accounts(db_path: str | os.PathLike) -> dict[str, Account]:
    """The demo accounts, only when the database at db_path is a demo database."""
    is_demo, rm_id = database_facts(db_path)
    if not is_demo:
        return {}
    hashes = _demo_hashes()
    return {u: Account(u, name, role, rm_id if role == "rm" else None, hashes[u], demo=True)
            for u, (_, name, role) in DEMO_ACCOUNTS.items()}


def accounts(db_path: str | os.PathLike | None = None) -> dict[str, Account]:
    """Everyone who may sign in now: the file's accounts, plus the demo accounts on a demo
    database (a real account with the same username wins)."""
    db_path = db_path or settings.get("db")
    return {**demo_accounts(db_path), **load_users()}


def authenticate(username: str, password: str, db_path=None) -> Account | None:
    """The account when the password is right, else None (no rate limiting here: see
    dashboard.auth, which also logs the attempt)."""
    account = accounts(db_path).get((username or "").strip().lower())
    if account is None:
        check_password(password or "", _dummy_hash())
        return None
    if check_password(password or "", account.password_hash):
        return account
    return None


# -- server-side sessions -------------------------------------------------------------------

def sessions_path() -> Path:
    return settings.config_dir() / "sessions.json"


def _sid_key(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


def _fingerprint(account: Account) -> str:
    # Demo accounts are hashed anew in every process (and their passwords never change).
    basis = f"demo:{account.username}" if account.demo else account.password_hash
    return hashlib.sha256(basis.encode()).hexdigest()[:32]


def _idle_seconds() -> int:
    return int(settings.get("session_minutes")) * 60


@contextmanager
def _sessions(write: bool = True):
    """The live sessions (idle ones dropped), locked for reading and updating."""
    with file_lock(sessions_path()) as path:
        try:
            data = json.loads(path.read_text()) if path.exists() else {}
        except (json.JSONDecodeError, OSError):
            data = {}
        now, idle = time.time(), _idle_seconds()
        live = {k: v for k, v in data.items()
                if isinstance(v, dict) and now - v.get("seen", 0) <= idle}
        yield live
        if write or live.keys() != data.keys():
            private_files.write_private(path, json.dumps(live))


def start_session(account: Account) -> str:
    """A new session of the account; the session id for the cookie (never stored as is)."""
    sid = secrets.token_urlsafe(32)
    now = time.time()
    with _sessions() as live:
        live[_sid_key(sid)] = {"username": account.username, "created": now, "seen": now,
                               "password": _fingerprint(account)}
    return sid


def session_account(sid: str | None, db_path=None) -> Account | None:
    """The account of a live session (None when it ended, idled out, or the account was removed
    or its password changed); marks the session as active."""
    if not sid or not isinstance(sid, str):
        return None
    key = _sid_key(sid)
    with _sessions(write=False) as live:
        entry = live.get(key)
        if entry is None:
            return None
        account = accounts(db_path).get(entry.get("username", ""))
        if account is None or entry.get("password") != _fingerprint(account):
            live.pop(key)
            private_files.write_private(sessions_path(), json.dumps(live))
            return None
        now = time.time()
        if now - entry.get("seen", 0) > 30:  # one write a half-minute at most per session
            entry["seen"] = now
            private_files.write_private(sessions_path(), json.dumps(live))
    return account


def end_session(sid: str | None) -> None:
    if not sid:
        return
    with _sessions() as live:
        live.pop(_sid_key(sid), None)


def end_sessions(username: str) -> int:
    """End every session of the account (removed, password changed); how many ended."""
    with _sessions() as live:
        gone = [k for k, v in live.items() if v.get("username") == username]
        for k in gone:
            del live[k]
    return len(gone)


def known_rm_ids(db_path) -> list[str]:
    """RM area ids in the database (empty when there is none yet)."""
    if db.file_identity(db_path) is None:
        return []
    con = db.connect_readonly(db_path)
    try:
        return [r[0] for r in con.execute(
            "SELECT DISTINCT rm_id FROM core.rm_areas ORDER BY 1").fetchall()]
    except Exception:
        return []
    finally:
        con.close()
