"""Loading the BPJS membership export: aliases, value variants, quarantine, latest export wins,
other-channel members, names kept private, Excel cells, idempotency, missing columns."""

from __future__ import annotations

import datetime as dt

import pytest

from etl.loaders import load_file
from tests.support.loader_kit import (FORM_HEADERS, TEMPLATES, cli_load, fingerprint, form_row,
                                      make_nik, quarantine, query, text_cells_containing, write_csv,
                                      write_xlsx)

HEADERS = ["NIK", "NAMA", "KPJ", "TGL_KEPESERTAAN", "PROGRAM", "SUMBER_DANA", "IURAN_SAMPAI",
           "KODE_DESA"]


def member(serial, kpj="24031234567", enrolled="2024-03-04", programs="JKK,JKM",
           funding="APBD", paid="2025-10", desa="63.11.04.2005", name="Rahmat Hidayat"):
    return [make_nik(serial), name, kpj, enrolled, programs, funding, paid, desa]


def current(db_path):
    return query(db_path, """
        SELECT nik_masked, kpj, enrolled_on, programs, funding_source, paid_through, desa_code
        FROM core.members
        QUALIFY row_number() OVER (PARTITION BY person_key ORDER BY load_id DESC,
                                   row_number DESC) = 1
        ORDER BY nik_masked""")


def test_template_loads_cleanly_through_the_cli(db_path):
    template = TEMPLATES / "members_sample.csv"
    if not template.exists():
        pytest.skip("../shared/fixtures is not available")
    code, summary, err = cli_load(db_path, "members", template)
    assert code == 0, err
    assert (summary["rows_read"], summary["accepted"], summary["quarantined"]) == (4, 4, 0)
    assert summary["extra"]["other_channel"] == 4  # nobody registered through the form yet
    assert summary["extra"]["funding"] == {"APBD": 2, "APBDES": 1, "MANDIRI": 1}
    rows = current(db_path)
    assert rows[0] == ("6311********0001", "24031234567", dt.date(2024, 3, 4), ["JKK", "JKM"],
                       "APBD", dt.date(2025, 10, 1), "63.11.04.2005")
    assert ["JKK", "JKM", "JHT"] in [r[3] for r in rows]
    # Names only in private.persons; the marts and core never see them.
    assert query(db_path, "SELECT count(*) FROM private.persons WHERE full_name IS NOT NULL"
                 ) == [(4,)]
    assert text_cells_containing(db_path, "Rahmat Hidayat") == []
    assert text_cells_containing(db_path, "6311040707900001") == []


def test_aliases_variants_and_every_bad_row(tmp_path, db_path):
    headers = ["nik peserta", "Nama_Peserta", "Nomor Kepesertaan", "tanggal_kepesertaan",
               "Programs", "Funding Source", "paid_through", "kode_desa"]
    good = [
        member(1, programs="JKK+JKM", funding="APBDes", paid="10/2025"),
        member(2, programs="JKK; JKM JHT", funding="Dana Desa", paid="Okt 2025",
               enrolled="04/03/2024"),
        member(3, programs="jkk dan jkm", funding="self-paid", paid="202512", desa="6311042005"),
        member(4, programs="Jaminan Kematian", funding="Baznas", paid="Oct-2025", desa=""),
        [f"'{make_nik(5)}", "Siti", " 2403-1234-569 ", "2024-03-04", "JKM,JKK,JKM", "csr",
         "2025-11-30", "63.11.04.2005"],
    ]
    bad = [
        ([""] + member(6)[1:], "nik_missing"),
        (["6.31104E+15"] + member(7)[1:], "nik_scientific"),
        (["63110407079"] + member(8)[1:], "nik_format"),
        (["6311043213900009"] + member(9)[1:], "nik_birth_date"),
        (member(10, kpj=""), "kpj_missing"),
        (member(11, enrolled=""), "date_missing"),
        (member(12, enrolled="2024-13-40"), "date_invalid"),
        (member(13, programs="JKK, BPJS Kesehatan"), "program_unknown"),
        (member(14, programs=""), "program_unknown"),
        (member(15, paid="sampai lunas"), "month_invalid"),
        (member(16, desa="63.11.99.9999"), "desa_code_unknown"),
    ]
    src = write_csv(tmp_path / "Export BPJS.csv", headers, good + [r for r, _ in bad])
    s = load_file("members", src, db_path=db_path)
    assert s.columns == dict(zip(["nik", "name", "kpj", "enrolled", "programs", "funding",
                                  "paid_through", "desa_code"], headers)) | {
        "nik": "nik peserta", "name": "Nama_Peserta"}
    assert (s.rows_read, s.accepted, s.quarantined) == (16, 5, 11)
    expected = {}
    for _, reason in bad:
        expected[reason] = expected.get(reason, 0) + 1
    assert s.reasons == expected
    q = quarantine(db_path)
    assert [(r[0], r[1]) for r in q] == [(6 + i, reason) for i, (_, reason) in enumerate(bad)]
    # The original values are kept under the file's own headers.
    assert q[0][3]["Nomor Kepesertaan"] == "24031234567" and q[0][3]["nik peserta"] is None
    assert q[7][2] == "PROGRAM: BPJS Kesehatan"
    assert q[9][3]["paid_through"] == "sampai lunas"

    rows = {r[0]: r for r in current(db_path)}
    assert rows["6311********0001"][3:6] == (["JKK", "JKM"], "APBDES", dt.date(2025, 10, 1))
    assert rows["6311********0002"][2:6] == (dt.date(2024, 3, 4), ["JKK", "JKM", "JHT"], "APBDES",
                                             dt.date(2025, 10, 1))
    assert rows["6311********0003"][3:] == (["JKK", "JKM"], "MANDIRI", dt.date(2025, 12, 1),
                                            "63.11.04.2005")
    assert rows["6311********0004"][3:] == (["JKM"], "LAINNYA", dt.date(2025, 10, 1), None)
    assert rows["6311********0005"][1:6] == ("24031234569", dt.date(2024, 3, 4), ["JKK", "JKM"],
                                             "CSR", dt.date(2025, 11, 1))
    assert s.extra["funding_other_texts"] == {"Baznas": 1}


