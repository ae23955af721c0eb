"""Loading RM areas: aliases, codes or names, one RM per desa, the latest file replaces an RM's
whole area, quarantine, Excel, idempotency, missing columns."""

from __future__ import annotations

import pytest

from etl.loaders import load_file
from tests.support.loader_kit import (TEMPLATES, cli_load, fingerprint, quarantine, query,
                                      write_csv, write_xlsx)

HEADERS = ["RM_ID", "NAMA_RM", "KODE_DESA"]


def areas(db_path):
    return query(db_path, "SELECT rm_id, rm_name, desa_code FROM core.rm_areas ORDER BY 1, 3")


def test_template_loads_cleanly_through_the_cli(db_path):
    template = TEMPLATES / "rm_areas_sample.csv"
    if not template.exists():
        pytest.skip("../shared/fixtures is not available")
    code, summary, err = cli_load(db_path, "rm-areas", template)
    assert code == 0, err
    assert (summary["rows_read"], summary["accepted"], summary["quarantined"]) == (3, 3, 0)
    assert areas(db_path) == [
        ("RM-01", "Relationship Manager Wilayah Utara", "63.11.01.2001"),
        ("RM-01", "Relationship Manager Wilayah Utara", "63.11.01.2002"),
        ("RM-02", "Relationship Manager Wilayah Selatan", "63.11.07.1001")]


def test_aliases_names_and_every_bad_row(tmp_path, db_path):
    headers = ["Kode RM", "rm name", "kecamatan", "Desa/Kelurahan"]
    rows = [
        ["rm-01", "Utara", "Juai", "Muara Ninian"],
        ["RM-01 ", "", "Juai", "Ds. Hamarung"],
        ["RM-01", "Utara", "Juai", "Hamarung"],             # exact repeat
        ["RM-02", "Selatan", "Paringin Selatan", "Galumbang"],
        ["", "Tanpa ID", "Juai", "Bata"],                   # rm_missing
        ["RM-02", "Selatan", "Juai", ""],                   # desa_missing
        ["RM-02", "Selatan", "Juai", "Kota Antah"],         # desa_unknown
        ["RM-01", "Utara", "Juai", "Sirap"],                # duplicate_conflict (two RMs)
        ["RM-02", "Selatan", "Juai", "Sirap"],              # duplicate_conflict
    ]
    s = load_file("rm-areas", write_csv(tmp_path / "wilayah rm.csv", headers, rows),
                  db_path=db_path)
    assert s.columns == {"rm_id": "Kode RM", "rm_name": "rm name", "kecamatan": "kecamatan",
                         "desa": "Desa/Kelurahan"}
    assert (s.rows_read, s.accepted, s.quarantined, s.duplicates) == (9, 4, 5, 1)
    assert s.reasons == {"rm_missing": 1, "desa_missing": 1, "desa_unknown": 1,
                         "duplicate_conflict": 2}
    q = quarantine(db_path)
    assert [(r[0], r[1]) for r in q] == [(5, "rm_missing"), (6, "desa_missing"),
                                         (7, "desa_unknown"), (8, "duplicate_conflict"),
                                         (9, "duplicate_conflict")]
    assert q[3][2] == "63.11.01.2008 di RM-01, RM-02"
    assert areas(db_path) == [("RM-01", "Utara", "63.11.01.2001"),
                              ("RM-01", "Utara", "63.11.01.2002"),
                              ("RM-02", "Selatan", "63.11.07.2006")]


def test_latest_file_replaces_whole_area_and_moves_desa(tmp_path, db_path):
    first = write_csv(tmp_path / "rm_2025.csv", HEADERS, [
        ["RM-01", "Utara", "63.11.01.2001"], ["RM-01", "Utara", "63.11.01.2002"],
        ["RM-02", "Selatan", "63.11.07.1001"], ["RM-03", "Tengah", "63.11.06.1019"]])
    load_file("rm-areas", first, db_path=db_path)
    before = fingerprint(db_path)
    assert load_file("rm-areas", first, db_path=db_path).already_loaded
    assert fingerprint(db_path) == before
    # RM-01 now covers 2001 and 2003 (2002 leaves it); 63.11.07.1001 moves from RM-02 to RM-01.
    second = write_csv(tmp_path / "rm_2026.csv", HEADERS, [
        ["RM-01", "Utara", "63.11.01.2001"], ["RM-01", "Utara", "63.11.01.2003"],
        ["RM-01", "Utara", "63.11.07.1001"]])
    s = load_file("rm-areas", second, db_path=db_path)
    assert (s.accepted, s.duplicates) == (3, 1)
    assert (s.extra["removed"], s.extra["desa_moved"]) == (2, 1)
    assert areas(db_path) == [("RM-01", "Utara", "63.11.01.2001"),
                              ("RM-01", "Utara", "63.11.01.2003"),
                              ("RM-01", "Utara", "63.11.07.1001"),
                              ("RM-03", "Tengah", "63.11.06.1019")]
    assert query(db_path, "SELECT desa_code FROM core.rm_areas GROUP BY 1 "
                          "HAVING count(*) > 1") == []


def test_excel_areas_with_number_codes(tmp_path, db_path):
    src = write_xlsx(tmp_path / "rm.xlsx", HEADERS, [
        ["RM-01", "Utara", 6311012001], ["RM-01", "Utara", "63.11.01.2002"],
        ["RM-01", "Utara", 6311992002]])
    s = load_file("rm-areas", src, db_path=db_path)
    assert (s.accepted, s.reasons) == (2, {"desa_code_unknown": 1})
    assert [a[2] for a in areas(db_path)] == ["63.11.01.2001", "63.11.01.2002"]


def test_missing_required_column_refused_and_nothing_changes(tmp_path, db_path):
    load_file("rm-areas", write_csv(tmp_path / "ok.csv", HEADERS,
                                    [["RM-01", "Utara", "63.11.01.2001"]]), db_path=db_path)
    before = fingerprint(db_path)
    code, _, err = cli_load(db_path, "rm-areas", write_csv(
        tmp_path / "no_rm.csv", ["NAMA", "KODE_DESA"], [["Utara", "63.11.01.2002"]]))
    assert code == 2 and "RM_ID" in err
    assert fingerprint(db_path) == before
