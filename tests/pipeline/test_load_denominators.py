"""Loading denominators: codes or names, sectors, replace semantics per (year, desa, sector),
conflicts in one file, quarantine, Excel, idempotency, missing columns."""

from __future__ import annotations

import pytest

from etl.loaders import load_file
from tests.support.loader_kit import (TEMPLATES, cli_load, fingerprint, quarantine, query,
                                      write_csv, write_xlsx)

HEADERS = ["KODE_DESA", "SEKTOR", "TAHUN", "ESTIMASI_PEKERJA", "SUMBER"]


def figures(db_path):
    return query(db_path, "SELECT year, desa_code, sector, estimated_workers, source "
                          "FROM core.denominators ORDER BY 1, 2, 3 NULLS FIRST")


def test_template_loads_cleanly_through_the_cli(db_path):
    template = TEMPLATES / "denominators_sample.csv"
    if not template.exists():
        pytest.skip("../shared/fixtures is not available")
    code, summary, err = cli_load(db_path, "denominators", template)
    assert code == 0, err
    assert (summary["rows_read"], summary["accepted"], summary["quarantined"]) == (4, 4, 0)
    src = "Regsosek 2022 diperbarui Disnaker"
    assert figures(db_path) == [(2025, "63.11.04.2005", None, 812, src),
                                (2025, "63.11.04.2005", "pertanian", 590, src),
                                (2025, "63.11.06.1019", None, 1460, src),
                                (2025, "63.11.07.1001", None, 1325, src)]
    code, summary, _ = cli_load(db_path, "denominators", template)
    assert code == 0 and summary["already_loaded"] is True


def test_names_aliases_and_every_bad_row(tmp_path, db_path):
    headers = ["Kecamatan", "Nama_Desa", "sector", "Year", "Estimated Workers", "Data Source"]
    good = [
        ["Batu Mandi", "Tariwin", "", "2025", "1.460", "BPS"],
        ["KEC. BATU MANDI", "Ds. Lok Batu", "Pertanian & perkebunan", "2025", "590", "BPS"],
        ["batu mandi", "Tariwn", "perikanan", "2025", "12", "BPS"],          # fuzzy desa name
        ["Juai", "Galumbang", "", "2025", "1,204", ""],
        ["Paringin Selatan", "Galumbang", "", "2025", "800.0", "BPS"],     # the other Galumbang
        ["Juai", "Galumbang", "", "2025", "1,204", ""],                     # exact repeat
    ]
    bad = [
        (["Batu Mandi", "", "", "2025", "10", ""], "desa_missing"),
        (["Kecamatan Antah", "Tariwin", "", "2025", "10", ""], "kecamatan_unknown"),
        (["Batu Mandi", "Kampung Baru Sekali", "", "2025", "10", ""], "desa_unknown"),
        (["Batu Mandi", "Munjung", "astronot", "2025", "10", ""], "sector_unknown"),
        (["Batu Mandi", "Munjung", "", "dua ribu", "10", ""], "year_invalid"),
        (["Batu Mandi", "Munjung", "", "2025", "-5", ""], "number_invalid"),
        (["Batu Mandi", "Munjung", "", "2025", "", ""], "number_invalid"),
        (["Batu Mandi", "Pelajau", "", "2025", "100", ""], "duplicate_conflict"),
        (["Batu Mandi", "Pelajau", "", "2025", "120", ""], "duplicate_conflict"),
    ]
    src = write_csv(tmp_path / "estimasi.csv", headers, good + [r for r, _ in bad])
    s = load_file("denominators", src, db_path=db_path)
    assert s.columns == {"kecamatan": "Kecamatan", "desa": "Nama_Desa", "sector": "sector",
                         "year": "Year", "estimate": "Estimated Workers",
                         "source": "Data Source"}
    assert (s.rows_read, s.accepted, s.quarantined, s.duplicates) == (15, 6, 9, 1)
    assert s.reasons == {"desa_missing": 1, "kecamatan_unknown": 1, "desa_unknown": 1,
                         "sector_unknown": 1, "year_invalid": 1, "number_invalid": 2,
                         "duplicate_conflict": 2}
    q = quarantine(db_path)
    assert [r[1] for r in q] == [reason for _, reason in bad]
    assert q[3][2] == "SEKTOR: astronot" and q[3][3]["sector"] == "astronot"
    assert q[7][2] == "2025 63.11.04.2004 semua sektor"
    assert figures(db_path) == [
        (2025, "63.11.01.2006", None, 1204, None),
        (2025, "63.11.04.2001", None, 1460, "BPS"),
        (2025, "63.11.04.2001", "perikanan", 12, "BPS"),
        (2025, "63.11.04.2002", "pertanian", 590, "BPS"),
        (2025, "63.11.07.2006", None, 800, "BPS")]
    fuzzy = query(db_path, "SELECT desa_text, desa_code, method FROM meta.name_matches "
                           "WHERE method = 'fuzzy'")
    assert fuzzy == [("Tariwn", "63.11.04.2001", "fuzzy")]