def test_latest_export_wins_history_kept_and_reload_changes_nothing(tmp_path, db_path):
    first = write_csv(tmp_path / "peserta_2025-09.csv", HEADERS, [
        member(1, paid="2025-08"), member(2, paid="2025-09")])
    s1 = load_file("members", first, db_path=db_path)
    assert (s1.accepted, s1.duplicates) == (2, 0)
    before = fingerprint(db_path)
    again = load_file("members", first, db_path=db_path)
    assert again.already_loaded and fingerprint(db_path) == before

    # A cumulative export a month later: member 1 paid further and added JHT, member 2 the same,
    # member 3 new; member 1 listed twice (the last row of a person wins).
    second = write_csv(tmp_path / "peserta_2025-10.csv", HEADERS, [
        member(1, paid="2025-09"), member(2, paid="2025-09"), member(3, funding="CSR"),
        member(1, paid="2025-10", programs="JKK,JKM,JHT")])
    s2 = load_file("members", second, db_path=db_path)
    assert (s2.accepted, s2.quarantined, s2.duplicates) == (4, 0, 2)
    assert [(r[0], r[3], r[5]) for r in current(db_path)] == [
        ("6311********0001", ["JKK", "JKM", "JHT"], dt.date(2025, 10, 1)),
        ("6311********0002", ["JKK", "JKM"], dt.date(2025, 9, 1)),
        ("6311********0003", ["JKK", "JKM"], dt.date(2025, 10, 1))]
    assert query(db_path, "SELECT count(*) FROM core.members") == [(4,)]  # 2 + 2 changed/new
    assert s2.extra["members_current"] == 3

    # The same content under another file name adds nothing.
    copy = tmp_path / "copy.csv"
    copy.write_bytes(second.read_bytes() + b"\n")
    s3 = load_file("members", copy, db_path=db_path)
    assert (s3.accepted, s3.duplicates) == (4, 4)
    assert query(db_path, "SELECT count(*) FROM core.members") == [(4,)]


def test_other_channel_members_and_the_form_keeps_its_names(tmp_path, db_path):
    form = write_csv(tmp_path / "form.csv", FORM_HEADERS, [form_row(make_nik(1), name="Rahmat")])
    assert load_file("registrations", form, db_path=db_path).accepted == 1
    src = write_csv(tmp_path / "bpjs.csv", HEADERS, [
        member(1, name="RAHMAT HIDAYAT BIN ABDULLAH"), member(2, name="Siti Aisyah")])
    s = load_file("members", src, db_path=db_path)
    assert s.extra["other_channel"] == 1
    assert query(db_path, "SELECT nik, full_name FROM private.persons ORDER BY 1") == [
        (make_nik(1), "Rahmat"), (make_nik(2), "Siti Aisyah")]
    assert text_cells_containing(db_path, "Siti Aisyah") == []


def test_excel_export_with_date_cells_and_a_number_nik(tmp_path, db_path):
    src = write_xlsx(tmp_path / "peserta.xlsx", HEADERS, [
        [make_nik(1), "A", "24031234567", dt.datetime(2024, 3, 4), "JKK,JKM", "APBD",
         dt.datetime(2025, 10, 31), "63.11.04.2005"],
        [make_nik(2), "B", 24031234568, dt.date(2024, 3, 5), "JKK,JKM", "APBD", "2025-10",
         "63.11.04.2005"],
        [int(make_nik(3)), "C", "24031234569", "2024-03-04", "JKK,JKM", "APBD", "2025-10",
         "63.11.04.2005"],
    ])
    s = load_file("members", src, db_path=db_path)
    assert (s.accepted, s.reasons) == (2, {"nik_excel_number": 1})
    assert [(r[1], r[2], r[5]) for r in current(db_path)] == [
        ("24031234567", dt.date(2024, 3, 4), dt.date(2025, 10, 1)),
        ("24031234568", dt.date(2024, 3, 5), dt.date(2025, 10, 1))]


def test_missing_required_column_refused_by_cli_and_nothing_changes(tmp_path, db_path):
    load_file("members", write_csv(tmp_path / "ok.csv", HEADERS, [member(1)]), db_path=db_path)
    before = fingerprint(db_path)
    no_kpj = write_csv(tmp_path / "no_kpj.csv", [h for h in HEADERS if h != "KPJ"],
                       [[c for i, c in enumerate(member(2)) if i != 2]])
    code, _, err = cli_load(db_path, "members", no_kpj)
    assert code == 2
    assert "KPJ" in err and "Tidak ada data yang dimuat" in err
    assert fingerprint(db_path) == before
