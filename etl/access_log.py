"""The access log of personal data: who saw or took person-level rows, when, where, how many.

UU 27/2022 (PDP) asks the controller to account for every use of personal data. Every view and
download of person-level rows in the dashboard (Kualitas data, admin only) and every full
quarantine export from the CLI appends one line to ``<config dir>/access.log`` (mode 600):
time, user (dashboard account, or ``cli:<system user>``), role, client address, action (lihat,
unduh, ekspor), what (page table or file name) and the number of rows. The admin reads it on the
Kualitas data page. Lines are tab-separated; every field is cleaned so a value cannot forge a line.
"""

from __future__ import annotations

import getpass
import re
from datetime import datetime
from pathlib import Path

import pandas as pd

from . import private_files, settings

COLUMNS = ["Waktu", "Pengguna", "Peran", "Alamat", "Aksi", "Data", "Baris"]


def log_path() -> Path:
    return settings.config_dir() / "access.log"


def _clean(value) -> str:
    return re.sub(r"[\t\r\n\x00-\x1f]", " ", str(value if value is not None else ""))[:200]


def record(user: str, role: str, action: str, what: str, rows: int, client: str = "") -> None:
    fields = [datetime.now().isoformat(timespec="seconds"), user, role, client or "-", action,
              what, int(rows)]
    private_files.append_private(log_path(), "\t".join(_clean(f) for f in fields) + "\n")


def record_cli(action: str, what: str, rows: int) -> None:
    """A CLI command that printed person-level rows (the user is the system account)."""
    try:
        who = getpass.getuser()
    except Exception:  # no user name in this environment
        who = "?"
    record(f"cli:{who}", "cli", action, what, rows)


def read(limit: int = 500) -> pd.DataFrame:
    """The newest entries first (at most `limit`)."""
    path = log_path()
    if not path.exists():
        return pd.DataFrame(columns=COLUMNS)
    lines = path.read_text(encoding="utf-8").splitlines()[-limit:]
    records = [ln.split("\t") for ln in reversed(lines)]
    frame = pd.DataFrame([r for r in records if len(r) == len(COLUMNS)], columns=COLUMNS)
    frame["Baris"] = pd.to_numeric(frame["Baris"], errors="coerce").astype("Int64")
    return frame
