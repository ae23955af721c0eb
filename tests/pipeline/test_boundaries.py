"""Boundaries: real Kalimantan Selatan and Banten files, other formats and CRSs, broken input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile

import geopandas as gpd
import pytest
import shapely
import shapely.affinity

from etl import db, gazetteer
from etl.readers import InputError
from geo.boundaries import (feature_collection, load_boundaries, normalise_code, read_layer)
from tests.support.helpers import REPO


def _layer(db_path, level, parent=None):
    con = db.connect_readonly(db_path)
    try:
        return read_layer(con, level, parent)
    finally:
        con.close()


def _rows(db_path, sql, params=None):
    con = db.connect_readonly(db_path)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _max_decimals(text: str) -> int:
    return max((len(m) for m in re.findall(r"\.(\d+)", text)), default=0)


def test_normalise_code_accepts_the_usual_spellings():
    assert normalise_code("63.11.01.2001") == "63.11.01.2001"
    assert normalise_code("6311012001") == "63.11.01.2001"
    assert normalise_code(6311012001) == "63.11.01.2001"
    assert normalise_code("6311012001.0") == "63.11.01.2001"
    assert normalise_code("ID631101") == "63.11.01"
    assert normalise_code(" 6311 ") == "63.11"
    assert normalise_code("Paringin") is None
    assert normalise_code(None) is None


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("prefix,kabupaten", [("63_kalsel", "63.11"), ("36_banten", "36.04")])
def test_real_files_three_levels(geo_dir, db_path, prefix, kabupaten):
    kab_file = geo_dir / f"{prefix}_kabkota.geojson"
    kec_file = geo_dir / f"{prefix}_kecamatan.geojson"
    desa_file = geo_dir / f"{prefix}_desa.geojson"
    n_kec = len(gazetteer.kecamatan_list(kabupaten))
    n_desa = len(gazetteer.desa_list(kabupaten))

    s = load_boundaries(kab_file, level="kabupaten", db_path=db_path, kabupaten_code=kabupaten)
    assert (s.accepted, s.quarantined) == (1, 0)
    assert s.extra["outside"] == s.extra["features_in_file"] - 1
    s = load_boundaries(kec_file, level="kecamatan", db_path=db_path, kabupaten_code=kabupaten)
    assert (s.accepted, s.quarantined, s.extra["missing_codes"]) == (n_kec, 0, 0)
    assert s.columns["code"] == "kode"
    official_kec = _layer(db_path, "kecamatan").set_index("code").geometry

    s = load_boundaries(desa_file, level="desa", db_path=db_path, kabupaten_code=kabupaten)
    assert (s.accepted, s.quarantined, s.extra["missing_codes"]) == (n_desa, 0, 0)
    assert s.extra["derived_from_desa"] == n_kec + 1
    # The payload a map of the kabupaten's desa costs: DESIGN says about 0.1 MB; well under 2 MB.
    assert s.extra["payload_bytes"] < 400_000

    desa = _layer(db_path, "desa")
    assert len(desa) == n_desa and set(desa.code) == {r.code for r in gazetteer.desa_list(
        kabupaten)}
    assert desa.geometry.is_valid.all()
    assert (desa.tolerance == 0.001).all()
    texts = [r[0] for r in _rows(db_path, "SELECT geometry_geojson FROM core.boundaries")]
    assert max(_max_decimals(t) for t in texts) <= 5
    # Kecamatan outlines now come from the desa (so maps nest) and match the official ones.
    kec = _layer(db_path, "kecamatan").set_index("code")
    assert len(kec) == n_kec and (kec.derived_from == "desa").all()
    assert kec.geometry.is_valid.all()
    for code, geom in kec.geometry.items():
        iou = geom.intersection(official_kec[code]).area / geom.union(official_kec[code]).area
        assert iou > 0.7, code
        parts = desa[desa.parent_code == code].geometry.union_all()
        assert abs(parts.area - geom.area) / geom.area < 0.01, code
        # No pinholes where neighbouring desa polygons left a sliver of a gap.
        assert all(shapely.Polygon(r).area > 1e-5 for p in shapely.get_parts(geom)
                   for r in p.interiors), code
    kab = _layer(db_path, "kabupaten")
    assert list(kab.code) == [kabupaten] and kab.derived_from.iloc[0] == "desa"
    assert _rows(db_path, "SELECT count(*) FROM meta.loads WHERE kind = 'boundaries'") == [(3,)]

    again = load_boundaries(desa_file, level="desa", db_path=db_path, kabupaten_code=kabupaten)
    assert again.already_loaded
    # A kecamatan file loaded after the desa does not replace the nested outlines.
    other = load_boundaries(kec_file, level="kecamatan", db_path=db_path,
                            kabupaten_code=kabupaten, tolerance=0.0005)
    assert other.extra["superseded_by_desa"] == n_kec and other.extra["stored"] == 0
    assert (_layer(db_path, "kecamatan").derived_from == "desa").all()


def _balangan_desa(bundled_geo) -> gpd.GeoDataFrame:
    frame = gpd.read_file(bundled_geo / "63.11_desa.geojson")
    return frame[frame["kode"].str.startswith("63.11.")].reset_index(drop=True)


def test_reprojected_geopackage_with_undotted_codes(bundled_geo, db_path, tmp_path):
    frame = _balangan_desa(bundled_geo)
    frame = frame.rename(columns={"kode": "KDEPUM", "nama": "NAMOBJ"})
    frame["KDEPUM"] = frame["KDEPUM"].str.replace(".", "", regex=False)
    gpkg = tmp_path / "balangan_desa_3857.gpkg"
    frame.drop(columns=["parent", "level"]).to_crs(3857).to_file(gpkg, driver="GPKG")
    s = load_boundaries(gpkg, level="desa", db_path=db_path, kabupaten_code="63.11")
    assert (s.accepted, s.quarantined, s.extra["outside"]) == (157, 0, 0)
    assert s.columns["code"] == "KDEPUM" and "3857" in s.extra["crs_in"]
    loaded = _layer(db_path, "desa").set_index("code")
    original = frame.set_index(frame["KDEPUM"].map(normalise_code)).geometry
    for code in ["63.11.01.2001", "63.11.06.1019", "63.11.08.2010"]:
        a, b = loaded.geometry[code], original[code]
        assert a.intersection(b).area / a.union(b).area > 0.9
    assert loaded.geometry.total_bounds[0] == pytest.approx(115.3, abs=0.5)


def test_zipped_shapefile_in_utm(bundled_geo, db_path, tmp_path):
    frame = _balangan_desa(bundled_geo)
    kec = frame.dissolve(by="parent").reset_index()[["parent", "geometry"]]
    kec = kec.rename(columns={"parent": "KDCPUM"}).to_crs(32750)   # UTM 50S
    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    kec.to_file(shp_dir / "kecamatan.shp")
    archive = tmp_path / "kecamatan_balangan.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in shp_dir.iterdir():
            zf.write(part, part.name)
    s = load_boundaries(archive, level="kecamatan", db_path=db_path, kabupaten_code="63.11")
    assert (s.accepted, s.quarantined) == (8, 0)
    layer = _layer(db_path, "kecamatan")
    assert list(layer.code) == [k.code for k in gazetteer.kecamatan_list("63.11")]
    assert list(layer.name)[:2] == ["Juai", "Halong"]   # names from the gazetteer
    assert layer.geometry.is_valid.all()


def test_file_without_crs(tmp_path, db_path):
    square = shapely.box(115.5, -2.4, 115.52, -2.38)
    # A shapefile without its .prj, in metres (UTM-like numbers): refused, nothing guessed.
    path = tmp_path / "no_crs.shp"
    gpd.GeoDataFrame({"kode": ["63.11.01"]}, geometry=[
        shapely.affinity.scale(square, 10_000, 10_000)]).to_file(path)
    path.with_suffix(".prj").unlink(missing_ok=True)
    with pytest.raises(InputError, match="CRS"):
        load_boundaries(path, level="kecamatan", db_path=db_path, kabupaten_code="63.11")
    lonlat = tmp_path / "no_crs_lonlat.shp"
    gpd.GeoDataFrame({"kode": ["63.11.01"]}, geometry=[square]).to_file(lonlat)
    lonlat.with_suffix(".prj").unlink(missing_ok=True)
    s = load_boundaries(lonlat, level="kecamatan", db_path=db_path, kabupaten_code="63.11")
    assert s.accepted == 1 and s.extra["crs_assumed"] == "EPSG:4326"


def test_broken_polygon_unknown_code_and_empty_geometry(bundled_geo, db_path, tmp_path):
    frame = _balangan_desa(bundled_geo).head(5).copy()
    x0, y0, x1, y1 = frame.geometry.iloc[0].bounds
    bowtie = shapely.Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1), (x0, y0)])
    assert not bowtie.is_valid
    frame.loc[0, "geometry"] = bowtie
    frame.loc[1, "kode"] = "63.11.01.2999"           # not in the gazetteer
    frame.loc[2, "geometry"] = None
    frame.loc[3, "kode"] = "63.09.01.2001"           # Tabalong: outside, not an error
    path = tmp_path / "messy.geojson"
    frame.to_file(path, driver="GeoJSON")
    s = load_boundaries(path, level="desa", db_path=db_path, kabupaten_code="63.11")
    assert s.extra["repaired"] >= 1
    assert (s.accepted, s.quarantined, s.extra["outside"]) == (2, 2, 1)
    assert s.reasons == {"boundary_unmatched": 1, "boundary_no_geometry": 1}
    assert s.rows_read == s.accepted + s.quarantined
    layer = _layer(db_path, "desa")
    assert layer.geometry.is_valid.all() and "63.11.01.2001" in set(layer.code)
    q = _rows(db_path, "SELECT reason_code, row_number, reason_detail, original FROM "
                       "meta.quarantine WHERE kind = 'boundaries' ORDER BY row_number")
    assert [(r[0], r[1]) for r in q] == [("boundary_unmatched", 2), ("boundary_no_geometry", 3)]
    assert "63.11.01.2999" in q[0][2]
    assert json.loads(q[0][3])["kode"] == "63.11.01.2999"
    assert json.loads(q[0][3])["geometry"].startswith('{"type":"MultiPolygon"')


def test_names_matched_through_the_gazetteer(bundled_geo, db_path, tmp_path):
    frame = _balangan_desa(bundled_geo)
    kec_names = {k.code: k.name for k in gazetteer.kecamatan_list("63.11")}
    named = gpd.GeoDataFrame({
        "WADMKD": frame["nama"].str.upper(),
        "WADMKC": frame["parent"].map(kec_names),
    }, geometry=frame.geometry, crs=frame.crs)
    named.loc[0, "WADMKD"] = "Desa Muara Ninan"       # a typo the fuzzy matcher resolves
    path = tmp_path / "named.geojson"
    named.to_file(path, driver="GeoJSON")
    s = load_boundaries(path, level="desa", db_path=db_path, kabupaten_code="63.11")
    assert (s.accepted, s.quarantined) == (157, 0)
    assert s.columns == {"name": "WADMKD", "parent_name": "WADMKC"}
    layer = _layer(db_path, "desa")
    assert set(layer.code) == set(frame["kode"])
    # Two desa named Galumbang (Juai and Paringin Selatan): each kept its own polygon.
    gal = layer[layer.name == "Galumbang"]
    assert len(gal) == 2 and gal.geometry.iloc[0].distance(gal.geometry.iloc[1]) > 0


def test_feature_collection_for_maps(bundled_geo, db_path):
    load_boundaries(bundled_geo / "63.11_desa.geojson", level="desa", db_path=db_path,
                    kabupaten_code="63.11")
    con = db.connect_readonly(db_path)
    try:
        fc = feature_collection(con, "desa", parent="63.11.06")
        assert {f["properties"]["code"][:8] for f in fc["features"]} == {"63.11.06"}
        assert len(fc["features"]) == 16
        empty = read_layer(con, "kecamatan", parent="36.01")
        assert len(empty) == 0 and "geometry" in empty.columns
    finally:
        con.close()


def test_cli_load_and_refusal(geo_dir, tmp_path):
    db_path = tmp_path / "cli.duckdb"
    run = subprocess.run(
        [sys.executable, "-m", "etl", "--db", str(db_path), "--kabupaten", "63.11", "load",
         "boundaries", str(geo_dir / "63_kalsel_kecamatan.geojson"), "--level", "kecamatan",
         "--json"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["accepted"] == 8 and out["extra"]["outside"] == 148
    bad = tmp_path / "not_geo.geojson"
    bad.write_text("this is not json")
    run = subprocess.run(
        [sys.executable, "-m", "etl", "--db", str(db_path), "load", "boundaries", str(bad),
         "--level", "desa"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "tidak terbaca" in run.stderr
