"""Pure folium map builders: polygons and figures in, a ``folium.Map`` out (no Streamlit, no SQL).

The map must read well on a projector with no internet, so by default it has no base tiles (the
setting ``base_tiles`` adds OpenStreetMap), a light background, the outline of the whole area,
place labels, and fixed class breaks that mean something for policy (coverage below 25%, 25-50%,
...) with a legend and a grey "tidak ada data" class. Library links point at the app's own copies
(dashboard.offline.localize). Payload is kept small: coordinates rounded to 5 decimals
(about 1 m), geometry already simplified at load time (geo.boundaries).

Metrics shown (values computed by dashboard.data.place_figures from etl.metrics):

* coverage: active / estimated workers, %, classes < 25, 25-50, 50-75, 75-90, >= 90;
* gap: estimated workers - active (people still unprotected), as proportional circles, because a
  planner ranks by people, and a large desa at 40% matters more than a small one at 10%;
* growth: change of coverage over the chosen period, in percentage points;
* lapse: lapsed / enrolled, % (members whose premium stopped).
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass

import folium
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from jinja2 import Template

from . import offline
from .charts import COVERAGE_BREAKS, NO_DATA
from .layout import fmt_decimal, fmt_int, fmt_percent
from .shapes import outer_outline, without_holes  # noqa: F401  (re-exported)

GROWTH_BREAKS = ((0, "#d7191c", "turun"), (2, "#fee08b", "0–2 poin"), (5, "#a6d96a", "2–5 poin"),
                 (10, "#66bd63", "5–10 poin"), (float("inf"), "#1a9641", "≥ 10 poin"))
LAPSE_BREAKS = ((5, "#1a9641", "< 5%"), (10, "#a6d96a", "5–10%"), (20, "#fdae61", "10–20%"),
                (float("inf"), "#d7191c", "≥ 20%"))
GAP_COLOR = "#b2182b"
OUTLINE = "#333333"
# Public maps: a place whose count is suppressed (figures column ``disamarkan`` true) is drawn
# pale with a dashed border and says "disamarkan", never coloured as a value or as zero.
SUPPRESSED_FILL = "#fbfbfb"
SUPPRESSED_CLASS = "disamarkan"


@dataclass(frozen=True)
class MapMetric:
    key: str
    label: str              # selector and legend title
    column: str             # column of the figures table
    unit: str               # pct, people, points
    breaks: tuple | None    # (upper bound exclusive, colour, label); None: circles
    rank_note: str          # how to read the rank


METRICS: dict[str, MapMetric] = {
    "coverage": MapMetric("coverage", "Cakupan (%)", "coverage_pct", "pct", COVERAGE_BREAKS,
                          "1 = cakupan tertinggi"),
    "gap": MapMetric("gap", "Pekerja belum terlindungi", "gap", "people", None,
                     "1 = kekurangan terbesar"),
    "growth": MapMetric("growth", "Pertumbuhan cakupan (poin %)", "growth_pp", "points",
                        GROWTH_BREAKS, "1 = pertumbuhan tertinggi"),
    "lapse": MapMetric("lapse", "Peserta menunggak / berhenti (%)", "lapse_pct", "pct",
                       LAPSE_BREAKS, "1 = tunggakan tertinggi"),
}


def class_of(value, breaks) -> tuple[str, str]:
    """(colour, class label) of a value; grey 'tidak ada data' when missing."""
    if value is None or pd.isna(value):
        return NO_DATA, "tidak ada data"
    for upper, color, label in breaks:
        if float(value) < upper:
            return color, label
    return breaks[-1][1], breaks[-1][2]


def fmt_value(value, unit: str) -> str:
    if value is None or pd.isna(value):
        return "tidak ada data"
    if unit == "pct":
        return fmt_percent(value)
    if unit == "points":
        return f"{'+' if float(value) >= 0 else ''}{fmt_decimal(value)} poin"
    return f"{fmt_int(value)} orang"


def _round_geometry(geom, digits: int = 5):
    return shapely.transform(geom, lambda xy: np.round(xy, digits))


def feature(geom, props: dict) -> dict:
    """A GeoJSON Feature of `geom`, coordinates rounded to 5 decimals (about 1 m)."""
    return {"type": "Feature", "properties": props,
            "geometry": json.loads(shapely.to_geojson(_round_geometry(geom)))}


def tooltip_rows(row: pd.Series, metric: MapMetric, rank: int | None, total: int) -> dict:
    """The tooltip's lines for one place (already formatted, Indonesian)."""
    rows = {
        "Nama": str(row.get("nama", "")).title(),
        metric.label: fmt_value(row.get(metric.column), metric.unit),
        "Peserta aktif": fmt_int(row.get("active")),
        "Estimasi pekerja": fmt_int(row.get("estimated_workers")),
        "Belum terlindungi": fmt_int(row.get("gap")),
        "Peringkat": f"{rank} dari {total} ({metric.rank_note})" if rank else "-",
    }
    if bool(row.get(SUPPRESSED_CLASS, False)):
        for key in (metric.label, "Peserta aktif", "Belum terlindungi"):
            rows[key] = "disamarkan (sel kecil)"
    if metric.key == "gap":
        rows.pop(metric.label)
    return rows


