"""What a public map shows of each place: the published (suppressed) figures of dashboard.public,
shaped for the map builders. Used by the Transparansi page (folium, dashboard.maps) and the static
site (dashboard.publish), so both draw the same places the same way.

A place whose count is suppressed keeps only its name and estimate: its active count, coverage
and gap (estimate - active, which would give the count back) are all blank and it is flagged
``disamarkan``; the map draws it as such, never as zero or as "no data".
"""

from __future__ import annotations

import pandas as pd

from . import maps, public


def map_figures(data: public.PublicData, level: str, kecamatan: str | None = None
                ) -> pd.DataFrame:
    """kode, nama, kecamatan_kode (desa), active, estimated_workers, coverage_pct, gap,
    disamarkan: one row per kecamatan (no kabupaten total) or per desa (of `kecamatan`)."""
    table = data.tables[level]
    values, hidden = table.values, table.hidden["peserta_aktif"].astype(bool)
    if level == "kecamatan":
        keep = values["kode"].str.count(r"\.") == 2          # not the kabupaten's 'Jumlah' row
    else:
        keep = values["kode"].str.startswith(f"{kecamatan}.") if kecamatan else \
            pd.Series(True, index=values.index)
    values, hidden = values[keep], hidden[keep]
    active = values["peserta_aktif"].mask(hidden)
    estimated = values["estimasi_pekerja"]
    return pd.DataFrame({
        "kode": values["kode"], "nama": values["nama"],
        "kecamatan_kode": values["kecamatan_kode"] if level == "desa" else values["kode"],
        "active": active, "estimated_workers": estimated,
        "coverage_pct": values["cakupan_persen"].mask(hidden),
        "gap": (estimated - active).clip(lower=0),
        maps.SUPPRESSED_CLASS: hidden,
    }).reset_index(drop=True)


def folium_map(data: public.PublicData, polygons: pd.DataFrame, level: str,
               kecamatan: str | None = None, height: int = 520):
    """The coverage choropleth of the page (dashboard.maps.build_map), suppressed places drawn
    'disamarkan'; the legend's title carries the data date."""
    from .layout import fmt_date

    figures = map_figures(data, level, kecamatan)
    return maps.build_map(polygons, figures, "coverage", labels=level == "kecamatan",
                          title=f"Cakupan (%) · data per {fmt_date(data.data_date)}",
                          height=height)
