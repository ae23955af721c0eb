"""`python -m etl publish DIR`: the static transparency site carries the public page's figures
(from the same function), draws suppressed places as 'disamarkan', and holds nothing personal.

The threshold is raised to 20 so the small demo has many suppressed desa to get right."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest

from dashboard import public, public_files, public_text
from etl import db
from tests.support.helpers import REPO, run_cli
from tests.support.privacy import COUNT_MEASURES, personal_strings, variants

THRESHOLD = "20"


@pytest.fixture(scope="module")
def site(demo_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("situs") / "publik"
    result = run_cli("--db", str(demo_db), "publish", str(out), "--json",
                     env={"CAKUPAN_SMALL_CELL_THRESHOLD": THRESHOLD})
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["bytes"] == sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return out


@pytest.fixture(scope="module")
def page_data(demo_db):
    con = db.connect_readonly(demo_db)
    try:
        return public.build(con, int(THRESHOLD))
    finally:
        con.close()


def map_data(site) -> dict:
    text = (site / "data" / "peta.js").read_text(encoding="utf-8")
    return json.loads(text.removeprefix("window.CAKUPAN_PETA = ").rstrip().rstrip(";"))


def test_site_is_self_contained(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    refs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert refs
    assert "bagikan.png" in refs and "bagikan.pdf" in refs
    for ref in refs:
        if ref.startswith("data:"):
            continue
        assert "//" not in ref, f"reference leaves the folder: {ref}"
        assert (site / ref).is_file(), f"missing file: {ref}"
    assert (site / "vendor").is_dir() and list((site / "vendor").rglob("leaflet.js"))
    for path in site.rglob("*"):      # our files (the browser test covers Leaflet's at run time)
        if path.suffix in (".html", ".js", ".css", ".json") and "vendor" not in path.parts:
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", text), path


def test_site_shows_the_public_pages_figures(site, page_data):
    html = (site / "index.html").read_text(encoding="utf-8")
    for card in public_text.headline_cards(page_data):
        assert card.label in html and f'<div class="value">{card.value}</div>' in html
    published = json.loads((site / "data" / "angka_publik.json").read_text())
    assert published["ringkasan"] == page_data.headline
    assert published["ambang_samar"] == int(THRESHOLD)
    csv = (site / "data" / "cakupan_publik.csv").read_bytes()
    assert csv == public_files.csv_bytes(page_data)
    # Every kecamatan row of the page's table appears with the page's text.
    shown = page_data.tables["kecamatan"].display()
    for _, row in shown.iterrows():
        assert f"<td>{row['Nama']}</td>" in html
        assert f"<td>{row['Peserta aktif']}</td>" in html or \
            '<td class="samar" title="disamarkan">s</td>' in html


def test_map_draws_suppressed_desa_as_disamarkan_not_zero(site, page_data):
    data = map_data(site)
    desa = page_data.tables["desa"]
    hidden = set(desa.values.loc[desa.hidden["peserta_aktif"], "kode"])
    assert hidden, "the threshold must suppress some desa"
    features = {f["properties"]["kode"]: f["properties"] for f in data["desa"]["features"]}
    # Every desa with a polygon; "wilayah tidak diketahui" has none.
    assert set(features) == set(desa.values["kode"]) - {public.UNKNOWN_CODE}
    for code, props in features.items():
        if code in hidden:
            assert props["status"] == "disamarkan"
            assert props["peserta_aktif"] is None and props["cakupan_persen"] is None
        else:
            assert props["peserta_aktif"] == int(desa.values.set_index("kode").at[code,
                                                                                   "peserta_aktif"])
            assert props["peserta_aktif"] == 0 or props["peserta_aktif"] >= int(THRESHOLD)
    kecamatan = page_data.tables["kecamatan"].values.iloc[:-1]   # the last row is the total
    assert len(data["kecamatan"]["features"]) == int((kecamatan["kode"] != public.UNKNOWN_CODE).sum())


def test_published_counts_are_zero_or_at_least_the_threshold(site, page_data):
    published = json.loads((site / "data" / "angka_publik.json").read_text())
    for table in published["tabel"].values():
        for record in table["baris"]:
            for column in COUNT_MEASURES & set(record):
                value = record[column]
                assert value is None or value == 0 or value >= int(THRESHOLD), (column, record)
                if column in record.get("disamarkan", []):
                    assert value is None


def test_no_personal_data_in_any_published_file(site, demo_db):
    strings = personal_strings(demo_db)
    assert len(strings) > 100
    blobs = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    # Positive control: the scan sees real text of the site (a desa name, a figure).
    assert any(b"Pekerja terlindungi" in b for b in blobs.values())
    leaks = [(needle, str(path)) for needle in strings for form in variants(needle)
             for path, blob in blobs.items() if form in blob]
    assert not leaks, leaks[:10]


def test_publishing_again_replaces_the_site(site, demo_db):
    (site / "lama.txt").write_text("dari situs sebelumnya")
    result = run_cli("--db", str(demo_db), "publish", str(site),
                     env={"CAKUPAN_SMALL_CELL_THRESHOLD": THRESHOLD})
    assert result.returncode == 0, result.stderr
    assert not (site / "lama.txt").exists()
    assert (site / "index.html").is_file()
    assert not list(site.parent.glob(f".{site.name}-*")), "no staging folder left behind"


def test_refuses_a_folder_of_other_files(demo_db, tmp_path):
    target = tmp_path / "dokumen"
    target.mkdir()
    (target / "penting.docx").write_bytes(b"isi")
    result = run_cli("--db", str(demo_db), "publish", str(target))
    assert result.returncode == 2
    assert "sudah berisi berkas lain" in result.stderr
    assert [p.name for p in target.iterdir()] == ["penting.docx"]


def test_refuses_a_database_without_registrations(tmp_path):
    db_path = tmp_path / "baru.duckdb"
    loaded = run_cli("--db", str(db_path), "load", "boundaries",
                     str(REPO / "geo" / "bundled" / "63.11_desa.geojson"), "--level", "desa")
    assert loaded.returncode == 0, loaded.stderr
    result = run_cli("--db", str(db_path), "publish", str(tmp_path / "situs"))
    assert result.returncode == 2
    assert "Belum ada data" in result.stderr
    assert not (tmp_path / "situs").exists()


def test_csv_and_dictionary_describe_each_other(site, page_data):
    csv = pd.read_csv(io.BytesIO((site / "data" / "cakupan_publik.csv")
                                 .read_bytes()), dtype=str, keep_default_na=False)
    kamus = pd.read_csv(site / "data" / "kamus_data.csv")
    assert set(csv["ukuran"]) <= set(kamus["nama"])


def test_the_sites_data_folder_is_a_valid_data_package(site):
    from dashboard import datapackage

    assert datapackage.validate(site / "data") == []
    descriptor = json.loads((site / "data" / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        assert (site / "data" / resource["path"]).is_file()