def build_map(polygons: pd.DataFrame, figures: pd.DataFrame, metric: str = "coverage",
              outline=None, labels: bool = True, base_tiles: bool = False,
              title: str | None = None, height: int = 600) -> folium.Map:
    """A choropleth (or circles for the gap) of the places in `polygons`.

    `polygons`: columns kode, nama, geometry (shapely, EPSG:4326). `figures`: one row per kode
    with the metric columns (see METRICS) and active, estimated_workers, gap. `outline`: a
    shapely geometry drawn as the area's border (default: the union of the polygons).
    Each feature's properties carry ``kode`` so a click tells the page which place was chosen.
    """
    spec = METRICS[metric]
    frame = polygons[["kode", "nama", "geometry"]].merge(
        figures.drop(columns=["nama"], errors="ignore"), on="kode", how="left")
    values = pd.to_numeric(frame[spec.column], errors="coerce").astype(float)
    ranks = values.rank(ascending=False, method="min")
    total = int(values.notna().sum())

    bounds = shapely.total_bounds(np.array(list(frame.geometry)))
    m = folium.Map(location=[(bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2],
                   tiles="OpenStreetMap" if base_tiles else None, zoom_snap=0.25,
                   control_scale=False, height=height, prefer_canvas=False)
    m.add_child(MetricScale())
    offline.localize(m, only=offline.LEAFLET_ONLY)
    m.fit_bounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]], padding=(10, 10))
    m.get_root().header.add_child(Element(
        "<style>.leaflet-container{background:#f3f5f7;font-family:'Source Sans Pro',Arial,"
        "sans-serif}.cakupan-label{font-size:13px;font-weight:600;color:#222;"
        "text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff;white-space:nowrap;"
        "pointer-events:none;transform:translate(-50%,-50%)}</style>"))

    features = []
    for (_, row), value, rank in zip(frame.iterrows(), values, ranks):
        if bool(row.get(SUPPRESSED_CLASS, False)):
            color, klass = SUPPRESSED_FILL, SUPPRESSED_CLASS
        elif spec.breaks is None:
            color, klass = "#eef1f4", ""
        else:
            color, klass = class_of(value, spec.breaks)
        tip = tooltip_rows(row, spec, None if pd.isna(rank) else int(rank), total)
        props = {"kode": row["kode"], "fill": color, "kelas": klass, **tip}
        features.append(feature(row["geometry"], props))
    fields = list(tooltip_rows(frame.iloc[0], spec, 1, 1)) if len(frame) else ["Nama"]
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features}, name="wilayah",
        style_function=lambda f: (
            {"fillColor": SUPPRESSED_FILL, "color": "#666666", "weight": 1.2, "dashArray": "4 3",
             "fillOpacity": 0.85} if f["properties"]["kelas"] == SUPPRESSED_CLASS else
            {"fillColor": f["properties"]["fill"], "color": "#ffffff", "weight": 1.2,
             "fillOpacity": 0.85}),
        highlight_function=lambda f: {"weight": 3, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=[f"{f}:" for f in fields],
                                      sticky=True, style="font-size:15px;"),
    ).add_to(m)

    if spec.breaks is None:
        _add_circles(m, frame, values, ranks, total, spec)

    border = outline if outline is not None else outer_outline(list(frame.geometry))
    folium.GeoJson(json.loads(shapely.to_geojson(_round_geometry(border))), name="batas",
                   style_function=lambda f: {"fill": False, "color": OUTLINE, "weight": 2.5},
                   interactive=False).add_to(m)

    if labels:
        for _, row in frame.iterrows():
            point = row["geometry"].representative_point()
            folium.Marker(
                [round(point.y, 5), round(point.x, 5)], interactive=False,
                icon=folium.DivIcon(html=f'<div class="cakupan-label">'
                                         f'{html.escape(str(row["nama"]).title())}</div>',
                                    icon_size=(0, 0))).add_to(m)

    suppressed = bool(frame[SUPPRESSED_CLASS].fillna(False).any()) \
        if SUPPRESSED_CLASS in frame else False
    m.get_root().add_child(Legend(spec, title=title, max_gap=_max_gap(values),
                                  suppressed=suppressed))
    return m


