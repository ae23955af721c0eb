"""Whole-file failures are refused as a whole (exit 2, nothing changed) with the reason, sample
rows and the fix; a file with a few bad rows still loads (etl/file_refusal.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from etl import gazetteer
from etl.loaders import load_file
from etl.readers import InputError
from tests.support.helpers import nik, row, run_cli, write_csv
from tests.support.loader_kit import fingerprint, query, write_xlsx


def _tabalong_rows(n: int) -> list[list[str]]:
    desa = [r for r in gazetteer.desa_list("63.09")][:n]
    return [row(nik_=nik(serial=i + 1, kab="6309"), kec=gazetteer.name_of(d.parent_code),
                desa=d.name) for i, d in enumerate(desa)]


def test_another_kabupatens_places_name_that_kabupaten_and_the_option(tmp_path, db_path):
    load_file("registrations", write_csv(tmp_path / "ok.csv", [row()]), db_path=db_path)
    before = fingerprint(db_path)
    src = write_csv(tmp_path / "tabalong.csv", _tabalong_rows(12))
    result = run_cli("--db", str(db_path), "load", "registrations", str(src))
    assert result.returncode == 2, result.stderr
    assert "ditolak seluruhnya: 12 dari 12 baris" in result.stderr
    assert "kecamatan_unknown" in result.stderr
    assert "Kabupaten Tabalong (63.09)" in result.stderr
    assert "--kabupaten 63.09" in result.stderr
    assert "baris 1 (KECAMATAN: 'Banua Lawas')" in result.stderr
    assert fingerprint(db_path) == before
    # The suggested option works.
    other = tmp_path / "tabalong.duckdb"
    ok = run_cli("--db", str(other), "--kabupaten", "63.09", "load", "registrations", str(src))
    assert ok.returncode == 0, ok.stderr
    assert query(other, "SELECT count(*) FROM core.participants") == [(12,)]


def test_a_few_bad_rows_still_load(tmp_path, db_path):
    rows = [row(nik_=nik(serial=i)) for i in range(1, 10)] + _tabalong_rows(1)
    s = load_file("registrations", write_csv(tmp_path / "form.csv", rows), db_path=db_path)
    assert (s.accepted, s.reasons) == (9, {"kecamatan_unknown": 1})


def test_the_share_is_a_setting(tmp_path, db_path, monkeypatch):
    rows = [row(nik_=nik(serial=i)) for i in range(1, 5)] + _tabalong_rows(6)
    src = write_csv(tmp_path / "form.csv", rows)
    with pytest.raises(InputError, match="6 dari 10 baris"):
        load_file("registrations", src, db_path=db_path)
    monkeypatch.setenv("CAKUPAN_FILE_REFUSAL_SHARE", "0.7")
    s = load_file("registrations", src, db_path=db_path)
    assert (s.accepted, s.quarantined) == (4, 6)


def test_timestamps_in_a_format_not_understood_refuse_with_sample_values(tmp_path, db_path):
    rows = [row(ts=f"Kamis, {d} 2025 pukul 10", nik_=nik(serial=d)) for d in range(1, 8)]
    with pytest.raises(InputError) as exc:
        load_file("registrations", write_csv(tmp_path / "form.csv", rows), db_path=db_path)
    msg = str(exc.value)
    assert "7 dari 7 baris (100%)" in msg and "timestamp_invalid" in msg
    assert "baris 1 (Timestamp: 'Kamis, 1 2025 pukul 10')" in msg
    assert "Ekspor ulang" in msg
    assert not db_path.exists() or query(db_path, "SELECT count(*) FROM meta.loads") == [(0,)]


def test_nik_column_of_excel_number_cells_refuses_without_quoting_niks(tmp_path, db_path):
    headers = ["Timestamp", "NAMA LENGKAP", "NIK", "NOMOR KARTU KELUARGA (KK)", "TANGGAL LAHIR",
               "KECAMATAN", "DESA/KELURAHAN"]
    rows = [[dt.datetime(2025, 8, 1, 10), "Rahmat", int(nik(serial=i)), "6311040101100001",
             dt.date(1990, 7, 7), "Batu Mandi", "Tariwin"] for i in range(1, 7)]
    src = write_xlsx(tmp_path / "form.xlsx", headers, rows)
    with pytest.raises(InputError) as exc:
        load_file("registrations", src, db_path=db_path)
    msg = str(exc.value)
    assert "nik_excel_number" in msg and "Excel" in msg and "Teks" in msg
    assert nik(serial=1)[:10] not in msg


def test_members_with_another_kabupatens_desa_codes(tmp_path, db_path):
    src = tmp_path / "anggota.csv"
    lines = ["NIK,KPJ,TGL_KEPESERTAAN,PROGRAM,SUMBER_DANA,IURAN_SAMPAI,KODE_DESA"]
    lines += [f"{nik(serial=i)},KPJ{i},2024-01-0{i},JKK+JKM,APBD,2025-10,63.09.01.200{i}"
              for i in range(1, 7)]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"Kabupaten Tabalong \(63.09\).*--kabupaten 63.09"):
        load_file("members", src, db_path=db_path)


def test_pending_verifications_are_rows_not_a_file_failure(tmp_path, db_path):
    src = tmp_path / "verifikasi.csv"
    src.write_text("NIK,STATUS,TANGGAL\n" + "".join(
        f"{nik(serial=i)},MENUNGGU,2024-02-0{i}\n" for i in range(1, 8)), encoding="utf-8")
    s = load_file("verification", src, db_path=db_path)
    assert s.reasons == {"status_pending": 7}
