"""Dates and times as Indonesian and English spreadsheets write them, and one day/month order per
file decided from all its date columns (etl/sql/staging/macros.sql: parse_moment;
etl/sql/staging/date_order.sql; etl.loaders.common.decide_date_order)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from etl.loaders import load_file
from etl.loaders.common import install_macros
from etl.readers import InputError
from tests.support.helpers import nik, row, run_cli, write_csv
from tests.support.loader_kit import fingerprint, query


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    install_macros(c)
    yield c
    c.close()


def _parse(con, text, order):
    con.execute("SET VARIABLE date_order = ?", [order])
    return con.execute("SELECT parse_moment(?)", [text]).fetchone()[0]


T = dt.datetime


@pytest.mark.parametrize("text, order, expected", [
    ("23/08/2025 21.27.13", "dmy", T(2025, 8, 23, 21, 27, 13)),    # Google Sheets, id locale
    ("23/08/2025 21.27", "dmy", T(2025, 8, 23, 21, 27)),           # Excel, id regional settings
    ("3/8/2025 9:05:07", "dmy", T(2025, 8, 3, 9, 5, 7)),           # unpadded, d/m/yyyy H:mm:ss
    ("8/3/2025 9:05:07", "mdy", T(2025, 8, 3, 9, 5, 7)),           # unpadded m/d/yyyy
    ("8/23/2025 9:05:07 PM", "mdy", T(2025, 8, 23, 21, 5, 7)),
    ("8/23/2025", "mdy", T(2025, 8, 23)),
    ("23-08-2025", "dmy", T(2025, 8, 23)),
    ("23.08.2025", "dmy", T(2025, 8, 23)),
    ("2025-08-23", "mdy", T(2025, 8, 23)),                         # ISO / Excel date cell
    ("2025-08-23 21:27:13", "dmy", T(2025, 8, 23, 21, 27, 13)),    # Excel datetime cell
    ("2025-08-23T21:27:13Z", "dmy", T(2025, 8, 23, 21, 27, 13)),
    ("2025-08-23 21:27:13+07:00", "dmy", T(2025, 8, 23, 21, 27, 13)),
    ("23/08/2025 21:27:13 GMT+7", "dmy", T(2025, 8, 23, 21, 27, 13)),
    ("23 Agustus 2025", "mdy", T(2025, 8, 23)),                    # named months: any order
    ("23-Agu-2025", "dmy", T(2025, 8, 23)),
    ("1 Okt 2024 10.00", "dmy", T(2024, 10, 1, 10, 0)),
    ("12 Mei 1990", "mdy", T(1990, 5, 12)),
    ("5 Peb 1990", "dmy", T(1990, 2, 5)),
    ("23-Aug-25", "dmy", T(2025, 8, 23)),
    ("August 23, 2025", "dmy", T(2025, 8, 23)),
    ("2025/08/23 9:27:13 PM GMT+8", "dmy", T(2025, 8, 23, 21, 27, 13)),   # Forms, en locale
    ("23/08/2025 21:27:13 WITA", "dmy", T(2025, 8, 23, 21, 27, 13)),
    ("  23/08/2025  ", "dmy", T(2025, 8, 23)),
])
def test_the_ways_dates_are_written(con, text, order, expected):
    assert _parse(con, text, order) == expected


@pytest.mark.parametrize("text", [
    "31/02/2025", "23/13/2025", "1/2/25", "23 Foo 2025", "kemarin", "", None, "2025-02-30",
    "13/08/0025",
])
def test_what_is_not_a_date_is_null(con, text):
    assert _parse(con, text, "dmy") is None


def test_timestamps_without_evidence_follow_the_birth_dates_of_the_same_file(tmp_path, db_path):
    """The issue's case: every timestamp has a day of 12 or less (2 November), but the birth
    dates prove the file day first: the timestamp is 2 November, not 11 February."""
    src = write_csv(tmp_path / "form.csv", [
        row(ts="02/11/2025 21.27.13", nik_=nik(serial=1, dd=25), birth="25/07/1990"),
        row(ts="03/11/2025 08.00.00", nik_=nik(serial=2, dd=3, mm=4), birth="03/04/1990"),
    ])
    s = load_file("registrations", src, db_path=db_path)
    assert (s.accepted, s.quarantined) == (2, 0)
    assert s.extra["date_order"] == "dmy"
    assert "TANGGAL LAHIR" in s.extra["date_order_evidence"]
    assert "Timestamp" not in s.extra["date_order_evidence"]     # it showed nothing
    got = query(db_path, "SELECT nik_masked, birth_date::VARCHAR, first_submitted_at::VARCHAR "
                         "FROM core.participants ORDER BY 1")
    assert got == [("6311********0001", "1990-07-25", "2025-11-02 21:27:13"),
                   ("6311********0002", "1990-04-03", "2025-11-03 08:00:00")]


def test_indonesian_sheet_timestamps_with_dots_load(tmp_path, db_path):
    src = write_csv(tmp_path / "form.csv", [
        row(ts="23/08/2025 21.27.13", nik_=nik(serial=1)),
        row(ts="24/08/2025 7.05", nik_=nik(serial=2), birth="7 Juli 1990"),
    ])
    s = load_file("registrations", src, db_path=db_path)
    assert (s.accepted, s.quarantined) == (2, 0)
    assert query(db_path, "SELECT first_submitted_at::VARCHAR, birth_date::VARCHAR FROM "
                          "core.participants ORDER BY 1") == [
        ("2025-08-23 21:27:13", "1990-07-07"), ("2025-08-24 07:05:00", "1990-07-07")]


def test_contradicting_columns_refuse_the_file_naming_rows_of_each(tmp_path, db_path):
    load_file("registrations", write_csv(tmp_path / "a.csv", [row()]), db_path=db_path)
    before = fingerprint(db_path)
    src = write_csv(tmp_path / "form.csv", [
        row(ts="8/23/2025 10:00:00", nik_=nik(serial=2)),                  # month first
        row(ts="8/24/2025 10:00:00", nik_=nik(serial=3)),
        row(ts="8/5/2025 10:00:00", nik_=nik(serial=4, dd=25), birth="25/07/1990"),  # day first
        row(ts="8/6/2025 10:00:00", nik_=nik(serial=5, dd=26), birth="26/07/1990"),
        row(ts="8/7/2025 10:00:00", nik_=nik(serial=6, dd=27), birth="27/07/1990"),
    ])
    result = run_cli("--db", str(db_path), "load", "registrations", str(src))
    assert result.returncode == 2
    msg = result.stderr
    assert "bertentangan" in msg and "Timestamp" in msg and "TANGGAL LAHIR" in msg
    assert "mis. baris 1" in msg and "mis. baris 3" in msg
    assert fingerprint(db_path) == before


def test_a_typo_in_the_other_order_is_quarantined_not_a_refusal(tmp_path, db_path):
    rows = [row(ts=f"{d}/08/2025 10.00.00", nik_=nik(serial=d)) for d in range(13, 23)]
    rows.append(row(ts="08/23/2025 10.00.00", nik_=nik(serial=99)))
    s = load_file("registrations", write_csv(tmp_path / "form.csv", rows), db_path=db_path)
    assert s.extra["date_order"] == "dmy"
    assert "1 baris sebaliknya" in s.extra["date_order_evidence"]
    assert (s.accepted, s.reasons) == (10, {"timestamp_invalid": 1})


def test_one_column_with_both_orders_is_refused(tmp_path, db_path):
    src = tmp_path / "verifikasi.csv"
    lines = ["NIK,STATUS,TANGGAL"]
    lines += [f"{nik(serial=i)},TERVERIFIKASI,{13 + i}/02/2024" for i in range(5)]
    lines += [f"{nik(serial=10 + i)},TERVERIFIKASI,02/{13 + i}/2024" for i in range(5)]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="dua urutan tanggal"):
        load_file("verification", src, db_path=db_path)


@pytest.mark.parametrize("kind, header, extra", [
    ("verification", "NIK,STATUS,TANGGAL", "TERVERIFIKASI"),
])
def test_other_kinds_read_named_months_and_dotted_times(tmp_path, db_path, kind, header, extra):
    src = tmp_path / "f.csv"
    src.write_text(f"{header}\n{nik(serial=1)},{extra},23 Agustus 2025\n"
                   f"{nik(serial=2)},{extra},24/08/2025 21.27\n", encoding="utf-8")
    s = load_file(kind, src, db_path=db_path)
    assert (s.accepted, s.extra["date_order"]) == (2, "dmy")
    assert query(db_path, "SELECT decided_on::VARCHAR FROM core.verifications ORDER BY 1") == [
        ("2025-08-23",), ("2025-08-24",)]
