"""Loading targets: levels and codes, periods, replace semantics, RM ids checked once RM areas
are loaded, quarantine, Excel, idempotency, missing columns."""

from __future__ import annotations

import pytest

from etl.loaders import load_file
from tests.support.loader_kit import (TEMPLATES, cli_load, fingerprint, quarantine, query,
                                      write_csv, write_xlsx)

HEADERS = ["TAHUN", "BULAN", "LEVEL", "KODE", "TARGET"]


def targets(db_path):
    return query(db_path, "SELECT year, quarter, month, level, code, target FROM core.targets "
                          "ORDER BY level, code, quarter NULLS FIRST, month NULLS FIRST")


def test_template_loads_cleanly_through_the_cli(db_path):
    template = TEMPLATES / "targets_sample.csv"
    if not template.exists():
        pytest.skip("../shared/fixtures is not available")
    code, summary, err = cli_load(db_path, "targets", template)
    assert code == 0, err
    assert (summary["rows_read"], summary["accepted"], summary["quarantined"]) == (5, 5, 0)
    assert summary["extra"]["rm_unchecked"] == 1  # no RM areas loaded yet
    assert targets(db_path) == [
        (2025, None, None, "desa", "63.11.04.2005", 700),
        (2025, None, None, "kabupaten", "63.11", 64000),
        (2025, None, None, "kecamatan", "63.11.04", 9000),
        (2025, None, None, "rm", "RM-01", 15000),
        (2025, None, None, "sektor", "perikanan", 1200)]


def test_aliases_periods_codes_and_every_bad_row(tmp_path, db_path):
    headers = ["Year", "Month", "Triwulan", "Tingkat", "Kode_Wilayah", "Sasaran"]
    good = [
        ["2025", "", "", "Kabupaten", "", "64.000"],
        ["2024", "", "", "KAB", "6311", "41000"],
        ["2025", "", "", "kec", "631104", "9000"],
        ["2025", "Okt", "", "Desa", "63.11.04.2005", "650"],
        ["2025", "", "TW II", "desa", "63.11.04.2005", "300"],
        ["2025", "5", "2", "Sektor", "Perikanan (sungai)", "500"],  # month inside its quarter
        ["2025", "", "", "RM", " rm-07 ", "1000"],
        ["2025", "", "", "kecamatan", "63.11.04", "9000"],         # exact repeat
    ]
    bad = [
        (["20x5", "", "", "kabupaten", "63.11", "1"], "year_invalid"),
        (["2025", "Ramadhan", "", "kabupaten", "63.11", "1"], "period_invalid"),
        (["2025", "", "5", "kabupaten", "63.11", "1"], "period_invalid"),
        (["2025", "7", "1", "kabupaten", "63.11", "1"], "period_invalid"),
        (["2025", "", "", "provinsi", "63", "1"], "level_unknown"),
        (["2025", "", "", "kabupaten", "63.01", "1"], "code_unknown"),
        (["2025", "", "", "kecamatan", "63.11.99", "1"], "code_unknown"),
        (["2025", "", "", "desa", "63.11.04.9999", "1"], "code_unknown"),
        (["2025", "", "", "sektor", "astronot", "1"], "sector_unknown"),
        (["2025", "", "", "kabupaten", "63.11", "banyak"], "number_invalid"),
        (["2026", "", "", "desa", "63.11.04.2001", "100"], "duplicate_conflict"),
        (["2026", "", "", "desa", "6311042001", "120"], "duplicate_conflict"),
    ]
    src = write_csv(tmp_path / "target.csv", headers, good + [r for r, _ in bad])
    s = load_file("targets", src, db_path=db_path)
    assert s.columns == {"year": "Year", "month": "Month", "quarter": "Triwulan",
                         "level": "Tingkat", "code": "Kode_Wilayah", "target": "Sasaran"}
    assert (s.rows_read, s.accepted, s.quarantined, s.duplicates) == (20, 8, 12, 1)
    expected: dict[str, int] = {}
    for _, reason in bad:
        expected[reason] = expected.get(reason, 0) + 1
    assert s.reasons == expected
    q = quarantine(db_path)
    assert [r[1] for r in q] == [reason for _, reason in bad]
    assert q[4][2] == "LEVEL: provinsi" and q[4][3]["Tingkat"] == "provinsi"
    assert q[10][2] == "desa 63.11.04.2001"
    assert targets(db_path) == [
        (2025, None, 10, "desa", "63.11.04.2005", 650),
        (2025, 2, None, "desa", "63.11.04.2005", 300),
        (2024, None, None, "kabupaten", "63.11", 41000),
        (2025, None, None, "kabupaten", "63.11", 64000),
        (2025, None, None, "kecamatan", "63.11.04", 9000),
        (2025, None, None, "rm", "RM-07", 1000),
        (2025, None, 5, "sektor", "perikanan", 500)]


def test_revised_targets_replace_and_same_content_changes_nothing(tmp_path, db_path):
    first = write_csv(tmp_path / "target_2025.csv", HEADERS, [
        ["2025", "", "kabupaten", "63.11", "64000"], ["2025", "", "kecamatan", "63.11.04", "9000"]])
    load_file("targets", first, db_path=db_path)
    before = fingerprint(db_path)
    assert load_file("targets", first, db_path=db_path).already_loaded
    assert fingerprint(db_path) == before
    revised = write_csv(tmp_path / "target_2025_revisi.csv", HEADERS, [
        ["2025", "", "kabupaten", "63.11", "66000"], ["2025", "", "kecamatan", "63.11.04", "9000"],
        ["2025", "12", "kabupaten", "63.11", "66000"]])
    s = load_file("targets", revised, db_path=db_path)
    assert (s.accepted, s.duplicates, s.extra["replaced"]) == (3, 1, 1)
    assert targets(db_path) == [(2025, None, None, "kabupaten", "63.11", 66000),
                                (2025, None, 12, "kabupaten", "63.11", 66000),
                                (2025, None, None, "kecamatan", "63.11.04", 9000)]


def test_rm_ids_are_checked_once_rm_areas_are_loaded(tmp_path, db_path):
    areas = write_csv(tmp_path / "rm.csv", ["RM_ID", "NAMA_RM", "KODE_DESA"],
                      [["RM-01", "Utara", "63.11.01.2001"]])
    load_file("rm-areas", areas, db_path=db_path)
    src = write_csv(tmp_path / "t.csv", HEADERS, [["2025", "", "rm", "rm-01", "15000"],
                                                  ["2025", "", "rm", "RM-09", "5000"]])
    s = load_file("targets", src, db_path=db_path)
    assert (s.accepted, s.reasons, s.extra["rm_unchecked"]) == (1, {"code_unknown": 1}, 0)


def test_excel_targets_with_number_cells(tmp_path, db_path):
    src = write_xlsx(tmp_path / "target.xlsx", HEADERS, [
        [2025, None, "kabupaten", "63.11", 64000], [2025, 10, "kabupaten", 6311, 60000.0]])
    s = load_file("targets", src, db_path=db_path)
    assert (s.accepted, s.quarantined) == (2, 0)
    assert targets(db_path) == [(2025, None, None, "kabupaten", "63.11", 64000),
                                (2025, None, 10, "kabupaten", "63.11", 60000)]


def test_missing_required_column_refused_and_nothing_changes(tmp_path, db_path):
    src = write_csv(tmp_path / "no_level.csv", ["TAHUN", "KODE", "TARGET"],
                    [["2025", "63.11", "64000"]])
    code, _, err = cli_load(db_path, "targets", src)
    assert code == 2 and "LEVEL" in err
    assert fingerprint(db_path) is None
