"""Data-quality page logic: loads, quarantine by reason and place (masked), flags, name matches."""

from __future__ import annotations

import json

import pytest

from dashboard import quality
from etl import db
from etl.loaders import load_file
from tests.support.helpers import nik, row, write_csv

SECRETS = ("6311040707900001", "6311040101100001", "Rahmat", "081234567890", "Siti",
           "6311044707900002", "081298765432")


@pytest.fixture
def loaded(tmp_path, db_path):
    src = write_csv(tmp_path / "form.csv", [
        row(),                                                            # accepted
        row(name="Siti Aisyah", nik_="6311044707900002", kk="6311040101100001",
            hp="081298765432", birth="02/30/1990"),                        # bad birth date
        row(name="Rahmat Dua", nik_="6.31109E+15"),                        # scientific NIK
        row(name="Rahmat Tiga", nik_=nik(serial=3), kec="Batu Mandi", desa="Desa Entah"),
        row(name="Rahmat Empat", nik_=nik(serial=4, kab="6371")),          # other kabupaten: flag
        row(name="Rahmat Lima", nik_=nik(serial=5), desa="Tariwn"),        # fuzzy place: flag
    ])
    summary = load_file("registrations", src, db_path=db_path)
    assert summary.quarantined == 3
    con = db.connect_readonly(db_path)
    yield con, summary
    con.close()


def test_masking_rules():
    assert quality.personal_kind("NOMOR INDUK KEPENDUDUKAN (16 NIK Sesuai KTP)") == quality.MASKED
    assert quality.personal_kind("NOMOR KARTU KELUARGA (KK)") == quality.MASKED
    both = ["NOMOR INDUK KEPENDUDUKAN (16 NIK Sesuai KTP)",
            "NAMA LENGKAP (Sesuai KTP, tanpa gelar / jabatan)"]
    assert list(quality.column_treatment("registrations", both).values()) == [
        quality.MASKED, quality.DROPPED]
    assert quality.personal_kind("NOMOR HP/WA") == quality.DROPPED
    assert quality.personal_kind("KPJ", "members") == quality.MASKED
    assert quality.personal_kind("KECAMATAN") is None
    # Quasi-identifiers beside the masked NIK, and columns the loader does not know, are hidden.
    for header in ("TANGGAL LAHIR", "JENIS KELAMIN", "Email Address", "ALAMAT", "USIA", "CATATAN"):
        assert quality.personal_kind(header) == quality.DROPPED, header
    assert quality.mask_value("'6311.0407.0790.0001") == "6311********0001"
    assert quality.mask_value("6.31109E+15") == "****"
    original = json.dumps({
        "NIK": "6311040707900001", "NAMA": "Rahmat", "CATATAN": "hp 081234567890",
        "DESA": "Tariwin", "PEKERJAAN": "petani, hp 081234567890"})
    assert quality.mask_original(original) == {"NIK": "6311********0001", "DESA": "Tariwin",
                                               "PEKERJAAN": "petani, hp ************"}
    assert quality.hidden_columns(original) == ["NAMA", "CATATAN"]


def test_quarantine_is_shown_masked_with_reasons(loaded):
    con, summary = loaded
    rows = quality.quarantine_rows(con)
    assert len(rows) == 3
    dump = rows.to_csv(index=False)
    for secret in SECRETS:
        assert secret not in dump
    assert "6311********0002" in dump
    assert set(rows["Kode alasan"]) == set(summary.reasons)
    by_reason = quality.quarantine_by_reason(con)
    assert by_reason["Baris"].sum() == 3
    assert "notasi ilmiah" in " ".join(by_reason["Alasan"])
    by_place = quality.quarantine_by_place(con)
    assert by_place["Baris"].sum() == 3
    # the unknown desa is still placed in its kecamatan for the data officer
    assert "BATU MANDI" in {str(k).upper() for k in by_place["Kecamatan"]}


def test_loads_flags_and_name_matches(loaded):
    con, summary = loaded
    history = quality.loads(con)
    assert history.iloc[0]["Dikarantina"] == 3 and history.iloc[0]["Baris dibaca"] == 6
    flags = quality.flags(con)
    assert "nik_other_kabupaten" in set(flags["Kode tanda"])
    assert flags["NIK (disamarkan)"].str.contains(r"\*{8}").all()
    summary_table = quality.flag_summary(flags)
    assert summary_table["Baris"].sum() == len(flags)
    names = quality.name_matches(con)
    assert {"tidak cocok", "ejaan terdekat"} <= set(names["Hasil"])
    unmatched = names[names["Hasil"] == "tidak cocok"].iloc[0]
    assert unmatched["Desa tertulis"] == "Desa Entah" and unmatched["Calon terdekat"]
    fig = quality.reasons_figure(quality.quarantine_by_reason(con))
    assert sum(fig.data[0].x) == 3


def test_report_gathers_every_section_with_counts_only(loaded):
    con, _ = loaded
    rep = quality.report(con)
    assert set(rep) >= {"loads", "by_reason", "by_place", "rows_total", "flags_total",
                        "flag_summary", "flags_by_place", "names", "over", "unplaced"}
    assert not {"rows", "flags"} & set(rep)     # person-level rows: admin only
    assert rep["over"].empty          # no denominators loaded: no desa can be above 100%
    assert rep["rows_total"] == 3 and len(quality.quarantine_rows(con)) == 3
    assert rep["flags_by_place"]["Baris"].sum() == rep["flags_total"]


def test_columns_the_loader_does_not_know_are_hidden(tmp_path, db_path):
    from tests.support.helpers import FORM_HEADERS

    headers = FORM_HEADERS + ["Email Address", "ALAMAT RUMAH"]
    bad = row(nik_="6.31104E+15") + ["rahmat.hidayat@example.com", "Jl. Melati 7 RT 02"]
    load_file("registrations", write_csv(tmp_path / "form.csv", [bad], headers=headers),
              db_path=db_path)
    con = db.connect_readonly(db_path)
    try:
        rows = quality.quarantine_rows(con)
    finally:
        con.close()
    dump = rows.to_csv(index=False)
    assert "rahmat.hidayat@example.com" not in dump and "Melati" not in dump
    assert "Email Address" in rows.iloc[0]["Kolom disembunyikan"]
    assert "ALAMAT RUMAH" in rows.iloc[0]["Kolom disembunyikan"]


def test_the_officer_report_takes_its_counts_and_rows_from_one_computation_of_the_flags(
        loaded, monkeypatch):
    con, _ = loaded
    plain = quality.report(con)
    run, names = quality.queries.run, []

    def counted(c, name, *args, **kwargs):
        names.append(name)
        return run(c, name, *args, **kwargs)

    monkeypatch.setattr(quality.queries, "run", counted)
    rep = quality.officer_report(con)
    assert names.count("quality_flags") == 1
    assert set(rep) == set(plain) | {"flags"}
    assert rep["flags"].equals(quality.flags(con)) and len(rep["flags"]) == rep["flags_total"]
    assert rep["flag_summary"].equals(plain["flag_summary"])
    assert rep["flags_by_place"].equals(plain["flags_by_place"])


def test_rows_per_load_are_the_muatan_choices_with_their_counts(loaded):
    con, _ = loaded
    rep = quality.report(con)
    counts = quality.rows_per_load(rep["by_load"])
    assert counts == {"Semua": 3, 1: 3}
    assert rep["rows_not_in_latest"] == 0
    assert len(quality.quarantine_rows(con, 1)) == 3
    assert quality.quarantine_rows(con, 2).empty
