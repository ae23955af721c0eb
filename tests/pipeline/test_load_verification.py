"""Loading verification results: aliases, status variants, quarantine, not-registered NIKs,
the latest decision, cumulative lists, Excel cells, idempotency, missing columns."""

from __future__ import annotations

import datetime as dt

import pytest

from etl.loaders import load_file
from tests.support.loader_kit import (FORM_HEADERS, TEMPLATES, cli_load, fingerprint, form_row,
                                      make_nik, quarantine, query, text_cells_containing, write_csv,
                                      write_xlsx)

HEADERS = ["NIK", "STATUS", "ALASAN", "TANGGAL"]


def latest(db_path):
    """The current decision per person: latest by (decided_on, load_id, row_number)."""
    return query(db_path, """
        SELECT nik_masked, status, reason, decided_on FROM core.verifications
        QUALIFY row_number() OVER (PARTITION BY person_key
                                   ORDER BY decided_on DESC, load_id DESC, row_number DESC) = 1
        ORDER BY 1""")


def test_template_loads_cleanly_through_the_cli(db_path):
    template = TEMPLATES / "verification_sample.csv"
    if not template.exists():
        pytest.skip("../shared/fixtures is not available")
    code, summary, err = cli_load(db_path, "verification", template)
    assert code == 0, err
    assert (summary["rows_read"], summary["accepted"], summary["quarantined"]) == (4, 4, 0)
    assert summary["extra"]["decisions"] == {"verified": 2, "rejected": 2}
    assert summary["extra"]["not_registered"] == 4
    rows = latest(db_path)
    assert ("6311********0005", "rejected", "Sudah terdaftar sebagai peserta penerima upah",
            dt.date(2024, 5, 3)) in rows
    assert text_cells_containing(db_path, "6311052208880005") == []
    code, summary, _ = cli_load(db_path, "verification", template)
    assert code == 0 and summary["already_loaded"] is True


def test_aliases_status_variants_and_every_bad_row(tmp_path, db_path):
    headers = ["No_KTP", "Hasil Verifikasi", "keterangan", "Tgl Verifikasi"]
    good = [
        [make_nik(1), "Terverifikasi", "", "2024-02-27"],
        [f"'{make_nik(2)}", "verified", None, "27/02/2024"],
        [make_nik(3)[:8] + " " + make_nik(3)[8:], "VALID", "", "2024-02-27 00:00:00"],
        [make_nik(4), "Ditolak", "Usia  di atas batas", "3/5/2024"],
        [make_nik(5), "rejected", "Sudah peserta PU", "2024-05-03"],
        [make_nik(6), "tidak memenuhi syarat", "", "03.05.2024"],
        [make_nik(7, region="630101"), "Lolos verifikasi", "", "2024-05-03"],  # other kabupaten
    ]
    bad = [
        (["", "TERVERIFIKASI", "", "2024-02-27"], "nik_missing"),
        (["6.31104E+15", "TERVERIFIKASI", "", "2024-02-27"], "nik_scientific"),
        ([make_nik(9)[:15], "TERVERIFIKASI", "", "2024-02-27"], "nik_format"),
        ([make_nik(10, mm=13), "TERVERIFIKASI", "", "2024-02-27"], "nik_birth_date"),
        ([make_nik(0), "TERVERIFIKASI", "", "2024-02-27"], "nik_serial"),
        ([make_nik(11), "mungkin", "", "2024-02-27"], "status_unknown"),
        ([make_nik(12), "Menunggu", "", ""], "status_pending"),
        ([make_nik(13), "", "", ""], "status_pending"),
        ([make_nik(14), "DITOLAK", "KK beda", ""], "date_missing"),
        ([make_nik(15), "DITOLAK", "", "31/02/2024"], "date_invalid"),
        ([make_nik(16), "DITOLAK", "", "2999-01-01"], "date_future"),
    ]
    src = write_csv(tmp_path / "hasil verifikasi.csv", headers, good + [r for r, _ in bad])
    s = load_file("verification", src, db_path=db_path)
    assert s.columns == {"nik": "No_KTP", "status": "Hasil Verifikasi", "reason": "keterangan",
                         "date": "Tgl Verifikasi"}
    assert (s.rows_read, s.accepted, s.quarantined, s.duplicates) == (18, 7, 11, 0)
    assert s.reasons == {reason: 1 for _, reason in bad if reason != "status_pending"} | {
        "status_pending": 2}
    q = quarantine(db_path)
    assert [(r[0], r[1]) for r in q] == [(8 + i, reason) for i, (_, reason) in enumerate(bad)]
    assert q[5][2] == "STATUS: mungkin" and q[5][3]["Hasil Verifikasi"] == "mungkin"
    assert q[9][2] == "TANGGAL: 31/02/2024"
    assert s.extra["decisions"] == {"verified": 4, "rejected": 3}
    rows = {r[0]: r[1:] for r in latest(db_path)}
    assert rows["6311********0002"] == ("verified", None, dt.date(2024, 2, 27))
    assert rows["6311********0003"] == ("verified", None, dt.date(2024, 2, 27))
    assert rows["6311********0004"] == ("rejected", "Usia di atas batas", dt.date(2024, 5, 3))
    assert rows["6301********0007"][0] == "verified"  # NIK from elsewhere: not a rejection


