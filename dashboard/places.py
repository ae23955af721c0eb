"""Coverage per place as the staff pages show it: the map of one filter state (figures and
polygons from dashboard.data, drawn by dashboard.maps) and the place table with its Indonesian
column names (the display names of dashboard.data.place_figures)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from etl import settings

from . import data, maps, shapes


PLACE_COLUMNS = {
    "nama": "Nama", "coverage_pct": "Cakupan (%)", "active": "Peserta aktif",
    "estimated_workers": "Estimasi pekerja", "gap": "Belum terlindungi",
    "growth_pp": "Pertumbuhan cakupan (poin)", "lapse_pct": "Menunggak (%)",
    "enrolled": "Terdaftar BPJS", "registered": "Mendaftar", "kode": "Kode wilayah"}


SHORT_COLUMNS = ("Nama", "Belum terlindungi", "Cakupan (%)", "Peserta aktif", "Estimasi pekerja")


def place_table(figures: pd.DataFrame, growth_months: int = 3) -> pd.DataFrame:
    """The map's table (all columns, as downloaded): Indonesian headers, largest gap first (what
    a planner ranks by). The page shows SHORT_COLUMNS plus the mapped metric's column."""
    table = figures.sort_values("gap", ascending=False, na_position="last")
    table = table[list(PLACE_COLUMNS)].rename(columns=PLACE_COLUMNS)
    table["Nama"] = table["Nama"].str.title()
    return table.rename(columns={"Pertumbuhan cakupan (poin)":
                                 f"Pertumbuhan cakupan {growth_months} bln (poin)"}
                        ).reset_index(drop=True)


@st.cache_resource(max_entries=64, show_spinner=False)
def _outline(ident, path: str, level: str, parent: str | None,
             desa_codes: tuple[str, ...] | None = None):
    layer = data.boundary_layer(level, parent=parent, desa_codes=desa_codes)
    return shapes.outer_outline(list(layer["geometry"]))


def map_for(level: str, kecamatan: str | None, sector: str | None, as_of: str, metric: str,
            growth_months: int = 3, desa_codes: tuple[str, ...] | None = None):
    """A new folium map of one filter state, from cached figures, polygons and outline.

    The Map object itself is NOT cached: st_folium rewrites the map it is given while rendering
    it, so a Map shared between sessions draws in the first browser only. Building one from the
    cached parts takes a few tens of milliseconds."""
    figures = data.place_figures(level, as_of, kecamatan=kecamatan, sector=sector,
                                 growth_months=growth_months, desa_codes=desa_codes)
    polygons = data.boundary_layer(level, parent=kecamatan, desa_codes=desa_codes)
    outline = _outline(data.identity(), str(data.db_path()), level, kecamatan, desa_codes)
    return maps.build_map(polygons, figures, metric, outline=outline, labels=True,
                          base_tiles=bool(settings.get("base_tiles")))
