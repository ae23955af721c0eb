"""A cumulative export loaded again rejects the same rows again: the data officer sees each
rejected row once (its latest load), while every load keeps its own quarantine."""

from __future__ import annotations

from dashboard import quality
from etl import db
from etl.loaders import load_file
from tests.support.helpers import nik, row, write_csv


def test_the_same_rejected_row_in_two_exports_is_shown_once(tmp_path, db_path):
    bad = row(nik_="6.31104E+15", name="Baris Rusak")
    load_file("registrations", write_csv(tmp_path / "minggu1.csv", [row(), bad]), db_path=db_path)
    load_file("registrations", write_csv(tmp_path / "minggu2.csv", [
        row(), bad, row(nik_=nik(serial=2)), row(nik_="123", name="Baru Rusak")]), db_path=db_path)
    con = db.connect_readonly(db_path)
    try:
        assert con.execute("SELECT count(*) FROM meta.quarantine").fetchall()[0][0] == 3
        rep = {**quality.report(con, None), "rows": quality.quarantine_rows(con)}
    finally:
        con.close()
    assert len(rep["rows"]) == 2
    assert set(rep["rows"]["Muatan"]) == {2}
    by_reason = dict(zip(rep["by_reason"]["Kode alasan"], rep["by_reason"]["Baris"]))
    assert by_reason == {"nik_scientific": 1, "nik_format": 1}


def test_a_flagged_submission_repeated_by_the_next_export_is_flagged_once(tmp_path, db_path):
    other_kab = row(nik_="6307040707900003", name="Dari Luar")     # NIK of another kabupaten
    load_file("registrations", write_csv(tmp_path / "minggu1.csv", [row(), other_kab]),
              db_path=db_path)
    second = load_file("registrations", write_csv(tmp_path / "minggu2.csv", [
        row(), other_kab, row(nik_="6307040707900004", name="Juga Luar")]), db_path=db_path)
    assert second.extra["flags"] == {"nik_other_kabupaten": 1}
    con = db.connect_readonly(db_path)
    try:
        flags = quality.flags(con)
    finally:
        con.close()
    assert len(flags) == 2


def test_a_rejected_row_fixed_at_the_source_is_marked_not_in_the_latest_file(tmp_path, db_path):
    bad = row(nik_="6.31104E+15", name="Baris Rusak")
    still_bad = row(nik_="123", name="Masih Rusak")
    load_file("registrations", write_csv(tmp_path / "minggu1.csv", [row(), bad, still_bad]),
              db_path=db_path)
    fixed = row(nik_=nik(serial=5), name="Baris Rusak")        # the office fixed the NIK
    load_file("registrations", write_csv(tmp_path / "minggu2.csv", [row(), fixed, still_bad]),
              db_path=db_path)
    con = db.connect_readonly(db_path)
    try:
        rows = quality.quarantine_rows(con)
    finally:
        con.close()
    status = dict(zip(rows["Kode alasan"], rows["Di berkas terakhir"]))
    assert status == {"nik_format": "ya", "nik_scientific": "tidak"}
    assert list(rows["Di berkas terakhir"]) == ["ya", "tidak"]     # still to fix comes first
