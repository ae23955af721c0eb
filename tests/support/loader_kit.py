"""Helpers of the loader tests (tests/pipeline/test_load_*.py): write messy CSV and Excel files,
read the database back, fingerprint it, run the CLI."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from etl import db

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO.parent / "shared" / "fixtures"

# A minimal form export, to register people before loading what refers to them.
FORM_HEADERS = ["Timestamp", "NAMA LENGKAP", "NIK", "NOMOR KARTU KELUARGA (KK)", "TANGGAL LAHIR",
                "KECAMATAN", "DESA/KELURAHAN", "PEKERJAAN"]


def make_nik(serial: int, dd: int = 7, mm: int = 7, yy: int = 90, female: bool = False,
             region: str = "631104") -> str:
    """A structurally valid NIK: region, birth date DDMMYY (+40 on the day for women), serial."""
    return f"{region}{dd + (40 if female else 0):02d}{mm:02d}{yy:02d}{serial:04d}"


def form_row(nik: str, name: str = "Rahmat Hidayat", birth: str = "7/7/1990",
             ts: str = "1/15/2024 10:23:45") -> list[str]:
    return [ts, name, nik, "6311040101100001", birth, "Batu Mandi", "Tariwin", "Petani karet"]


def write_csv(path: Path, headers: list[str], rows: list[list], delimiter: str = ",") -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(headers)
        w.writerows(rows)
    return path


def write_xlsx(path: Path, headers: list[str], rows: list[list]) -> Path:
    """An Excel file whose cells keep their Python types: str as text, int/float as numbers,
    date/datetime as date cells (as a person typing into Excel would produce)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(headers)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def query(db_path: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = db.connect_readonly(db_path)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def fingerprint(db_path: Path) -> str | None:
    """The database file's content hash (None when absent): equal means nothing changed."""
    path = Path(db_path)
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def quarantine(db_path: Path, load_id: int | None = None) -> list[tuple]:
    """(row_number, reason_code, reason_detail, original dict) of quarantined rows."""
    rows = query(db_path, "SELECT row_number, reason_code, reason_detail, original "
                          "FROM meta.quarantine WHERE ? IS NULL OR load_id = ? ORDER BY 1",
                 [load_id, load_id])
    return [(r[0], r[1], r[2], json.loads(r[3])) for r in rows]


def text_cells_containing(db_path: Path, needle: str,
                          skip: tuple[str, ...] = ("private.", "meta.quarantine")
                          ) -> list[str]:
    """Tables (other than `skip`) with a text cell containing `needle`: personal data must stay
    in `private` and the quarantine."""
    con = db.connect_readonly(db_path)
    try:
        cols = con.execute(
            "SELECT schema_name || '.' || table_name, column_name FROM duckdb_columns() "
            "WHERE database_name = current_database() AND data_type IN ('VARCHAR', 'JSON')"
            ).fetchall()
        hits = []
        for table, column in cols:
            if table.startswith(skip):
                continue
            n = con.execute(f'SELECT count(*) FROM {table} WHERE "{column}"::VARCHAR '
                            "ILIKE '%' || ? || '%'", [needle]).fetchall()[0][0]
            if n:
                hits.append(f"{table}.{column}")
        return hits
    finally:
        con.close()


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=REPO, capture_output=True,
                          text=True, env=dict(os.environ), timeout=600)


def cli_load(db_path: Path, kind: str, path: Path) -> tuple[int, dict | None, str]:
    """(exit code, JSON summary or None, stderr) of `python -m etl load KIND FILE --json`."""
    result = run_cli("--db", str(db_path), "load", kind, str(path), "--json")
    summary = json.loads(result.stdout) if result.returncode == 0 else None
    return result.returncode, summary, result.stderr
