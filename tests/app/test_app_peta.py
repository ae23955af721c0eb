"""The Peta page on the demo data (AppTest): kecamatan map and table, drilling into the desa of a
kecamatan and back, every metric, the map served without CDNs, and a database without
boundaries (the page says how to load them and still shows the table)."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.helpers import REPO
from dashboard import auth, maps
from etl import db, gazetteer, metrics

pytestmark = pytest.mark.slow


def peta(db_file, monkeypatch) -> AppTest:
    monkeypatch.setenv("CAKUPAN_DB", str(db_file))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    at.session_state["cakupan_user"] = auth.User("pimpinan", "Pimpinan", "pimpinan")
    at.run()
    at.switch_page("pages/peta.py")
    return at.run()


def map_components(at: AppTest) -> list:
    """The page's streamlit-folium components (app.py also draws the sign-in cookie component)."""
    return [c for c in at.get("component_instance") if "cookie_manager" not in c.proto.component_name]


def map_args(at: AppTest) -> str:
    """The folium map as streamlit-folium sends it to the browser (script, html, links)."""
    components = map_components(at)
    assert components, "no map component on the page"
    return components[0].proto.json_args


def kecamatan_rows(db_file) -> int:
    """Rows of the kecamatan table: every kecamatan, and "wilayah tidak diketahui" when some
    members have no desa."""
    con = db.connect_readonly(db_file)
    try:
        return len(metrics.coverage_table(con, level="kecamatan", with_unknown=True))
    finally:
        con.close()


def has_boundaries(db_file) -> bool:
    con = db.connect_readonly(db_file)
    try:
        return db.scalar(con, "SELECT count(*) FROM core.boundaries WHERE level = 'desa'") > 0
    finally:
        con.close()


def test_kecamatan_table_equals_export_and_map_is_local(demo_db, monkeypatch):
    at = peta(demo_db, monkeypatch)
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    con = db.connect_readonly(demo_db)
    try:
        # The table ends with "wilayah tidak diketahui" when some members have no desa.
        expected = metrics.coverage_table(con, level="kecamatan", with_unknown=True)
    finally:
        con.close()
    assert len(table) == len(expected) == len(gazetteer.kecamatan_list("63.11")) + \
        int(expected["kode"].isna().sum())
    shown = dict(zip(table["Nama"], table["Peserta aktif"]))
    assert shown == dict(zip(expected["nama"].str.title(), expected["active"]))
    # Sorted by the gap, largest first (what a planner ranks by).
    gaps = [g for g in table["Belum terlindungi"].dropna()]
    assert gaps == sorted(gaps, reverse=True)
    assert has_boundaries(demo_db), "the demo loads the bundled boundaries (geo/bundled)"
    args = map_args(at)
    assert "63.11.01" in args and "fillColor" in args
    links = json.loads(args)["js_links"] + json.loads(args)["css_links"]
    assert links and all(link.startswith("/app/static/vendor/") for link in links)
    assert not re.search(r"https?://(cdn|code\.jquery|cdnjs|netdna|d3js)", args)


def test_drill_into_a_kecamatan_and_back(demo_db, monkeypatch):
    at = peta(demo_db, monkeypatch)
    juai = "63.11.01"
    at.selectbox(key="peta_kec").select(juai).run()
    assert not at.exception, at.exception
    # The drill-down is the shared kecamatan filter: the sidebar and other pages follow.
    assert at.session_state["flt_kecamatan"] == juai
    table = at.dataframe[0].value
    desa = {r.code for r in gazetteer.desa_list("63.11", juai)}
    names = {r.name.title() for r in gazetteer.desa_list("63.11", juai)}
    assert set(table["Nama"]) == names and len(table) == len(desa)
    if has_boundaries(demo_db):
        args = map_args(at)
        assert sum(code in args for code in desa) == len(desa)
    back = [b for b in at.button if "Kembali" in b.label]
    back[0].click().run()
    assert not at.exception
    assert at.session_state["flt_kecamatan"] == "ALL"
    assert len(at.dataframe[0].value) == kecamatan_rows(demo_db)


@pytest.mark.parametrize("metric", [m for m in maps.METRICS if m != "coverage"])
def test_every_metric_renders(demo_db, monkeypatch, metric):
    at = peta(demo_db, monkeypatch)
    at.radio(key="peta_metric").set_value(metric).run()
    assert not at.exception, at.exception
    if has_boundaries(demo_db):
        assert maps.METRICS[metric].label.split(" (")[0] in map_args(at)


def test_without_boundaries_the_page_explains_and_keeps_the_table(demo_db, tmp_path, monkeypatch):
    copy = tmp_path / "tanpa_batas.duckdb"
    shutil.copyfile(demo_db, copy)
    with db.write_session(copy) as con:
        con.execute("DELETE FROM core.boundaries")
    at = peta(copy, monkeypatch)
    assert not at.exception, at.exception
    assert any("python -m etl load boundaries" in i.value for i in at.info)
    assert len(at.dataframe[0].value) == kecamatan_rows(copy)
    assert not map_components(at)


def test_people_without_a_desa_are_a_row_of_the_tables(demo_db, monkeypatch):
    """Ringkasan's and Peta's tables end with "wilayah tidak diketahui" when the data has
    members without a desa, and their rows add up to the kabupaten's total."""
    from etl import db, metrics

    con = db.connect_readonly(demo_db)
    try:
        kab = metrics.coverage_table(con, level="kabupaten").iloc[0]
        kec = metrics.coverage_table(con, level="kecamatan", with_unknown=True)
    finally:
        con.close()
    assert int(kec["active"].sum()) == int(kab["active"])
    if not kec["kode"].isna().any():
        pytest.skip("this demo has no member without a desa")
    unknown = kec[kec["kode"].isna()].iloc[0]
    assert unknown["nama"] == metrics.UNKNOWN_PLACE and unknown["enrolled"] > 0
    for page in ("ringkasan", "peta"):
        monkeypatch.setenv("CAKUPAN_DB", str(demo_db))
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
        at.session_state["cakupan_user"] = auth.User("pimpinan", "Pimpinan", "pimpinan")
        at.run()
        at.switch_page(f"pages/{page}.py")
        at.run()
        assert not at.exception, at.exception
        names = [n for df in at.dataframe for n in list(df.value.get("Nama", []))]
        assert "Wilayah Tidak Diketahui" in names, page
        assert any("Wilayah tidak diketahui" in c.value for c in at.caption), page
