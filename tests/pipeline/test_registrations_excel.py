"""Registration exports saved as Excel: number cells, date cells, several sheets, merged headers."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook

from etl import db
from etl.loaders import load_file
from tests.support.helpers import FORM_HEADERS, nik, row, run_cli


def _book(path, rows, headers=FORM_HEADERS, extra_sheets=(), merge=None):
    wb = Workbook()
    ws = wb.active
    ws.title = "Form Responses 1"
    ws.append(headers)
    for r in rows:
        ws.append(r)
    for name, content in extra_sheets:
        other = wb.create_sheet(name)
        for r in content:
            other.append(r)
    if merge:
        ws.merge_cells(merge)
    wb.save(path)
    return path


def _rows(db_path, sql):
    con = db.connect_readonly(db_path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_nik_in_a_number_cell_is_rejected_with_advice(tmp_path, db_path):
    as_text = row()
    as_number = row(nik_=nik(serial=2))
    # What Excel keeps of a typed 16-digit number: 15 significant digits.
    as_number[2] = float("6311040707900000")
    date_cell = row(nik_=nik(serial=3, dd=25))
    date_cell[4] = dt.datetime(1990, 7, 25)
    date_cell[0] = dt.datetime(2024, 1, 15, 10, 23, 45)
    src = _book(tmp_path / "form.xlsx", [as_text, as_number, date_cell])
    result = run_cli("--db", str(db_path), "load", "registrations", str(src))
    assert result.returncode == 0, result.stderr
    assert "nik_excel_number" in result.stdout
    assert "format kolom NIK sebagai Teks" in result.stdout
    assert _rows(db_path, "SELECT reason_code, row_number FROM meta.quarantine") == [
        ("nik_excel_number", 2)]
    births = sorted(str(r[0]) for r in _rows(db_path, "SELECT birth_date FROM core.participants"))
    assert births == ["1990-07-07", "1990-07-25"]


def test_kk_in_a_number_cell_is_rejected_too(tmp_path, db_path):
    r = row()
    r[3] = 6311040101100000
    s = load_file("registrations", _book(tmp_path / "f.xlsx", [r]), db_path=db_path)
    assert s.reasons == {"kk_excel_number": 1}


def test_several_sheets_with_data_ask_which_one(tmp_path, db_path):
    src = _book(tmp_path / "f.xlsx", [row()],
                extra_sheets=[("Rekap", [["Kecamatan", "Jumlah"], ["Juai", 12]])])
    result = run_cli("--db", str(db_path), "load", "registrations", str(src))
    assert result.returncode == 2
    assert "--sheet" in result.stderr and "Rekap" in result.stderr
    assert not db_path.exists()
    ok = run_cli("--db", str(db_path), "load", "registrations", str(src), "--sheet",
                 "Form Responses 1")
    assert ok.returncode == 0, ok.stderr


def test_an_empty_extra_sheet_is_ignored(tmp_path, db_path):
    src = _book(tmp_path / "f.xlsx", [row()], extra_sheets=[("Sheet2", [])])
    assert load_file("registrations", src, db_path=db_path).accepted == 1


def test_merged_header_cells_are_refused(tmp_path, db_path):
    src = _book(tmp_path / "f.xlsx", [row()], merge="G1:H1")
    result = run_cli("--db", str(db_path), "load", "registrations", str(src))
    assert result.returncode == 2
    assert "merged" in result.stderr
    assert not db_path.exists()


def test_a_file_that_is_not_really_excel_is_refused(tmp_path, db_path):
    bad = tmp_path / "f.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not a workbook")
    result = run_cli("--db", str(db_path), "load", "registrations", str(bad))
    assert result.returncode == 2
    assert "Excel" in result.stderr


@pytest.mark.parametrize("value", ["6311040707900001", "'6311040707900001"])
def test_nik_in_a_text_cell_loads(tmp_path, db_path, value):
    s = load_file("registrations", _book(tmp_path / "f.xlsx", [row(nik_=value)]),
                  db_path=db_path)
    assert s.accepted == 1
