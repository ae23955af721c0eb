"""`python -m etl export coverage` checked against figures computed by hand on a small fixture.

The fixture (tests/fixtures/metrics/*.csv), as of its latest data month 2025-06:

  desa A = 63.11.01.2001 Muara Ninian (kec. Juai)     estimate 2024: 8; 2025: 10 (pertanian 6)
  desa B = 63.11.01.2002 Hamarung (kec. Juai)         estimate 2025: 4 (2024 falls back to 2025)
  desa C = 63.11.04.2001 Tariwin (kec. Batu Mandi)    sector rows only: pertanian 1 -> total 1

  person  desa sector        submitted   decision               enrolled    paid through
  P1      A    pertanian     2025-01-10  verified 2025-01-20    2025-02-01  2025-06
  P2      A    pertanian     2025-01-15  verified 2025-02-05    2025-02-20  2025-03 (lapsed Apr)
  P3      A    perdagangan   2025-02-10  rejected 2025-02-25    -
  P4      A    perdagangan   2025-03-05  -                      -
  P5      B    pertanian     2025-01-20  verified 2025-02-01    -
  P6      B    transportasi  2025-02-01  -                      2025-03-10  2025-06 (enrolled = verified)
  P7      C    pertanian     2025-04-01 (and 04-15)  verified 2025-04-10   2025-04-20  2025-06
  P8      C    perikanan     2025-05-02  rejected 2025-05-10    2025-06-01  2025-06 (enrolment wins)
  M9      A    lainnya       other channel (never on the form)  2024-12-15  2025-06
  M10     C    lainnya       other channel                      2025-05-05  2025-05 (lapsed Jun)
  M11     -    -             other channel, no desa in the export: "wilayah tidak diketahui"

registered and verified count form registrants (the form funnel); enrolled and active count
every member whatever the channel; other channel members are their own column. People with no
desa are in the kabupaten's total and, in the export of the other levels, a row of their own.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pandas as pd

from tests.support.helpers import run_cli

NUMBERS = ["estimated_workers", "registered", "verified", "enrolled", "active", "coverage_pct",
           "gap", "lapsed", "other_channel"]


def export(db: Path, *args: str) -> pd.DataFrame:
    result = run_cli("--db", str(db), "export", "coverage", *args)
    assert result.returncode == 0, result.stderr
    return pd.read_csv(io.StringIO(result.stdout), dtype="str", keep_default_na=False)


def row(frame: pd.DataFrame, kode: str, sektor: str | None = None) -> list[str]:
    pick = frame[frame["kode"] == kode]
    if sektor is not None:
        pick = pick[pick["sektor"] == sektor]
    assert len(pick) == 1, (kode, sektor, pick)
    return pick.iloc[0][NUMBERS].tolist()


def test_desa_level_latest_month(fixture_db):
    frame = export(fixture_db, "--level", "desa")
    assert list(frame.columns[:4]) == ["kode", "nama", "estimated_workers", "registered"]
    assert {"kode", "nama", "estimated_workers", "registered", "enrolled", "active",
            "coverage_pct", "gap"} <= set(frame.columns)
    # Every desa of Balangan appears, with zeros where nothing happened, and M11 (no desa) last.
    assert len(frame) == 158
    assert frame["kode"].is_unique
    assert frame.iloc[-1]["nama"] == "wilayah tidak diketahui" and frame.iloc[-1]["kode"] == ""
    assert row(frame, "") == ["", "0", "0", "1", "1", "", "", "0", "1"]
    # A at 2025-06: form registrants P1 P2 P3 P4 = 4; verified P1 P2 = 2 (P3 rejected, P4
    # undecided); enrolled P1 P2 M9 = 3; active P1 M9 = 2 (P2 paid through March); lapsed P2 = 1;
    # other channel M9 = 1; coverage 100*2/10 = 20.0; gap 10-2 = 8.
    assert row(frame, "63.11.01.2001") == ["10", "4", "2", "3", "2", "20.0", "8", "1", "1"]
    # B: registered P5 P6 = 2; verified P5 + P6 (enrolled without a recorded decision) = 2;
    # enrolled/active P6 = 1; 100*1/4 = 25.0; gap 3.
    assert row(frame, "63.11.01.2002") == ["4", "2", "2", "1", "1", "25.0", "3", "0", "0"]
    # C: form registrants P7 P8, both verified (P8's enrolment overrides the rejection); P7 P8
    # M10 enrolled = 3; active P7 P8 = 2 (M10 paid through May); estimate 1 (sum of its sector
    # rows): coverage 200.0 and gap -1, reported as they are, never clipped.
    assert row(frame, "63.11.04.2001") == ["1", "2", "2", "3", "2", "200.0", "-1", "1", "1"]
    # A desa with no data and no estimate: zeros and empty coverage.
    assert row(frame, "63.11.01.2003") == ["", "0", "0", "0", "0", "", "", "0", "0"]


def test_kecamatan_and_kabupaten_levels(fixture_db):
    kec = export(fixture_db, "--level", "kecamatan")
    assert len(kec) == 9   # 8 kecamatan and "wilayah tidak diketahui" (M11)
    # Juai = A + B: 4+2=6, 2+2=4, 3+1=4, 2+1=3, estimate 10+4=14, 100*3/14 = 21.43 -> 21.4,
    # gap 11, lapsed 1, other 1.
    assert row(kec, "63.11.01") == ["14", "6", "4", "4", "3", "21.4", "11", "1", "1"]
    # Batu Mandi = C.
    assert row(kec, "63.11.04") == ["1", "2", "2", "3", "2", "200.0", "-1", "1", "1"]
    assert row(kec, "63.11.02") == ["", "0", "0", "0", "0", "", "", "0", "0"]
    assert row(kec, "") == ["", "0", "0", "1", "1", "", "", "0", "1"]
    kab = export(fixture_db, "--level", "kabupaten")
    # Juai + Batu Mandi + M11 (no desa, active in June): registered 8, verified 6, enrolled 8,
    # active 6; estimate 15; 100*6/15 = 40.0; gap 9; lapsed P2 M10 = 2; other M9 M10 M11 = 3.
    assert kab["kode"].tolist() == ["63.11"]
    assert row(kab, "63.11") == ["15", "8", "6", "8", "6", "40.0", "9", "2", "3"]
    # The rows of every level add up to the kabupaten.
    for level in (kec, export(fixture_db, "--level", "desa")):
        for column in ("registered", "enrolled", "active", "lapsed", "other_channel"):
            assert level[column].astype(int).sum() == int(kab[column].iloc[0])


def test_as_of_earlier_months(fixture_db):
    kab = export(fixture_db, "--level", "kabupaten", "--as-of", "2025-03")
    # End of March: form registrants P1 P2 P3 P4 P5 P6 = 6; verified P1 P2 P5 P6 = 4;
    # enrolled P1 P2 P6 M9 = 4, all paid through March or later: active 4; 100*4/15 = 26.7.
    assert row(kab, "63.11") == ["15", "6", "4", "4", "4", "26.7", "11", "0", "1"]
    desa = export(fixture_db, "--level", "desa", "--as-of", "2024-12")
    # December 2024: only M9 (A, other channel: enrolled, not a form registrant). The 2024
    # estimate of A is 8 -> 12.5, gap 7; B has no 2024 estimate and uses its earliest (2025)
    # one: 4 -> 0.0, gap 4.
    assert row(desa, "63.11.01.2001") == ["8", "0", "0", "1", "1", "12.5", "7", "0", "1"]
    assert row(desa, "63.11.01.2002") == ["4", "0", "0", "0", "0", "0.0", "4", "0", "0"]
    kab_2024 = export(fixture_db, "--level", "kabupaten", "--as-of", "2024-12")
    # 8 + 4 + 1 = 13; 100*1/13 = 7.7.
    assert row(kab_2024, "63.11") == ["13", "0", "0", "1", "1", "7.7", "12", "0", "1"]


def test_a_month_after_the_data_is_refused_naming_the_last_month(fixture_db):
    # The data ends on 2025-06-30 (the membership export's date): a later month is not answered
    # with June's figures, it is refused and the message names the last month.
    for month in ("2025-07", "2030-01"):
        result = run_cli("--db", str(fixture_db), "export", "coverage", "--as-of", month)
        assert result.returncode == 2, result.stderr
        assert result.stdout == ""
        assert "2025-06" in result.stderr and month in result.stderr
    # The last month itself is answered.
    assert row(export(fixture_db, "--level", "kabupaten", "--as-of", "2025-06"), "63.11")[4] == "6"


def test_a_month_before_the_first_gives_zeros_with_the_estimate(fixture_db):
    # 2023-06: before the first event (2024-12) and before the first estimate year (2024):
    # zeros, and the estimate of the nearest year the data has (2024: 8 + 4 + 1 = 13).
    kab = export(fixture_db, "--level", "kabupaten", "--as-of", "2023-06")
    assert row(kab, "63.11") == ["13", "0", "0", "0", "0", "0.0", "13", "0", "0"]


def test_by_sector(fixture_db):
    kab = export(fixture_db, "--level", "kabupaten", "--sector")
    assert list(kab.columns[:5]) == ["kode", "nama", "sektor", "sektor_label",
                                     "estimated_workers"]
    assert len(kab) == 10  # every sector, even those without anyone
    # pertanian: P1 P2 P5 P7 registered 4, all verified 4; enrolled P1 P2 P7 = 3; active P1 P7 = 2;
    # estimate A 6 + C 1 = 7 (B has no pertanian estimate); 100*2/7 = 28.6; gap 5; lapsed P2.
    assert row(kab, "63.11", "pertanian") == ["7", "4", "4", "3", "2", "28.6", "5", "1", "0"]
    # perdagangan: P3 P4 registered, neither verified; no estimate.
    assert row(kab, "63.11", "perdagangan") == ["", "2", "0", "0", "0", "", "", "0", "0"]
    # lainnya: the other-channel members M9 M10 M11, enrolled (not form registrants), M9 M11
    # active.
    assert row(kab, "63.11", "lainnya") == ["", "0", "0", "3", "2", "", "", "1", "3"]
    desa = export(fixture_db, "--level", "desa", "--sector", "--as-of", "2025-06")
    assert len(desa) == 158 * 10   # every desa and "wilayah tidak diketahui", every sector
    # C pertanian: P7 only, estimate 1: 100.0, gap 0.
    assert row(desa, "63.11.04.2001", "pertanian") == ["1", "1", "1", "1", "1", "100.0", "0", "0",
                                                      "0"]
    # A pertanian: P1 P2: active P1 = 1 of 6 = 16.7, gap 5.
    assert row(desa, "63.11.01.2001", "pertanian") == ["6", "2", "2", "2", "1", "16.7", "5", "1",
                                                      "0"]


def test_export_refuses_a_bad_month(fixture_db):
    result = run_cli("--db", str(fixture_db), "export", "coverage", "--as-of", "Juni 2025")
    assert result.returncode != 0
    assert "TTTT-BB" in result.stderr


def test_public_totals_are_complete_and_not_recomputed(fixture_db):
    """The public kecamatan table carries "wilayah tidak diketahui" (M11) and the kabupaten's
    figures are etl.metrics' own (coverage not recomputed in dashboard/public.py)."""
    from dashboard import public
    from etl import db, metrics

    con = db.connect_readonly(fixture_db)
    try:
        data = public.build(con, limit=1)   # nothing small enough to suppress
        kab = metrics.coverage_table(con, level="kabupaten").iloc[0]
    finally:
        con.close()
    table = data.tables["kecamatan"].values.set_index("nama")
    assert table.loc[metrics.UNKNOWN_PLACE, "peserta_aktif"] == 1
    total = table.iloc[-1]
    assert (total["peserta_aktif"], total["estimasi_pekerja"], total["cakupan_persen"]) == (
        kab["active"], kab["estimated_workers"], kab["coverage_pct"]) == (6, 15, 40.0)
    assert table["peserta_aktif"].iloc[:-1].sum() == total["peserta_aktif"]
    # The sector and funding tables reach the same complete total.
    assert data.tables["sektor"].values["peserta_aktif"].iloc[-1] == 6
    assert data.tables["sumber_dana"].values["peserta_aktif"].iloc[-1] == 6


