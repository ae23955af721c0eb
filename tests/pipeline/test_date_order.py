"""Slash dates in the BPJS and verification files: day first, as Indonesian offices write, unless
the file itself shows month first (an English-locale spreadsheet)."""

from __future__ import annotations

import pytest

from etl import db
from etl.loaders import load_file
from tests.support.helpers import nik, row, write_csv


@pytest.mark.parametrize("dates, order, expected", [
    (["27/02/2024", "03/04/2024"], "dmy", ["2024-02-27", "2024-04-03"]),
    (["02/27/2024", "03/04/2024"], "mdy", ["2024-02-27", "2024-03-04"]),
    (["03/04/2024", "05/06/2024"], "dmy", ["2024-04-03", "2024-06-05"]),   # no evidence
])
def test_verification_dates_follow_the_file(tmp_path, db_path, dates, order, expected):
    load_file("registrations", write_csv(tmp_path / "form.csv", [
        row(nik_=nik(serial=1)), row(nik_=nik(serial=2))]), db_path=db_path)
    src = tmp_path / "verifikasi.csv"
    src.write_text("NIK,STATUS,ALASAN,TANGGAL\n"
                   f"{nik(serial=1)},TERVERIFIKASI,,{dates[0]}\n"
                   f"{nik(serial=2)},TERVERIFIKASI,,{dates[1]}\n", encoding="utf-8")
    s = load_file("verification", src, db_path=db_path)
    assert (s.accepted, s.quarantined) == (2, 0)
    assert s.extra["date_order"] == order
    con = db.connect_readonly(db_path)
    try:
        got = [r[0] for r in con.execute(
            "SELECT decided_on::VARCHAR FROM core.verifications ORDER BY row_number").fetchall()]
    finally:
        con.close()
    assert got == expected
