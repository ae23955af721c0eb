"""Loading claims paid: rupiah amounts as people write them, programs, optional NIK kept only as
a person key, repeated claims counted (not collapsed), quarantine, Excel, idempotency."""

from __future__ import annotations

import datetime as dt

import pytest

from etl import identity
from etl.loaders import load_file
from etl.loaders.common import rupiah_amount
from tests.support.loader_kit import (TEMPLATES, cli_load, fingerprint, make_nik, quarantine, query,
                                      text_cells_containing, write_csv, write_xlsx)

HEADERS = ["KODE_DESA", "PROGRAM", "TANGGAL_BAYAR", "NOMINAL"]


def claims(db_path):
    return query(db_path, "SELECT desa_code, program, paid_on, amount FROM core.claims "
                          "ORDER BY paid_on, row_number")


@pytest.mark.parametrize("text, amount", [
    ("42000000", 42_000_000), ("42.000.000", 42_000_000), ("Rp42.000.000", 42_000_000),
    ("Rp 42.000.000,00", 42_000_000), ("42 juta", 42_000_000), ("42,5 juta", 42_500_000),
    ("Rp42jt", 42_000_000), ("Rp. 70.000.000,-", 70_000_000),
    ("-42000000", None), ("(42.000.000)", None), ("sekitar 42 juta", None), ("0", None),
    ("4 2 000", None), ("empat puluh dua juta", 42_000_000), ("", None), ("abc", None)])
def test_rupiah_amounts(text, amount):
    assert rupiah_amount(text) == amount


def test_template_loads_cleanly_through_the_cli(db_path):
    template = TEMPLATES / "claims_sample.csv"
    if not template.exists():
        pytest.skip("../shared/fixtures is not available")
    code, summary, err = cli_load(db_path, "claims", template)
    assert code == 0, err
    assert (summary["rows_read"], summary["accepted"], summary["quarantined"]) == (2, 2, 0)
    assert claims(db_path) == [("63.11.04.2005", "JKM", dt.date(2024, 5, 21), 42_000_000),
                               ("63.11.06.1019", "JKK", dt.date(2024, 8, 2), 70_000_000)]


def test_aliases_variants_nik_hashed_and_every_bad_row(tmp_path, db_path):
    headers = ["Kecamatan", "Desa", "Jenis Manfaat", "Payment Date", "Amount", "No_NIK"]
    good = [
        ["Batu Mandi", "Batumandi", "JKM", "21/05/2024", "Rp42.000.000", make_nik(1)],
        ["Batu Mandi", "Batumandi", "Jaminan Kematian", "2024-05-21", "42 juta", ""],
        ["Paringin", "Paringin Timur", "jkk", "2024-08-02", "Rp 70.000.000,00", ""],
    ]
    bad = [
        (["Batu Mandi", "Desa Hilang", "JKM", "2024-05-21", "42000000", ""], "desa_unknown"),
        (["Batu Mandi", "Batumandi", "BPJS Kesehatan", "2024-05-21", "42000000", ""],
         "program_unknown"),
        (["Batu Mandi", "Batumandi", "JKM", "", "42000000", ""], "date_missing"),
        (["Batu Mandi", "Batumandi", "JKM", "21/13/2024", "42000000", ""], "date_invalid"),
        (["Batu Mandi", "Batumandi", "JKM", "2999-01-01", "42000000", ""], "date_future"),
        (["Batu Mandi", "Batumandi", "JKM", "2024-05-21", "sekitar 42 juta", ""],
         "amount_invalid"),
        (["Batu Mandi", "Batumandi", "JKM", "2024-05-21", "-42.000.000", ""], "amount_invalid"),
        (["Batu Mandi", "Batumandi", "JKM", "2024-05-21", "42000000", "6.31104E+15"],
         "nik_scientific"),
    ]
    s = load_file("claims", write_csv(tmp_path / "klaim.csv", headers,
                                      good + [r for r, _ in bad]), db_path=db_path)
    assert s.columns == {"kecamatan": "Kecamatan", "desa": "Desa", "program": "Jenis Manfaat",
                         "paid_on": "Payment Date", "amount": "Amount", "nik": "No_NIK"}
    assert (s.rows_read, s.accepted, s.quarantined) == (11, 3, 8)
    assert s.reasons == {"desa_unknown": 1, "program_unknown": 1, "date_missing": 1,
                         "date_invalid": 1, "date_future": 1, "amount_invalid": 2,
                         "nik_scientific": 1}
    q = quarantine(db_path)
    assert [r[1] for r in q] == [reason for _, reason in bad]
    assert q[5][2] == "NOMINAL: sekitar 42 juta" and q[5][3]["Amount"] == "sekitar 42 juta"
    assert claims(db_path) == [("63.11.04.2005", "JKM", dt.date(2024, 5, 21), 42_000_000),
                               ("63.11.04.2005", "JKM", dt.date(2024, 5, 21), 42_000_000),
                               ("63.11.06.1019", "JKK", dt.date(2024, 8, 2), 70_000_000)]
    keys = query(db_path, "SELECT person_key FROM core.claims WHERE person_key IS NOT NULL")
    assert keys == [(identity.person_key(make_nik(1)),)]
    assert text_cells_containing(db_path, make_nik(1)) == []
    assert s.extra["amount_total"] == 154_000_000