def _max_gap(values: pd.Series) -> float:
    positive = values[values > 0]
    return float(positive.max()) if len(positive) else 0.0


def circle_radius(value, max_value: float, max_px: float = 30.0) -> float:
    """Pixel radius with the circle's AREA proportional to the value."""
    if value is None or pd.isna(value) or value <= 0 or max_value <= 0:
        return 0.0
    return max(3.0, max_px * math.sqrt(float(value) / max_value))


def _add_circles(m, frame, values, ranks, total, spec) -> None:
    max_value = _max_gap(values)
    points = []
    for (_, row), value, rank in zip(frame.iterrows(), values, ranks):
        radius = circle_radius(value, max_value)
        if radius == 0:
            continue
        p = row["geometry"].representative_point()
        tip = tooltip_rows(row, spec, None if pd.isna(rank) else int(rank), total)
        points.append({"type": "Feature",
                       "geometry": {"type": "Point", "coordinates": [round(p.x, 5), round(p.y, 5)]},
                       "properties": {"kode": row["kode"], "radius": round(radius, 1), **tip}})
    if not points:
        return
    fields = list(points[0]["properties"])[2:]
    folium.GeoJson(
        {"type": "FeatureCollection", "features": points}, name="kekurangan",
        marker=folium.CircleMarker(radius=10, fill=True),
        style_function=lambda f: {"radius": f["properties"]["radius"], "color": "#ffffff",
                                  "weight": 1, "fillColor": GAP_COLOR, "fillOpacity": 0.75},
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=[f"{f}:" for f in fields],
                                      sticky=True, style="font-size:15px;"),
    ).add_to(m)


class MetricScale(MacroElement):
    """A scale bar in kilometres only (folium's control_scale adds miles too)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false, position: "bottomright"}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)


class Legend(MacroElement):
    """A fixed legend box in the map's corner: class colours (or circle sizes) and 'no data'."""

    _template = Template("""
        {% macro html(this, kwargs) %}
        <div style="position:absolute;z-index:9999;bottom:18px;left:12px;background:#fff;
                    padding:8px 12px;border-radius:6px;box-shadow:0 1px 4px rgba(0,0,0,.3);
                    font:14px 'Source Sans Pro',Arial,sans-serif;line-height:1.5"
             class="cakupan-legend">
          {{ this.body }}
        </div>
        {% endmacro %}
    """)

    def __init__(self, spec: MapMetric, title: str | None = None, max_gap: float = 0.0,
                 suppressed: bool = False):
        super().__init__()
        self._name = "Legend"
        parts = [f"<b>{html.escape(title or spec.label)}</b><br>"]
        if spec.breaks is None:
            for share in (1.0, 0.25):
                value = max_gap * share
                r = circle_radius(value, max_gap)
                if r:
                    parts.append(
                        f'<span style="display:inline-block;width:{2 * r:.0f}px;'
                        f'height:{2 * r:.0f}px;border-radius:50%;background:{GAP_COLOR};'
                        f'opacity:.75;vertical-align:middle;margin-right:6px"></span>'
                        f"{fmt_int(value)} orang<br>")
        else:
            for _, color, label in spec.breaks:
                parts.append(_swatch(color, label))
        if suppressed:
            parts.append(f'<span style="display:inline-block;width:18px;height:14px;'
                         f'background:{SUPPRESSED_FILL};border:1px dashed #666;'
                         f'vertical-align:middle;margin-right:6px"></span>disamarkan (sel kecil)<br>')
        parts.append(_swatch(NO_DATA, "tidak ada data"))
        self.body = "".join(parts)


def _swatch(color: str, label: str) -> str:
    return (f'<span style="display:inline-block;width:18px;height:14px;background:{color};'
            f'border:1px solid #999;vertical-align:middle;margin-right:6px"></span>'
            f"{html.escape(label)}<br>")
