"""The map on Transparansi: kecamatan by coverage class, drilling into desa, suppressed places
drawn and labelled 'disamarkan' (never as zero), with legend and data date."""

from __future__ import annotations

import json
import re

import pytest

from dashboard import public, public_map
from dashboard.auth import PUBLIC
from etl import db
from tests.support.helpers import open_page

THRESHOLD = 20


@pytest.fixture
def live(demo_db, monkeypatch):
    monkeypatch.setenv("CAKUPAN_DB", str(demo_db))
    monkeypatch.setenv("CAKUPAN_SMALL_CELL_THRESHOLD", str(THRESHOLD))
    con = db.connect_readonly(demo_db)
    try:
        return public.build(con, THRESHOLD)
    finally:
        con.close()


def _map_html(at) -> str:
    components = list(at.get("component_instance"))
    assert components, "no map on the page"
    args = json.loads(components[0].proto.json_args)
    return "\n".join(v for v in args.values() if isinstance(v, str))   # script, html, css


def _kecamatan_with_most_hidden(data) -> str:
    desa = data.tables["desa"]
    return desa.values.loc[desa.hidden["peserta_aktif"], "kecamatan_kode"].value_counts().index[0]


def test_public_page_maps_kecamatan_with_legend_and_date(live):
    at = open_page("pages/publik.py", PUBLIC)
    assert not at.exception
    html = _map_html(at)
    places = live.tables["kecamatan"].values.iloc[:-1]   # the last row is the kabupaten total
    for name in places.loc[places["kode"] != public.UNKNOWN_CODE, "nama"]:
        assert name.title() in html
    assert "Cakupan (%) · data per" in html and "tidak ada data" in html


def test_drilling_into_a_kecamatan_shows_its_desa_with_suppressed_ones_marked(live):
    code = _kecamatan_with_most_hidden(live)
    name = dict(zip(live.tables["kecamatan"].values["kode"],
                    live.tables["kecamatan"].values["nama"]))[code]
    at = open_page("pages/publik.py", PUBLIC)
    at.selectbox(key="publik_kecamatan").set_value(name).run()
    assert not at.exception
    html = _map_html(at)
    desa = live.tables["desa"]
    in_kec = desa.values["kecamatan_kode"] == code
    hidden = desa.values.loc[in_kec & desa.hidden["peserta_aktif"], "kode"]
    shown = desa.values.loc[in_kec & ~desa.hidden["peserta_aktif"], "kode"]
    assert len(re.findall(r'"kode": "63\.\d\d\.\d\d\.\d{4}"', html)) == int(in_kec.sum())
    assert html.count('"kelas": "disamarkan"') == len(hidden) > 0
    assert "disamarkan (sel kecil)" in html          # tooltip and legend
    assert len(shown) > 0


def test_suppressed_places_carry_no_count_coverage_or_gap(live):
    figures = public_map.map_figures(live, "desa")
    hidden = figures[figures["disamarkan"]]
    assert len(hidden) > 0
    assert hidden[["active", "coverage_pct", "gap"]].isna().all().all()
    shown = figures[~figures["disamarkan"]]
    assert ((shown["active"] == 0) | (shown["active"] >= THRESHOLD)).all()
