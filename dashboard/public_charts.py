"""The public page's plotly figures: protected workers per kecamatan against their targets, and
at each month end against the year's target. Suppressed figures are left out, never drawn as 0."""

from __future__ import annotations

import plotly.graph_objects as go

from . import public


def kecamatan_figure(data: public.PublicData):
    """Bar chart of protected workers per kecamatan (suppressed bars left out)."""
    table = data.tables["kecamatan"]
    pub = table.published().iloc[:-1]
    fig = go.Figure(go.Bar(x=pub["nama"].str.title(), y=pub["peserta_aktif"].astype("Float64"),
                           marker_color="#0b6e4f", name="Peserta aktif"))
    if pub["target_tahun"].notna().any():
        fig.add_trace(go.Scatter(x=pub["nama"].str.title(), y=pub["target_tahun"].astype("Float64"),
                                 mode="markers", marker=dict(symbol="line-ew-open", size=28,
                                                             color="#c0392b", line_width=3),
                                 name="Target tahun ini"))
    fig.update_layout(height=340, margin=dict(l=10, r=10, t=10, b=10), yaxis_title="Orang",
                      legend=dict(orientation="h", y=1.1))
    return fig


def trend_figure(data: public.PublicData):
    """Protected workers at each month end, with the year's kabupaten target as a line."""
    pub = data.tables["tren"].published()
    fig = go.Figure(go.Scatter(x=pub["bulan"], y=pub["peserta_aktif"].astype("Float64"),
                               mode="lines", line=dict(color="#0b6e4f", width=3),
                               name="Peserta aktif"))
    target = data.headline.get("target_tahun")
    if target:
        fig.add_hline(y=target, line_dash="dash", line_color="#c0392b",
                      annotation_text=f"Target {data.year}")
    fig.update_layout(height=320, margin=dict(l=10, r=10, t=10, b=10), yaxis_title="Orang")
    return fig
