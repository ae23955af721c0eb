"""A cumulative export loaded again rejects the same rows again: the data officer sees each
rejected row once (its latest load), while every load keeps its own quarantine."""

from __future__ import annotations

from dashboard import quality
from etl import db
from etl.loaders import load_file
from tests.helpers import nik, row, write_csv


def test_the_same_rejected_row_in_two_exports_is_shown_once(tmp_path, db_path):
    bad = row(nik_="6.31104E+15", name="Baris Rusak")
    load_file("registrations", write_csv(tmp_path / "minggu1.csv", [row(), bad]), db_path=db_path)
    load_file("registrations", write_csv(tmp_path / "minggu2.csv", [
        row(), bad, row(nik_=nik(serial=2)), row(nik_="123", name="Baru Rusak")]), db_path=db_path)
    con = db.connect_readonly(db_path)
    try:
        assert con.execute("SELECT count(*) FROM meta.quarantine").fetchall()[0][0] == 3
        rep = quality.report(con, None)
    finally:
        con.close()
    assert len(rep["rows"]) == 2
    assert set(rep["rows"]["Muatan"]) == {2}
    by_reason = dict(zip(rep["by_reason"]["Kode alasan"], rep["by_reason"]["Baris"]))
    assert by_reason == {"nik_scientific": 1, "nik_format": 1}