def test_a_year_without_its_own_estimate_says_whose_estimate_it_uses(tmp_path):
    """Only a 2025 estimate: 2026 uses it and says so; 2025 says nothing; 2024 uses the earliest
    (2025) and says so. The export carries the years used."""
    from etl import db, loaders, metrics
    from tests.support.helpers import row, write_csv

    db_path = tmp_path / "tahun.duckdb"
    form = write_csv(tmp_path / "form.csv", [row(ts="6/1/2024 08:00:00"),
                                              row(ts="3/1/2026 08:00:00", nik_="6311040707900002")])
    loaders.load_file("registrations", form, db_path=db_path)
    est = tmp_path / "estimasi.csv"
    est.write_text("KODE_DESA,SEKTOR,TAHUN,ESTIMASI_PEKERJA,SUMBER\n"
                   "63.11.04.2001,,2025,40,Uji\n", encoding="utf-8")
    loaders.load_file("denominators", est, db_path=db_path)
    con = db.connect_readonly(db_path)
    try:
        notes = {}
        for month in ("2024-06", "2025-06", "2026-03"):
            table = metrics.coverage_table(con, level="kabupaten", as_of=month)
            assert table["estimated_workers"].iloc[0] == 40
            assert table["estimate_year"].iloc[0] == 2025
            notes[month] = metrics.estimate_year_note(table)
    finally:
        con.close()
    assert notes["2025-06"] is None
    assert notes["2026-03"] == ("Perkiraan pekerja tahun 2026 belum ada: cakupan dihitung dengan "
                                "perkiraan tahun 2025 (tahun terdekat sebelumnya).")
    assert "tahun 2024 belum ada" in notes["2024-06"] and "2025" in notes["2024-06"]
    frame = export(db_path, "--level", "kabupaten", "--as-of", "2026-03")
    assert (frame["estimate_year"].iloc[0], frame["year"].iloc[0]) == ("2025", "2026")


def test_export_into_a_pipe_that_closes_early_ends_quietly(fixture_db, isolated_config):
    """`python -m etl export coverage ... | head` : exit 0, nothing on stderr, nothing logged."""
    import subprocess
    import sys

    from tests.support.helpers import REPO

    proc = subprocess.Popen(
        [sys.executable, "-m", "etl", "--db", str(fixture_db), "export", "coverage",
         "--level", "desa", "--sector"], cwd=REPO, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, env={**os.environ, "CAKUPAN_CONFIG_DIR": str(isolated_config)})
    first = proc.stdout.readline()
    proc.stdout.close()          # what `head -1` does after its line
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, err
    assert first.startswith(b"kode,nama,")
    assert err == ""
    assert not (isolated_config / "errors.log").exists()
