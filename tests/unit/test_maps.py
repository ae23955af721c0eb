"""Map builders, tested by rendering the folium HTML: polygons with fixed classes, a legend with
a 'no data' class, tooltips with figures and rank, circles for the gap, small payload."""

from __future__ import annotations

import re

import pandas as pd
import pytest
import shapely
from shapely.geometry import box

from dashboard import maps
from dashboard.charts import NO_DATA


def places() -> tuple[pd.DataFrame, pd.DataFrame]:
    polygons = pd.DataFrame({
        "kode": ["63.11.01", "63.11.02", "63.11.03"], "nama": ["JUAI", "HALONG", "AWAYAN"],
        "geometry": [box(115.0, -2.5, 115.123456789, -2.4), box(115.123456789, -2.5, 115.3, -2.4),
                     box(115.0, -2.4, 115.3, -2.3)]})
    figures = pd.DataFrame({
        "kode": ["63.11.01", "63.11.02", "63.11.03"], "active": [120, 800, 40],
        "estimated_workers": [1000, 900, None], "gap": [880, 100, None],
        "coverage_pct": [12.0, 88.9, None], "growth_pp": [-1.0, 4.0, None],
        "lapse_pct": [3.0, 25.0, None]})
    return polygons, figures


def test_choropleth_uses_fixed_breaks_legend_and_no_data_colour():
    html = maps.build_map(*places(), metric="coverage").get_root().render()
    assert html.count('"type": "Polygon"') >= 3
    for label in ("&lt; 25%", "75–90%", "≥ 90%", "tidak ada data", "Cakupan (%)"):
        assert label in html
    fills = {m.group(2): m.group(1) for m in re.finditer(
        r'"fill": "(#[0-9a-f]+)", "kelas": "[^"]*", "kode": "([\d.]+)"', html)}
    assert fills == {"63.11.01": "#d7191c", "63.11.02": "#a6d96a", "63.11.03": NO_DATA}


def test_tooltips_carry_name_figures_and_rank():
    html = maps.build_map(*places(), metric="coverage").get_root().render()
    assert '"Nama": "Juai"' in html and '"Cakupan (%)": "12,0%"' in html
    assert '"Peringkat": "2 dari 2 (1 = cakupan tertinggi)"' in html
    assert '"Estimasi pekerja": "1.000"' in html
    assert "GeoJsonTooltip" in html or "bindTooltip" in html


def test_gap_is_drawn_as_proportional_circles():
    html = maps.build_map(*places(), metric="gap").get_root().render()
    assert "circleMarker" in html or "CircleMarker" in html
    radii = [float(r) for r in re.findall(r'"radius": ([\d.]+)', html)]
    assert max(radii) == 30.0
    # Area proportional to the gap: 100 people is sqrt(100 / 880) of the largest radius.
    assert any(abs(r - 30.0 * (100 / 880) ** 0.5) < 0.1 for r in radii)


def test_coordinates_rounded_to_five_decimals_and_labels_without_tiles():
    html = maps.build_map(*places(), metric="coverage").get_root().render()
    assert "115.12346" in html and "115.123456789" not in html
    assert "tile.openstreetmap" not in html
    assert r'class=\"cakupan-label\"\u003eHalong\u003c' in html


def test_base_tiles_are_a_setting():
    html = maps.build_map(*places(), metric="coverage", base_tiles=True).get_root().render()
    assert "openstreetmap" in html.lower()


@pytest.mark.parametrize("metric", list(maps.METRICS))
def test_every_metric_renders(metric):
    html = maps.build_map(*places(), metric=metric).get_root().render()
    assert maps.METRICS[metric].label in html


def test_kabupaten_desa_map_payload_is_small(bundled_geo):
    gpd = pytest.importorskip("geopandas")
    desa = gpd.read_file(bundled_geo / "63.11_desa.geojson")
    desa = desa[desa["kode"].str.startswith("63.11.")]
    polygons = pd.DataFrame({"kode": desa["kode"], "nama": desa["nama"],
                             "geometry": list(shapely.simplify(desa.geometry.values, 0.001))})
    figures = pd.DataFrame({"kode": desa["kode"], "active": 50, "estimated_workers": 100,
                            "gap": 50, "coverage_pct": 50.0})
    html = maps.build_map(polygons, figures).get_root().render()
    assert len(desa) == 157
    assert len(html.encode()) < 2_000_000
