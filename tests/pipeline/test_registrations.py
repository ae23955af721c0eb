"""Loading the Lindungi Prens form export: rules, quarantine, idempotency, messy files."""

from __future__ import annotations

import hashlib
import json

import duckdb
import pytest

from etl import db, identity
from etl.loaders import load_file
from tests.support.helpers import FORM_HEADERS, nik, row, run_cli, write_csv


def _q(db_path, sql, params=None):
    con = db.connect_readonly(db_path)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_form_export_loads_people_keyed_by_hash_and_reports_by_cli(tmp_path, db_path):
    src = write_csv(tmp_path / "form.csv", [
        row(),
        row(name="Siti Aisyah", nik_=nik(serial=2, female=True), sex="Perempuan",
            desa="Lok Batu", job="pedagang sayur"),
    ])
    result = run_cli("--db", str(db_path), "load", "registrations", str(src), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["rows_read"] == 2
    assert summary["accepted"] == 2
    assert summary["quarantined"] == 0
    assert summary["duplicates"] == 0
    assert summary["reasons"] == {}
    assert summary["already_loaded"] is False

    people = _q(db_path, "SELECT person_key, nik_masked, desa_code, sector, sex FROM "
                         "core.participants ORDER BY nik_masked")
    assert [p[1] for p in people] == ["6311********0001", "6311********0002"]
    assert {p[2] for p in people} == {"63.11.04.2001", "63.11.04.2002"}
    # Keyed by the 128-bit keyed hash of the NIK, the same in SQL and in Python.
    assert sorted(p[0] for p in people) == sorted(
        identity.person_key(n) for n in (nik(), nik(serial=2, female=True)))
    # Free text kept, sector mapped.
    assert _q(db_path, "SELECT occupation_text, sector FROM core.participants ORDER BY 1") == [
        ("Petani karet", "pertanian"), ("pedagang sayur", "perdagangan")]

    status = json.loads(run_cli("--db", str(db_path), "status", "--json").stdout)
    assert status["participants"] == 2
    assert status["loads"][0]["source_file"] == "form.csv"
    assert status["loads"][0]["file_sha256"] == _sha(src)
    assert status["tables"]["core.registrations"] == 2

    text = run_cli("--db", str(db_path), "load", "registrations", str(src))
    assert "sudah pernah dimuat" in text.stdout


def test_personal_data_stays_in_private_schema(tmp_path, db_path):
    src = write_csv(tmp_path / "form.csv", [row()])
    load_file("registrations", src, db_path=db_path)
    con = db.connect_readonly(db_path)
    tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables() "
                         "WHERE schema_name IN ('core', 'marts')").fetchall()
    for schema, table in tables:
        dump = json.dumps(con.execute(f"SELECT * FROM {schema}.{table}").fetchall(), default=str)
        for secret in ("6311040707900001", "6311040101100001", "Rahmat", "081234567890"):
            assert secret not in dump, f"{secret} leaked into {schema}.{table}"
    assert con.execute("SELECT nik, kk, full_name, phone FROM private.persons").fetchall() == [
        ("6311040707900001", "6311040101100001", "Rahmat Hidayat", "081234567890")]


@pytest.mark.parametrize("written", [
    "6311 0407 0790 0001", "6311.0407.0790.0001", "6311-0407-0790-0001", "'6311040707900001",
    "6311040707900001.0", " 6311040707900001 ", "6311\u00a0040707900001",
])
def test_nik_is_cleaned_before_it_is_judged(tmp_path, db_path, written):
    src = write_csv(tmp_path / "form.csv", [row(nik_=written)])
    s = load_file("registrations", src, db_path=db_path)
    assert (s.accepted, s.quarantined) == (1, 0)
    assert _q(db_path, "SELECT nik FROM private.persons") == [("6311040707900001",)]


