"""Formula injection: every CSV and XLSX Cakupan writes neutralises text cells a spreadsheet would
run (OWASP: = + - @ tab CR), keeps numbers as numbers, and no XLSX holds a formula from data."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pandas as pd
import pytest

from dashboard import layout
from etl import spreadsheets
from etl.loaders import load_file
from tests.support.helpers import REPO, nik, row, run_cli, write_csv

PAYLOADS = ['=HYPERLINK("http://evil","klik")', "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3",
            "\t=1+1", "\r=1+1", "=1+1"]


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"teks": PAYLOADS, "angka": range(-3, len(PAYLOADS) - 3),
                         "desimal": [-1.5] * len(PAYLOADS)})


def _would_run(text: str) -> bool:
    """A cell a spreadsheet would run: it starts with a trigger and is not a lone "-" or a
    plain negative number (those stay as they are, see test_harmless_text_is_unchanged)."""
    return text.startswith(spreadsheets.TRIGGERS) and not re.fullmatch(r"-[\d.,]*", text)


def _assert_csv_safe(text: str) -> None:
    for record in csv.reader(io.StringIO(text)):
        for cell in record:
            assert not _would_run(cell), cell


def _assert_xlsx_safe(content: bytes) -> None:
    book = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for cells in sheet.iter_rows():
            for cell in cells:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not _would_run(cell.value), cell.value


@pytest.mark.parametrize("value", PAYLOADS)
def test_text_that_would_run_gets_an_apostrophe(value):
    assert spreadsheets.neutralise_text(value) == "'" + value


@pytest.mark.parametrize("value", ["-", "-12", "-3,5", "+62", "Petani karet", "", "6311040707900001"])
def test_harmless_text_is_unchanged(value):
    assert spreadsheets.neutralise_text(value) == value


def test_numbers_stay_numbers_in_csv_and_xlsx():
    frame = _frame()
    text = spreadsheets.write_csv(frame)
    _assert_csv_safe(text)
    back = pd.read_csv(io.StringIO(text))
    assert back["angka"].tolist() == frame["angka"].tolist()
    book = openpyxl.load_workbook(io.BytesIO(spreadsheets.xlsx_bytes(frame)))
    sheet = book.active
    assert [c.value for c in sheet["B"][1:]] == frame["angka"].tolist()
    assert all(c.data_type == "n" for c in sheet["B"][1:])
    assert sheet["A2"].value == "'" + PAYLOADS[0]


def test_headers_from_files_are_neutralised_too():
    frame = pd.DataFrame({"=1+1": ["a"]})
    assert spreadsheets.write_csv(frame).splitlines()[0] == "'=1+1"


def test_dashboard_downloads_are_safe():
    frame = _frame()
    _assert_csv_safe(layout._file_bytes(frame, "uji", "csv").decode("utf-8"))
    _assert_xlsx_safe(layout._file_bytes(frame, "uji", "xlsx"))


def test_open_data_downloads_are_safe(demo_db, monkeypatch):
    from dashboard import public, public_files
    from etl import db

    con = db.connect_readonly(demo_db)
    try:
        data = public.build(con)
    finally:
        con.close()
    _assert_csv_safe(public_files.csv_bytes(data).decode("utf-8"))
    _assert_csv_safe(public_files.dictionary_csv_bytes(data).decode("utf-8"))
    _assert_xlsx_safe(public_files.xlsx_bytes(data))


def test_cli_quarantine_and_coverage_exports_are_safe(tmp_path, db_path):
    # The hostile rows are a few among good ones (a file where nearly every row fails for one
    # reason is refused whole, and nothing would reach the quarantine).
    rows = [row(nik_=nik(serial=i + 1), job=p, desa="Antah") for i, p in enumerate(PAYLOADS)]
    rows += [row(nik_=nik(serial=100 + i)) for i in range(3 * len(PAYLOADS))]
    load_file("registrations", write_csv(tmp_path / "form.csv", rows), db_path=db_path)
    out = run_cli("--db", str(db_path), "export", "quarantine")
    assert out.returncode == 0, out.stderr
    assert "'=HYPERLINK" in out.stdout and "'@SUM(A1)" in out.stdout
    _assert_csv_safe(out.stdout)
    out = run_cli("--db", str(db_path), "export", "coverage", "--level", "desa")
    assert out.returncode == 0, out.stderr
    _assert_csv_safe(out.stdout)


def test_no_writer_bypasses_the_module():
    """A new CSV/XLSX writer must use etl.spreadsheets (the demo's generator writes synthetic
    input files for the loaders, in the form's own format, and is the one exception)."""
    pattern = re.compile(r"\.to_csv\(|\.to_excel\(|ExcelWriter\(|csv\.writer\(|xlsxwriter\.Workbook")
    allowed = {REPO / "etl" / "spreadsheets.py", REPO / "etl" / "demo" / "generator.py"}
    offenders = []
    for folder in ("etl", "dashboard", "pages", "geo"):
        for path in (REPO / folder).rglob("*.py"):
            if path not in allowed and pattern.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(REPO)))
    assert (REPO / "app.py").read_text().count("to_csv(") == 0
    assert offenders == []