def test_repeated_claims_counted_and_cumulative_exports_add_only_new(tmp_path, db_path):
    first = write_csv(tmp_path / "klaim_mei.csv", HEADERS, [
        ["63.11.04.2005", "JKM", "2024-05-21", "42000000"],
        ["63.11.04.2005", "JKM", "2024-05-21", "42000000"]])   # two deaths, same day: both kept
    assert load_file("claims", first, db_path=db_path).accepted == 2
    before = fingerprint(db_path)
    assert load_file("claims", first, db_path=db_path).already_loaded
    assert fingerprint(db_path) == before
    cumulative = write_csv(tmp_path / "klaim_juni.csv", HEADERS, [
        ["63.11.04.2005", "JKM", "2024-05-21", "42.000.000"],
        ["63.11.04.2005", "JKM", "2024-05-21", "Rp42.000.000"],
        ["63.11.04.2005", "JKM", "2024-05-21", "42 juta"],       # a third one, new in June
        ["63.11.06.1019", "JKK", "2024-06-02", "70000000"]])
    s = load_file("claims", cumulative, db_path=db_path)
    assert (s.accepted, s.duplicates) == (4, 2)
    assert query(db_path, "SELECT count(*), sum(amount) FROM core.claims") == [(4, 196_000_000)]


def test_excel_claims_with_date_and_number_cells(tmp_path, db_path):
    src = write_xlsx(tmp_path / "klaim.xlsx", HEADERS + ["NIK"], [
        ["63.11.04.2005", "JKM", dt.datetime(2024, 5, 21), 42000000, None],
        [6311061019, "JKK", dt.date(2024, 8, 2), 70000000.0, make_nik(2)],
        ["63.11.04.2005", "JKM", dt.datetime(2024, 5, 22), 42000000, int(make_nik(3))]])
    s = load_file("claims", src, db_path=db_path)
    assert (s.accepted, s.reasons) == (2, {"nik_excel_number": 1})
    assert claims(db_path) == [("63.11.04.2005", "JKM", dt.date(2024, 5, 21), 42_000_000),
                               ("63.11.06.1019", "JKK", dt.date(2024, 8, 2), 70_000_000)]


def test_missing_required_column_refused_and_nothing_changes(tmp_path, db_path):
    load_file("claims", write_csv(tmp_path / "ok.csv", HEADERS, [
        ["63.11.04.2005", "JKM", "2024-05-21", "42000000"]]), db_path=db_path)
    before = fingerprint(db_path)
    code, _, err = cli_load(db_path, "claims", write_csv(
        tmp_path / "no_amount.csv", HEADERS[:3], [["63.11.04.2005", "JKM", "2024-05-21"]]))
    assert code == 2 and "NOMINAL" in err
    assert fingerprint(db_path) == before