def test_new_figure_replaces_old_and_same_content_changes_nothing(tmp_path, db_path):
    first = write_csv(tmp_path / "est_2025.csv", HEADERS, [
        ["63.11.04.2005", "", "2025", "812", "Regsosek"],
        ["63.11.04.2005", "pertanian", "2025", "590", "Regsosek"],
        ["6311061019", "", "2025", "1460", "Regsosek"]])
    assert load_file("denominators", first, db_path=db_path).accepted == 3
    before = fingerprint(db_path)
    assert load_file("denominators", first, db_path=db_path).already_loaded
    assert fingerprint(db_path) == before

    revised = write_csv(tmp_path / "est_2025_revisi.csv", HEADERS, [
        ["63.11.04.2005", "", "2025", "830", "Pendataan desa"],      # replaces 812
        ["63.11.04.2005", "pertanian", "2025", "590", "Regsosek"],   # unchanged
        ["63.11.04.2005", "", "2026", "850", "Proyeksi"]])           # another year: added
    s = load_file("denominators", revised, db_path=db_path)
    assert (s.accepted, s.duplicates, s.extra["replaced"]) == (3, 1, 1)
    assert figures(db_path) == [
        (2025, "63.11.04.2005", None, 830, "Pendataan desa"),
        (2025, "63.11.04.2005", "pertanian", 590, "Regsosek"),
        (2025, "63.11.06.1019", None, 1460, "Regsosek"),
        (2026, "63.11.04.2005", None, 850, "Proyeksi")]


def test_excel_file_with_number_cells(tmp_path, db_path):
    src = write_xlsx(tmp_path / "estimasi.xlsx", HEADERS, [
        ["63.11.04.2005", None, 2025, 812, "BPS"],
        [6311042005, "perdagangan", 2025.0, 95.0, "BPS"],
        ["63.11.99.2005", None, 2025, 812, "BPS"]])
    s = load_file("denominators", src, db_path=db_path)
    assert (s.accepted, s.reasons) == (2, {"desa_code_unknown": 1})
    assert figures(db_path) == [(2025, "63.11.04.2005", None, 812, "BPS"),
                                (2025, "63.11.04.2005", "perdagangan", 95, "BPS")]


def test_missing_place_or_required_column_refused_and_nothing_changes(tmp_path, db_path):
    load_file("denominators", write_csv(tmp_path / "ok.csv", HEADERS, [
        ["63.11.04.2005", "", "2025", "812", "BPS"]]), db_path=db_path)
    before = fingerprint(db_path)
    no_place = write_csv(tmp_path / "no_place.csv", ["KECAMATAN", "TAHUN", "ESTIMASI_PEKERJA"],
                         [["Batu Mandi", "2025", "10"]])
    code, _, err = cli_load(db_path, "denominators", no_place)
    assert code == 2 and "KODE_DESA (atau KECAMATAN dan DESA)" in err
    no_year = write_csv(tmp_path / "no_year.csv", ["KODE_DESA", "ESTIMASI_PEKERJA"],
                        [["63.11.04.2005", "10"]])
    code, _, err = cli_load(db_path, "denominators", no_year)
    assert code == 2 and "TAHUN" in err
    assert fingerprint(db_path) == before