@pytest.mark.parametrize("written, reason", [
    ("6.31104E+15", "nik_scientific"),
    ("6,31104E+15", "nik_scientific"),
    ("6311040707900001E+0", "nik_scientific"),
    ("631104070790001", "nik_format"),        # 15 digits
    ("63110407079000011", "nik_format"),      # 17 digits
    ("63110407079O0001", "nik_format"),       # letter O
    ("", "nik_missing"),
    ("9911040707900001", "nik_region"),       # no province 99
    ("6300040707900001", "nik_region"),       # kabupaten 00
    ("6311090724010001", "nik_birth_date"),   # the form's own example: month 24
    ("6311043102900001", "nik_birth_date"),   # 31 February
    ("6311040007900001", "nik_birth_date"),   # day 0
    ("6311040707900000", "nik_serial"),
])
def test_bad_nik_is_quarantined_with_its_reason(tmp_path, db_path, written, reason):
    src = write_csv(tmp_path / "form.csv", [row(), row(nik_=written, name="Bad Row")])
    s = load_file("registrations", src, db_path=db_path)
    assert (s.accepted, s.quarantined) == (1, 1)
    assert s.reasons == {reason: 1}
    got = _q(db_path, "SELECT row_number, reason_code, original FROM meta.quarantine")
    assert got[0][0] == 2 and got[0][1] == reason
    original = json.loads(got[0][2])
    assert original[FORM_HEADERS[1]] == "Bad Row"  # the whole original row is kept
    assert original[FORM_HEADERS[2]] == (written or None)


def test_other_kabupaten_and_mismatches_are_flags_not_rejections(tmp_path, db_path):
    src = write_csv(tmp_path / "form.csv", [
        row(nik_=nik(kab="3171", serial=5)),                       # issued in Jakarta
        row(nik_=nik(serial=6), birth="8/7/1990"),                 # NIK says 7 July
        row(nik_=nik(serial=7, female=True), sex="Laki-laki"),     # NIK says woman
        row(nik_=nik(serial=8, yy=15), birth="7/7/2015"),          # 8 years old at submission
    ])
    s = load_file("registrations", src, db_path=db_path)
    assert (s.accepted, s.quarantined) == (4, 0)
    flags = dict(_q(db_path, "SELECT flag_code, count(*) FROM meta.flags GROUP BY 1"))
    assert flags == {"nik_other_kabupaten": 1, "nik_birth_date_mismatch": 1,
                     "nik_sex_mismatch": 1, "age_out_of_range": 1}
    # The birth date inside an NIK is never "corrected": the form's date is kept as given.
    assert ("1990-08-07",) in [(str(r[0]),) for r in _q(db_path,
                                                          "SELECT birth_date FROM core.participants")]


@pytest.mark.parametrize("written, expected", [
    ("7/25/1990", "1990-07-25"), ("07/25/1990", "1990-07-25"), ("1990-07-25", "1990-07-25"),
    ("1990-07-25 00:00:00", "1990-07-25"),
])
def test_birth_date_formats(tmp_path, db_path, written, expected):
    src = write_csv(tmp_path / "form.csv", [row(nik_=nik(dd=25), birth=written)])
    s = load_file("registrations", src, db_path=db_path)
    assert s.accepted == 1
    assert str(_q(db_path, "SELECT birth_date FROM core.participants")[0][0]) == expected


@pytest.mark.parametrize("written, reason", [
    ("2/30/1990", "birth_date_invalid"), ("25/07/1990", "birth_date_invalid"),
    ("kemarin", "birth_date_invalid"), ("", "birth_date_missing"),
    ("7/7/2030", "birth_date_future"),
])
def test_impossible_birth_dates_are_rejected(tmp_path, db_path, written, reason):
    # Another row shows the file is month-first (25 can only be a day in second place).
    src = write_csv(tmp_path / "form.csv", [row(birth=written),
                                            row(nik_=nik(serial=2, dd=25), birth="7/25/1990")])
    s = load_file("registrations", src, db_path=db_path)
    assert s.reasons == {reason: 1}


def test_day_first_dates_when_configured(tmp_path, db_path, monkeypatch):
    """Without evidence in the file (no day or month above 12), the setting decides."""
    monkeypatch.setenv("CAKUPAN_BIRTH_DATE_FORMAT", "dmy")
    src = write_csv(tmp_path / "form.csv", [row(ts="1/2/2024 10:00:00", nik_=nik(dd=3, mm=7),
                                                birth="03/07/1990")])
    s = load_file("registrations", src, db_path=db_path)
    assert (s.accepted, s.extra["date_order"]) == (1, "dmy")
    assert _q(db_path, "SELECT birth_date::VARCHAR, first_submitted_at::DATE::VARCHAR "
                       "FROM core.participants") == [("1990-07-03", "2024-02-01")]


