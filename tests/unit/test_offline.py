"""Offline maps: the folium HTML loads every library from the app's own static folder and no
CDN; the installed files exist where Streamlit serves them."""

from __future__ import annotations

import re

import folium
import pytest
from shapely.geometry import box
import pandas as pd

from dashboard import maps, offline

CDN = re.compile(r"""(?:src|href)=["'](https?://[^"']+)""")


def test_map_html_has_no_cdn_links():
    polygons = pd.DataFrame({"kode": ["63.11.01"], "nama": ["JUAI"],
                             "geometry": [box(115.0, -2.5, 115.1, -2.4)]})
    figures = pd.DataFrame({"kode": ["63.11.01"], "active": [1], "estimated_workers": [2],
                            "gap": [1], "coverage_pct": [50.0]})
    html = maps.build_map(polygons, figures).get_root().render()
    assert CDN.findall(html) == []
    assert re.findall(r"https?://", html) == []
    assert '<script src="/app/static/vendor/leaflet@1.9.4/dist/leaflet.js">' in html
    assert "/app/static/vendor/leaflet@1.9.4/dist/leaflet.css" in html
    assert "jquery" not in html and "bootstrap" not in html   # Leaflet is all our maps need


def test_localize_leaves_folium_defaults_alone():
    m = offline.localize(folium.Map(tiles=None))
    assert all(url.startswith("/app/static/vendor/") for _, url in m.default_js + m.default_css)
    assert any("cdn.jsdelivr" in url for _, url in folium.Map.default_js)


def test_every_link_points_at_a_pinned_package_file():
    for package, file in [*offline.JS.values(), *offline.CSS.values(), offline.D3]:
        version, keep = offline.PACKAGES[package]
        assert any(file == k or (k.endswith("/") and file.startswith(k)) for k in keep)


def test_static_folder_is_where_streamlit_serves_it():
    from streamlit import file_util

    assert str(offline.STATIC_DIR) == file_util.get_app_static_dir(str(offline.APP_DIR / "app.py"))


def test_installed_files_are_present():
    if not offline.installed():
        pytest.skip("map libraries not installed: python -m dashboard.offline install")
    leaflet = offline.package_dir("leaflet") / "dist" / "leaflet.js"
    assert "1.9.4" in leaflet.read_text()[:300]


def test_the_tab_icon_is_inline_so_no_page_asks_fonts_gstatic():
    # A ":material/...:" page icon would make Streamlit link the favicon on fonts.gstatic.com
    # (the browser tests catch that page by page; this says why FAVICON is SVG markup).
    from streamlit.commands.page_config import _get_favicon_string

    assert _get_favicon_string(offline.FAVICON).startswith("data:image/svg+xml")