def test_not_registered_latest_decision_and_cumulative_lists(tmp_path, db_path):
    form = write_csv(tmp_path / "form.csv", FORM_HEADERS, [form_row(make_nik(1)),
                                                          form_row(make_nik(2))])
    load_file("registrations", form, db_path=db_path)
    first = write_csv(tmp_path / "verif_mei.csv", HEADERS, [
        [make_nik(1), "DITOLAK", "KK tidak terbaca", "2024-05-03"],
        [make_nik(3), "TERVERIFIKASI", "", "2024-05-03"],
        [make_nik(3), "TERVERIFIKASI", "", "2024-05-03"]])  # repeated: stored once
    s1 = load_file("verification", first, db_path=db_path)
    assert (s1.accepted, s1.duplicates, s1.extra["not_registered"]) == (3, 1, 1)
    before = fingerprint(db_path)
    assert load_file("verification", first, db_path=db_path).already_loaded
    assert fingerprint(db_path) == before

    # June's list repeats May's decisions and adds a new one: person 1 fixed the KK.
    second = write_csv(tmp_path / "verif_juni.csv", HEADERS, [
        [make_nik(1), "DITOLAK", "KK tidak terbaca", "2024-05-03"],
        [make_nik(3), "TERVERIFIKASI", "", "2024-05-03"],
        [make_nik(1), "TERVERIFIKASI", "", "2024-06-10"],
        [make_nik(2), "TERVERIFIKASI", "", "2024-06-10"]])
    s2 = load_file("verification", second, db_path=db_path)
    assert (s2.accepted, s2.duplicates, s2.extra["not_registered"]) == (4, 2, 1)
    assert query(db_path, "SELECT count(*) FROM core.verifications") == [(4,)]
    assert [r[:2] for r in latest(db_path)] == [
        ("6311********0001", "verified"), ("6311********0002", "verified"),
        ("6311********0003", "verified")]


def test_excel_list_with_date_cells_and_a_number_nik(tmp_path, db_path):
    src = write_xlsx(tmp_path / "verifikasi.xlsx", ["Nomor NIK", "Status", "Reason", "Date"], [
        [make_nik(1), "TERVERIFIKASI", None, dt.datetime(2024, 2, 27)],
        [make_nik(2), "DITOLAK", "Usia", dt.date(2024, 5, 3)],
        [int(make_nik(3)), "TERVERIFIKASI", None, dt.datetime(2024, 2, 27)],
    ])
    s = load_file("verification", src, db_path=db_path)
    assert (s.accepted, s.reasons) == (2, {"nik_excel_number": 1})
    assert [r[1:] for r in latest(db_path)] == [("verified", None, dt.date(2024, 2, 27)),
                                                ("rejected", "Usia", dt.date(2024, 5, 3))]


def test_missing_required_column_refused_by_cli_and_nothing_changes(tmp_path, db_path):
    assert fingerprint(db_path) is None
    src = write_csv(tmp_path / "no_date.csv", ["NIK", "STATUS", "ALASAN"],
                    [[make_nik(1), "TERVERIFIKASI", ""]])
    code, _, err = cli_load(db_path, "verification", src)
    assert code == 2
    assert "TANGGAL" in err and "Tidak ada data yang dimuat" in err
    assert fingerprint(db_path) is None