def test_places_are_resolved_by_name_with_the_kecamatan_deciding(tmp_path, db_path):
    src = write_csv(tmp_path / "form.csv", [
        row(nik_=nik(serial=1), kec="KEC. BATU MANDI", desa="Ds. Tariwin"),
        row(nik_=nik(serial=2), kec="batu  mandi", desa="DESA LOK-BATU"),
        row(nik_=nik(serial=3), kec="Juai", desa="Galumbang"),
        row(nik_=nik(serial=4), kec="Paringin Selatan", desa="Galumbang"),
        row(nik_=nik(serial=5), kec="Batu Mandi", desa="Tariwinn"),          # typo
        row(nik_=nik(serial=6), kec="Batu Mandi", desa="Kampung Antah"),     # unknown
        row(nik_=nik(serial=7), kec="Kecamatan Entah", desa="Tariwin"),      # unknown kecamatan
        row(nik_=nik(serial=8), kec="Batu Mandi", desa=""),
    ])
    s = load_file("registrations", src, db_path=db_path)
    assert s.accepted == 5
    assert s.reasons == {"desa_unknown": 1, "kecamatan_unknown": 1, "desa_missing": 1}
    desa = dict(_q(db_path, "SELECT nik_masked, desa_code FROM core.participants"))
    assert desa["6311********0001"] == "63.11.04.2001"
    assert desa["6311********0002"] == "63.11.04.2002"
    galumbang = {desa["6311********0003"], desa["6311********0004"]}
    assert len(galumbang) == 2
    assert {c.rsplit(".", 1)[0] for c in galumbang} == {"63.11.01", "63.11.07"}
    assert desa["6311********0005"] == "63.11.04.2001"
    unmatched = _q(db_path, "SELECT desa_text, method, candidates FROM meta.name_matches "
                            "WHERE method = 'unmatched' AND desa_text = 'Kampung Antah'")
    assert unmatched and unmatched[0][2]  # closest candidates offered to the data officer
    assert ("desa_fuzzy_match",) in _q(db_path, "SELECT flag_code FROM meta.flags")


def test_same_file_twice_changes_nothing(tmp_path, db_path):
    src = write_csv(tmp_path / "form.csv", [row(), row(nik_="bad")])
    load_file("registrations", src, db_path=db_path)
    before = _sha(db_path)
    again = load_file("registrations", src, db_path=db_path)
    assert again.already_loaded is True
    assert _sha(db_path) == before


def test_cumulative_exports_add_only_new_submissions(tmp_path, db_path):
    first = write_csv(tmp_path / "jan.csv", [row()])
    second = write_csv(tmp_path / "feb.csv", [
        row(),                                                           # same submission
        row(ts="2/20/2024 08:00:00", hp="089999999999", desa="Lok Batu"),  # same person again
        row(nik_=nik(serial=9), name="Baru"),
    ])
    load_file("registrations", first, db_path=db_path)
    s = load_file("registrations", second, db_path=db_path)
    assert (s.accepted, s.duplicates) == (3, 2)
    assert s.extra["same_submission_seen_before"] == 1
    assert _q(db_path, "SELECT count(*) FROM core.registrations")[0][0] == 3
    assert _q(db_path, "SELECT count(*) FROM core.participants")[0][0] == 2
    # The newest submission updates contact fields and place; the first dates the registration.
    assert _q(db_path, "SELECT p.phone FROM private.persons p JOIN core.participants c USING "
                       "(person_key) WHERE c.nik_masked = '6311********0001'") == [("089999999999",)]
    got = _q(db_path, "SELECT desa_code, first_submitted_at::DATE::VARCHAR, submissions "
                      "FROM core.participants WHERE nik_masked = '6311********0001'")
    assert got == [("63.11.04.2002", "2024-01-15", 2)]


def test_a_submission_repeated_within_one_file_is_stored_once_at_its_first_row(tmp_path,
                                                                               db_path):
    src = write_csv(tmp_path / "form.csv", [
        row(hp="081111111111"),
        row(nik_=nik(serial=9), name="Baru"),
        row(hp="082222222222"),                  # same person, same timestamp: same submission
    ])
    s = load_file("registrations", src, db_path=db_path)
    assert (s.accepted, s.duplicates) == (3, 1)
    assert _q(db_path, "SELECT row_number FROM core.registrations ORDER BY 1") == [(1,), (2,)]
    assert _q(db_path, "SELECT count(*) FROM private.contacts")[0][0] == 2
    assert _q(db_path, "SELECT phone FROM private.persons WHERE nik = ?",
              [nik()]) == [("081111111111",)]


