"""Builders of messy input files for tests (registration exports as a real form would produce
them), the CLI and AppTest runners, and a minimal database file."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from etl import db, identity
from etl.demo import form_headers

REPO = Path(__file__).resolve().parents[2]
TESTS = REPO / "tests"
# Files the tests read (tests/fixtures): one place, whatever folder a test module lives in.
FIXTURES = TESTS / "fixtures"

# The real Lindungi Prens form's questions, as a Google Form export writes them (one source:
# the demo's generator).
FORM_HEADERS = form_headers("Balangan")


def nik(kec: str = "04", dd: int = 7, mm: int = 7, yy: int = 90, female: bool = False,
        serial: int = 1, kab: str = "6311") -> str:
    """A structurally valid NIK: region, birth date (+40 for women), serial."""
    return f"{kab}{kec}{dd + (40 if female else 0):02d}{mm:02d}{yy:02d}{serial:04d}"


def row(ts="1/15/2024 10:23:45", name="Rahmat Hidayat", nik_="6311040707900001",
        kk="6311040101100001", birth="7/7/1990", sex="Laki-laki", kec="Batu Mandi",
        desa="Tariwin", job="Petani karet", hp="081234567890") -> list[str]:
    return [ts, name, nik_, kk, birth, sex, kec, desa, job, hp]


def write_csv(path: Path, rows: list[list[str]], headers: list[str] | None = None,
              encoding: str = "utf-8", delimiter: str = ",") -> Path:
    with open(path, "w", newline="", encoding=encoding) as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(headers or FORM_HEADERS)
        w.writerows(rows)
    return path


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=REPO, capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=600)


def open_page(page_path: str, user):
    """Run one page (or app.py) with AppTest as `user` (dashboard.auth.User): what a signed-in
    session, or a hand-typed URL, amounts to."""
    import time

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / page_path), default_timeout=120)
    if user.signed_in:
        at.session_state["cakupan_user"] = user
        at.session_state["cakupan_last_activity"] = time.time()
    return at.run()


def make_db(path, is_demo: bool, rm_ids=("RM-02", "RM-01")):
    """A minimal database file: meta.database (demo or not) and some RM areas."""
    with db.write_session(path) as con:
        identity.check_key(con, "63.11", is_demo=is_demo)
        for i, rm in enumerate(rm_ids):
            con.execute("INSERT INTO core.rm_areas VALUES (0, ?, ?, ?)",
                        [rm, f"Nama {rm}", f"63.11.0{i + 1}.2001"])
    return path
