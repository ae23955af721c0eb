"""The planning loop's test data: the analysis database (tests/support/analysis_db.py, data up
to October 2025) and "next month's data", a BPJS membership export taken on 30 November 2025
that lists every member again (premiums paid through November, the lapsed ones still lapsed) plus
new members in chosen desa, as the next month's export would. Shared by the pipeline, app and
browser tests of the decisions."""

from __future__ import annotations

import csv
from pathlib import Path

from etl import db

MEMBER_HEADERS = ["NIK", "KPJ", "TGL_KEPESERTAAN", "PROGRAM", "SUMBER_DANA", "IURAN_SAMPAI",
                  "KODE_DESA"]
NEXT_MONTH = "2025-11"
NEXT_EXPORT_DATE = "2025-11-30"
# New members of November per desa (the hand-computed fixture of the comparison tests).
NEW_MEMBERS = {"63.11.01.2002": 8,    # Hamarung: the desa with a decision
               "63.11.01.2001": 3,    # Muara Ninian
               "63.11.01.2003": 1,    # Juai
               "63.11.02.2001": 2}    # Hauwai


def build(tmp: Path) -> Path:
    """The analysis database under `tmp`, ready for later loads: its hand-written loads carry
    ids 990-993, so the load-id sequence is moved past them (a later export must be the latest
    one, core.current_members)."""
    from tests.support.analysis_db import build as build_analysis

    path = build_analysis(tmp)
    with db.write_session(path) as con:
        con.execute("SELECT max(nextval('meta.load_id_seq')) FROM range(1000)").fetchall()
    return path


def next_month_members(db_path: Path, out: Path, new_members: dict[str, int] | None = None) -> Path:
    """Write next month's membership export of the database at `db_path` to `out`."""
    new_members = NEW_MEMBERS if new_members is None else new_members
    con = db.connect_readonly(db_path)
    try:
        rows = con.execute("""
            SELECT p.nik, m.kpj, m.enrolled_on, m.funding_source, m.paid_through, m.desa_code
            FROM core.current_members AS m JOIN private.persons AS p USING (person_key)
            ORDER BY m.kpj""").fetchall()
    finally:
        con.close()
    lines = []
    for nik, kpj, enrolled, funding, paid, desa in rows:
        # Paid through October: paid through November now; lapsed earlier: still lapsed.
        paid_text = NEXT_MONTH if f"{paid:%Y-%m}" == "2025-10" else f"{paid:%Y-%m}"
        lines.append([nik, kpj, f"{enrolled:%Y-%m-%d}", "JKK,JKM", funding, paid_text, desa])
    serial = 0
    for desa, n in new_members.items():
        for _ in range(n):
            serial += 1
            nik = f"{desa[:2]}{desa[3:5]}{desa[6:8]}0707{80 + serial % 10:02d}{7000 + serial:04d}"
            lines.append([nik, f"KPJN{serial:07d}", "2025-11-10", "JKK,JKM", "APBD", NEXT_MONTH,
                          desa])
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(MEMBER_HEADERS)
        w.writerows(lines)
    return out