def test_missing_required_column_names_it_and_loads_nothing(tmp_path, db_path):
    headers = [h for h in FORM_HEADERS if not h.startswith("NOMOR KARTU")]
    src = write_csv(tmp_path / "form.csv", [row()[:3] + row()[4:]], headers=headers)
    result = run_cli("--db", str(db_path), "load", "registrations", str(src))
    assert result.returncode == 2
    assert "NOMOR KARTU KELUARGA" in result.stderr
    assert "Tidak ada data yang dimuat" in result.stderr
    assert not db_path.exists()


def test_headers_are_matched_by_keyword_in_any_case(tmp_path, db_path):
    headers = ["cap waktu", "Nama", "nik", "No. KK", "Tgl Lahir", "jenis_kelamin", "kecamatan",
               "desa", "pekerjaan", "no_hp"]
    src = write_csv(tmp_path / "form.csv", [row()], headers=headers)
    s = load_file("registrations", src, db_path=db_path)
    assert s.accepted == 1
    assert s.columns["kk"] == "No. KK" and s.columns["nik"] == "nik"


def test_semicolon_csv_from_indonesian_excel(tmp_path, db_path):
    src = write_csv(tmp_path / "form.csv", [row(), row(nik_=nik(serial=2))], delimiter=";")
    assert load_file("registrations", src, db_path=db_path).accepted == 2


