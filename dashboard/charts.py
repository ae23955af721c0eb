"""Pure plotly figure builders shared by the pages: DataFrames/dicts in, a ``go.Figure`` out.

No Streamlit, no database: tested by rendering their JSON (tests/test_charts.py). Figures are meant
to be read on a projector: large fonts, few colours, numbers in Indonesian format (plotly's
``separators=",."``: decimal comma, thousands dot), Indonesian labels.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from etl import metrics

from .layout import MONTHS_ID, fmt_int, fmt_pct, provisional_text

GREEN = "#0b6e4f"
GREY = "#8c8c8c"
TARGET = "#c0392b"
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=16)

# The form funnel and the other channel, with the names etl.metrics gives them (the same names
# in `python -m etl status`).
FUNNEL_STEPS = metrics.FUNNEL_STEPS
# Who is lost before each step after the first, in a planner's words.
FUNNEL_LOSSES = ("belum/tidak lolos", "belum terdaftar", "menunggak")


def _base(fig: go.Figure, height: int = 420) -> go.Figure:
    fig.update_layout(separators=",.", font=FONT, height=height, template="plotly_white",
                      margin=dict(l=10, r=10, t=30, b=10), hoverlabel=dict(font_size=15))
    return fig


def _provisional_title(fig: go.Figure, through: str | None) -> None:
    """A chart of the running month says so in its own title (charts are copied into slides)."""
    if through:
        fig.update_layout(title=dict(text=f"<i>{provisional_text(through)}</i>", x=0.01,
                                     font=dict(size=15, color="#8a5a00")))
        fig.update_layout(margin=dict(t=50))


def funnel_figure(counts: dict, provisional_through: str | None = None) -> go.Figure:
    """The registration funnel with the drop-off at each step.

    `counts`: etl.metrics.funnel (registered, verified, enrolled_form, active_form; and
    other_channel, other_channel_active). Each bar shows the number and, in brackets, its share
    of the step before; the drop-off (people lost) is written beside each step. Members enrolled
    through another channel never were form registrants: they are a line of their own under the
    funnel, with the total of active members over every channel.
    """
    values = [int(counts.get(key) or 0) for key, _ in FUNNEL_STEPS]
    labels = [label for _, label in FUNNEL_STEPS]
    text = []
    for i, v in enumerate(values):
        if i == 0:
            text.append(fmt_int(v))
        else:
            prev = values[i - 1]
            share = fmt_pct(v / prev) if prev else "-"
            text.append(f"{fmt_int(v)} ({share})")
    fig = go.Figure(go.Funnel(
        y=labels, x=values, text=text, textinfo="text", textposition="inside",
        textfont=dict(size=18, color="white"),
        marker=dict(color=["#7fb8a4", "#4a9a7f", "#1f7f5f", GREEN]),
        connector=dict(line=dict(color="#cccccc", width=1)),
        hovertemplate="%{y}: %{x:,.0f}<extra></extra>"))
    for i in range(1, len(values)):
        lost = values[i - 1] - values[i]
        if lost > 0:
            fig.add_annotation(x=1.0, xref="paper", y=labels[i], yref="y", xanchor="left",
                               showarrow=False,
                               text=f"−{fmt_int(lost)} {FUNNEL_LOSSES[i - 1]}",
                               font=dict(color=TARGET, size=15))
    other = int(counts.get("other_channel") or 0)
    if other or "other_channel" in counts:
        other_active = int(counts.get("other_channel_active") or 0)
        total = int(counts.get("active") or (values[-1] + other_active))
        fig.add_annotation(
            x=0, xref="paper", y=-0.04, yref="paper", xanchor="left", yanchor="top",
            showarrow=False, align="left", font=dict(size=15),
            # Three short lines: the figure sits in a half-width column, and one long line
            # ran past its right edge ("... jalur lain: 131 (a").
            text=(f"{metrics.OTHER_CHANNEL_LABEL}: <b>{fmt_int(other)}</b><br>"
                  f"(aktif {fmt_int(other_active)})<br>"
                  f"{metrics.TOTAL_ACTIVE_LABEL}: <b>{fmt_int(total)}</b>"))
    _base(fig, height=455)
    fig.update_layout(margin=dict(l=10, r=170, t=10, b=95))
    _provisional_title(fig, provisional_through)
    return fig


def monitoring_chart(trend: pd.DataFrame, year: int, target: int | None,
                     as_of: str | None = None, baseline: int | None = None,
                     provisional_through: str | None = None) -> go.Figure:
    """The cumulative "monitoring chart" of immunisation programmes, for active members.

    `trend`: etl.metrics.monthly_trend (month 'YYYY-MM', active). Draws the active members at each
    month end of `year` up to `as_of`, and the target path: a straight line from the active
    members at the end of the previous year (`baseline`, default taken from `trend`) to `target`
    in December. Above the line: ahead of the path to the target; below: behind it.
    `provisional_through`: the data's last day when `as_of` is the running month: that point is
    drawn hollow, joined by a dotted line and labelled "sementara, s.d. ...".
    """
    months = [f"{year}-{m:02d}" for m in range(1, 13)]
    labels = [MONTHS_ID[m - 1][:3] for m in range(1, 13)]
    by_month = dict(zip(trend["month"].astype(str), trend["active"])) if len(trend) else {}
    last = as_of or (max(by_month) if by_month else None)
    actual_x, actual_y = [], []
    for month, label in zip(months, labels):
        if last is not None and month <= last and month in by_month:
            actual_x.append(label)
            actual_y.append(int(by_month[month]))
    if baseline is None:
        before = [m for m in by_month if m < months[0]]
        baseline = int(by_month[max(before)]) if before else 0
    fig = go.Figure()
    if target:
        path = [baseline + (target - baseline) * (i + 1) / 12 for i in range(12)]
        fig.add_trace(go.Scatter(
            x=["Awal", *labels], y=[baseline, *path], name=f"Jalur target ({fmt_int(target)})",
            mode="lines", line=dict(color=TARGET, width=3, dash="dash"),
            hovertemplate="Jalur target %{x}: %{y:,.0f}<extra></extra>"))
    running = bool(provisional_through and actual_x and last in by_month
                   and actual_x[-1] == labels[int(last[5:7]) - 1] and last.startswith(str(year)))
    final_x, final_y = (["Awal", *actual_x], [baseline, *actual_y])
    if running:
        final_x, final_y = final_x[:-1], final_y[:-1]
        fig.add_trace(go.Scatter(
            x=final_x[-1:] + actual_x[-1:], y=final_y[-1:] + actual_y[-1:],
            name=f"Peserta aktif ({provisional_text(provisional_through)})", mode="lines+markers",
            line=dict(color=GREEN, width=3, dash="dot"),
            marker=dict(size=11, symbol=["circle", "circle-open"], line=dict(width=3)),
            hovertemplate="Aktif %{x} (sementara): %{y:,.0f}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=final_x, y=final_y, name="Peserta aktif",
        mode="lines+markers", line=dict(color=GREEN, width=4), marker=dict(size=9),
        hovertemplate="Aktif akhir %{x}: %{y:,.0f}<extra></extra>"))
    if actual_y:
        mark = f"<b>{fmt_int(actual_y[-1])}</b>"
        if running:
            mark += f"<br><i>{provisional_text(provisional_through)}</i>"
        fig.add_annotation(x=actual_x[-1], y=actual_y[-1], text=mark,
                           showarrow=True, arrowhead=0, ax=0, ay=-30 - 18 * running,
                           font=dict(size=17, color=GREEN))
    if target:
        fig.add_annotation(x="Des", y=target, text=f"Target {fmt_int(target)}", showarrow=False,
                           yshift=14, font=dict(size=15, color=TARGET))
    _base(fig, height=420)
    fig.update_layout(
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
        yaxis=dict(title="Pekerja terlindungi (aktif)", tickformat=",.0f",
                   range=axis_range([baseline, *actual_y, target or 0])),
        xaxis=dict(title=f"Akhir bulan, {year}"))
    return fig


def axis_range(values: list[float]) -> list[float]:
    """From zero, unless every value sits in the top half of the range: then from just below
    the smallest, so a gap to the target path stays visible (the axis title says the numbers)."""
    values = [float(v) for v in values if v is not None]
    top = max(values) * 1.06 if values and max(values) > 0 else 1.0
    low = min(values) if values else 0.0
    bottom = 0.0 if low < top / 2 else low - (top - low) * 0.25
    return [max(0.0, bottom), top]


def coverage_bars(table: pd.DataFrame, name_col: str = "nama") -> go.Figure:
    """Horizontal bars of coverage % per place, lowest at the top, with the gap in people.

    `table`: etl.metrics.coverage_table rows (nama, coverage_pct, gap, active, estimated_workers).
    """
    frame = table[[name_col, "coverage_pct", "gap", "active", "estimated_workers"]].copy()
    frame["coverage_pct"] = frame["coverage_pct"].astype("Float64")
    frame = frame.sort_values("coverage_pct", ascending=False, na_position="first")
    pct = frame["coverage_pct"].fillna(0).astype(float)
    names = [str(n).title() for n in frame[name_col]]
    text = [f"{fmt_pct(p / 100) if pd.notna(p) else 'tanpa estimasi'} · kurang {fmt_int(g)}"
            if pd.notna(g) else "tanpa estimasi pekerja"
            for p, g in zip(frame["coverage_pct"], frame["gap"])]
    fig = go.Figure(go.Bar(
        y=names, x=pct, orientation="h", text=text, textposition="auto",
        marker=dict(color=[class_color(p, COVERAGE_BREAKS) for p in frame["coverage_pct"]]),
        customdata=list(zip(frame["active"].fillna(0).astype(int),
                            frame["estimated_workers"].fillna(0).astype(int))),
        hovertemplate="%{y}: %{x:.1f}%<br>aktif %{customdata[0]:,.0f} dari "
                      "%{customdata[1]:,.0f}<extra></extra>"))
    _base(fig, height=max(300, 45 * len(frame) + 60))
    fig.update_layout(xaxis=dict(title="Cakupan (%)", range=[0, max(100, float(pct.max()) + 5)]),
                      yaxis=dict(title=None))
    return fig


# --- class breaks (shared with the map legend) -----------------------------------------------------

# Fixed, policy-meaningful breaks for coverage (%): the same colours on every page and map.
COVERAGE_BREAKS = ((25, "#d7191c", "< 25%"), (50, "#fdae61", "25–50%"), (75, "#fee08b", "50–75%"),
                   (90, "#a6d96a", "75–90%"), (float("inf"), "#1a9641", "≥ 90%"))
NO_DATA = "#d9d9d9"


def class_color(value, breaks=COVERAGE_BREAKS) -> str:
    """Colour of the class holding `value` (upper bounds exclusive); grey when missing."""
    if value is None or pd.isna(value):
        return NO_DATA
    for upper, color, _ in breaks:
        if float(value) < upper:
            return color
    return breaks[-1][1]
