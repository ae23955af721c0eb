"""The boundaries that ship with the repository (geo/bundled): they cover every kecamatan and desa
of Balangan, nest, carry their source's licence, are exactly what the documented generator
writes, and are what the demo loads when nothing else is configured."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
import shapely

from etl import gazetteer
from geo import bundle

KAB = "63.11"


def _features(level: str) -> gpd.GeoDataFrame:
    return gpd.read_file(bundle.BUNDLED_DIR / f"{KAB}_{level}.geojson")


def test_every_kecamatan_and_desa_of_balangan_is_bundled_small_and_valid():
    kec, desa = _features("kecamatan"), _features("desa")
    assert sorted(kec.kode) == [k.code for k in gazetteer.kecamatan_list(KAB)]
    assert sorted(desa.kode) == sorted(d.code for d in gazetteer.desa_list(KAB))
    assert list(desa.parent) == [c.rsplit(".", 1)[0] for c in desa.kode]
    assert shapely.is_valid(kec.geometry.values).all() and shapely.is_valid(desa.geometry.values).all()
    size = sum((bundle.BUNDLED_DIR / f"{KAB}_{lvl}.geojson").stat().st_size for lvl in bundle.LEVELS)
    assert 50_000 < size < 200_000, size            # "about 100 KB": the repository stays light
    # Kecamatan outlines are dissolved from the desa, so the two map levels nest.
    for code, outline in zip(kec.kode, kec.geometry):
        union = shapely.union_all(desa[desa.parent == code].geometry.values)
        assert outline.symmetric_difference(union).area < 0.001 * outline.area, code


def test_the_source_and_its_licence_travel_with_the_files():
    licence = (bundle.BUNDLED_DIR / "LICENSE").read_text()
    assert licence.startswith("MIT License") and "Copyright (c) 2024 Cahya DSN" in licence
    readme = (bundle.BUNDLED_DIR / "README.md").read_text()
    assert "cahyadsn/wilayah_boundaries" in readme and "python -m geo.bundle" in readme


def test_the_bundle_is_exactly_what_the_generator_writes(tmp_path, geo_dir):
    bundle.generate(geo_dir, KAB, out_dir=tmp_path)
    for name in (f"{KAB}_desa.geojson", f"{KAB}_kecamatan.geojson", "LICENSE", "README.md"):
        assert (tmp_path / name).read_bytes() == (bundle.BUNDLED_DIR / name).read_bytes(), (
            f"geo/bundled/{name} is stale: run python -m geo.bundle")


def test_the_generator_refuses_a_source_without_the_province(tmp_path):
    (tmp_path / "36_banten_desa.geojson").write_text(json.dumps(
        {"type": "FeatureCollection", "features": []}))
    with pytest.raises(SystemExit, match="No desa file of province 63"):
        bundle.generate(tmp_path, KAB, out_dir=tmp_path / "out")


def test_the_demo_uses_the_bundle_unless_boundaries_are_configured(tmp_path, monkeypatch):
    monkeypatch.delenv("CAKUPAN_BOUNDARIES_PATH", raising=False)
    monkeypatch.setattr(bundle, "DEFAULT_SOURCE", tmp_path / "no-shared-here")
    found = bundle.find_boundaries(KAB)
    assert found == {"kecamatan": bundle.BUNDLED_DIR / f"{KAB}_kecamatan.geojson",
                     "desa": bundle.BUNDLED_DIR / f"{KAB}_desa.geojson"}
    # Another kabupaten has no bundle: it loads its own file (the demo says how).
    assert bundle.find_boundaries("36.01") == {}
    # Configured boundaries are used and nothing else, even when they are not there.
    monkeypatch.setenv("CAKUPAN_BOUNDARIES_PATH", str(tmp_path / "typo"))
    assert bundle.find_boundaries(KAB) == {}
    own = tmp_path / "batas_desa.gpkg"
    own.write_bytes(b"")
    monkeypatch.setenv("CAKUPAN_BOUNDARIES_PATH", str(own))
    assert bundle.find_boundaries(KAB) == {"desa": own}


def test_a_folder_names_files_by_kabupaten_first_then_by_province(tmp_path):
    for name in ("63_kalsel_desa.geojson", "63.11_desa.geojson", "63_kalsel_kecamatan.geojson",
                 "63_notes.txt"):
        (tmp_path / name).write_text("{}")
    assert bundle.files_for(KAB, tmp_path) == {"desa": tmp_path / "63.11_desa.geojson",
                                               "kecamatan": tmp_path / "63_kalsel_kecamatan.geojson"}
    assert bundle.files_for("63.01", tmp_path)["desa"] == tmp_path / "63_kalsel_desa.geojson"