def test_windows_1252_file_is_detected_and_the_option_still_works(tmp_path, db_path):
    """Issue 9 changed this: a Windows-1252 file is recognised (charset-normalizer) and loads;
    --encoding cp1252 reads it the same way (it used to be Latin-1 in disguise)."""
    src = write_csv(tmp_path / "form.csv", [row(name="Noor Jannah \u00e9")], encoding="cp1252")
    result = run_cli("--db", str(db_path), "load", "registrations", str(src), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["extra"]["encoding"] == "cp1252 (terdeteksi)"
    assert _q(db_path, "SELECT full_name FROM private.persons") == [("Noor Jannah \u00e9",)]
    other = db_path.with_name("b.duckdb")
    ok = run_cli("--db", str(other), "load", "registrations", str(src), "--encoding", "cp1252")
    assert ok.returncode == 0, ok.stderr
    assert _q(other, "SELECT full_name FROM private.persons") == [("Noor Jannah \u00e9",)]


@pytest.mark.parametrize("content, expected", [
    (b"", "kosong"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "bukan CSV"),
    (",".join(FORM_HEADERS).encode() + b"\n", "hanya berisi judul"),
])
def test_corrupt_files_are_refused_and_change_nothing(tmp_path, db_path, content, expected):
    load_file("registrations", write_csv(tmp_path / "ok.csv", [row()]), db_path=db_path)
    before = _sha(db_path)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    result = run_cli("--db", str(db_path), "load", "registrations", str(bad))
    assert result.returncode == 2
    assert expected in result.stderr
    assert _sha(db_path) == before


def test_key_mismatch_is_refused(tmp_path, db_path, monkeypatch):
    load_file("registrations", write_csv(tmp_path / "a.csv", [row()]), db_path=db_path)
    result = run_cli("--db", str(db_path), "load", "registrations",
                     str(write_csv(tmp_path / "b.csv", [row(nik_=nik(serial=3))])),
                     env={"CAKUPAN_SECRET_KEY": "another-key"})
    assert result.returncode == 2
    assert "Kunci hash NIK berbeda" in result.stderr


def test_quarantine_export_gives_original_rows_to_fix_and_reload(tmp_path, db_path):
    src = write_csv(tmp_path / "form.csv", [row(), row(nik_=nik(serial=2), desa="Antah")])
    load_file("registrations", src, db_path=db_path)
    out = run_cli("--db", str(db_path), "export", "quarantine")
    assert out.returncode == 0
    fixed = tmp_path / "fixed.csv"
    fixed.write_text(out.stdout.replace("Antah", "Lok Batu"), encoding="utf-8")
    s = load_file("registrations", fixed, db_path=db_path)
    assert (s.accepted, s.quarantined) == (1, 0)
    assert _q(db_path, "SELECT count(*) FROM core.participants")[0][0] == 2


def test_quarantine_reasons_add_up(tmp_path, db_path):
    rows = [row(nik_=nik(serial=i + 1)) for i in range(20)]
    rows[3][2] = "6.31104E+15"
    rows[5][4] = "2/30/1990"
    rows[7][7] = "Desa Antah Berantah"
    rows[9][3] = "123"
    s = load_file("registrations", write_csv(tmp_path / "f.csv", rows), db_path=db_path)
    assert s.rows_read == 20 and s.accepted == 16 and s.quarantined == 4
    assert sum(s.reasons.values()) == s.quarantined
    assert sorted(r[0] for r in _q(db_path, "SELECT row_number FROM meta.quarantine")) == [
        4, 6, 8, 10]


def test_schema_is_created_on_first_use(tmp_path, db_path):
    load_file("registrations", write_csv(tmp_path / "f.csv", [row()]), db_path=db_path)
    con = duckdb.connect(str(db_path), read_only=True)
    schemas = {r[0] for r in con.execute("SELECT schema_name FROM duckdb_schemas()").fetchall()}
    assert {"meta", "core", "private", "marts"} <= schemas


def test_answers_with_line_breaks_and_short_rows_load(tmp_path, db_path):
    """Free-text answers may hold line breaks (quoted), and hand-edited files lose trailing
    empty cells; both are ordinary CSV and must load with the right row numbers."""
    multi = row(nik_=nik(serial=2), job="Petani karet\ndan pedagang")
    short = row(nik_=nik(serial=3))[:8]               # no PEKERJAAN, no HP
    bad = row(nik_="123")
    src = write_csv(tmp_path / "form.csv", [row(), multi, short, bad])
    s = load_file("registrations", src, db_path=db_path)
    assert (s.rows_read, s.accepted, s.quarantined) == (4, 3, 1)
    assert _q(db_path, "SELECT row_number FROM meta.quarantine") == [(4,)]
    jobs = dict(_q(db_path, "SELECT nik_masked, occupation_text FROM core.participants"))
    assert jobs["6311********0002"] == "Petani karet\ndan pedagang"
    assert jobs["6311********0003"] is None


def test_day_first_export_from_an_indonesian_spreadsheet_is_recognised(tmp_path, db_path):
    """A Google Sheet in an Indonesian locale writes dd/mm/yyyy; the file itself shows it."""
    src = write_csv(tmp_path / "form.csv", [
        row(ts="15/01/2024 10:23:45", nik_=nik(serial=1, dd=25), birth="25/07/1990"),
        row(ts="03/02/2024 08:00:00", nik_=nik(serial=2, dd=3, mm=4), birth="03/04/1990"),
    ])
    s = load_file("registrations", src, db_path=db_path)
    assert (s.accepted, s.quarantined) == (2, 0)
    # One order for the whole file; the report says which rows show it.
    assert s.extra["date_order"] == "dmy"
    assert s.extra["date_order_evidence"].startswith("dari data: kolom 'Timestamp' 1 baris")
    assert "(mis. baris 1)" in s.extra["date_order_evidence"]
    got = _q(db_path, "SELECT nik_masked, birth_date::VARCHAR, first_submitted_at::VARCHAR "
                      "FROM core.participants ORDER BY 1")
    assert got == [("6311********0001", "1990-07-25", "2024-01-15 10:23:45"),
                   ("6311********0002", "1990-04-03", "2024-02-03 08:00:00")]
    assert not _q(db_path, "SELECT * FROM meta.flags WHERE flag_code = 'nik_birth_date_mismatch'")


def test_an_ambiguous_file_follows_the_setting(tmp_path, db_path):
    src = write_csv(tmp_path / "form.csv", [row(ts="1/2/2024 10:00:00", birth="7/7/1990")])
    s = load_file("registrations", src, db_path=db_path)
    assert s.extra["date_order"] == "mdy"
    assert s.extra["date_order_evidence"].startswith("pengaturan")
    assert _q(db_path, "SELECT first_submitted_at::DATE::VARCHAR FROM core.participants") == [
        ("2024-01-02",)]


def test_an_unexpected_error_is_reported_plainly_and_changes_nothing(tmp_path, db_path,
                                                                    isolated_config):
    """A bug must not show a data officer a Python traceback, nor touch the database."""
    load_file("registrations", write_csv(tmp_path / "a.csv", [row()]), db_path=db_path)
    before = _sha(db_path)
    # Something unexpected, reproducibly: a directory where the load's lock file must go.
    (db_path.parent / (db_path.name + ".lock")).unlink()
    (db_path.parent / (db_path.name + ".lock")).mkdir()
    result = run_cli("--db", str(db_path), "load", "registrations",
                     str(write_csv(tmp_path / "b.csv", [row(nik_=nik(serial=2))])))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "kesalahan tak terduga" in result.stderr and "tidak berubah" in result.stderr
    assert _sha(db_path) == before
    assert "Traceback" in (isolated_config / "errors.log").read_text()
