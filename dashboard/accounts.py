"""Account administration for the Pengguna page: the accounts as the page lists them (role
labels from etl.roles), the roles an account can hold, the RM areas to choose from, and adding
and removing accounts in the account store (etl.users, the same store as
``python -m etl users``)."""

from __future__ import annotations

import pandas as pd

from etl import roles, settings, users

from . import data, targets

UserError = users.UserError
ROLES = roles.ACCOUNT_ROLES          # the roles an account can hold


def role_label(role: str) -> str:
    return roles.label(role)


def store_path() -> str:
    """Where the accounts are kept (outside the repository)."""
    return str(users.users_path())


def local_accounts() -> list[dict]:
    """The accounts of the account store (username, name, role, rm_id), without hashes."""
    return users.list_users()


def table(listed: list[dict]) -> pd.DataFrame:
    """The page's table: the local accounts, then the demo accounts of a demo database that
    are not also local accounts."""
    rows = [{"Nama pengguna": u["username"], "Nama": u["name"],
             "Peran": role_label(u["role"]), "Wilayah RM": u["rm_id"] or "",
             "Jenis": "akun lokal"} for u in listed]
    local = {u["username"] for u in listed}
    rows += [{"Nama pengguna": a.username, "Nama": a.name, "Peran": role_label(a.role),
              "Wilayah RM": a.rm_id or "", "Jenis": "demo (hanya basis data demo)"}
             for a in users.demo_accounts(settings.get("db")).values()
             if a.username not in local]
    return pd.DataFrame(rows)


def removable(listed: list[dict], me: str) -> list[str]:
    """The local accounts an admin may remove here: every one but their own."""
    return [u["username"] for u in listed if u["username"] != me]


def rm_ids() -> list[str]:
    """RM area ids in the database (empty when there is none yet)."""
    if not data.available():
        return []
    try:
        return sorted(set(data.query(targets.rm_areas)["rm_id"]))
    except Exception:  # no rm-areas table yet: the page asks for the id as text
        return []


def add(username: str, password: str, role: str, name: str | None = None,
        rm_id: str | None = None):
    """Add an account (etl.users.add_user: the same rules as the command line)."""
    return users.add_user(username, password, role, name=name, rm_id=rm_id)


def remove(username: str) -> bool:
    return users.remove_user(username)
