"""Prioritas & Anggaran's data: the RED category summary, the visit list, the budget
simulator's inputs and the quadrant figure. The priority rule itself (categories, actions,
the classified desa table; docs/rules.md §5 "desa priority") is etl.priority, because the
decisions' comparison places (etl.decisions) use it too; re-exported here for the pages."""

from __future__ import annotations

import pandas as pd

from etl.priority import (CATEGORIES, CONTINUE, FOLLOW_UP, KEEP, NO_DATA,  # noqa: F401
                          OUTREACH, action, category, classify, desa_scope, priority_table,
                          thresholds)

CATEGORY_COLORS = {1: "#2e7d32", 2: "#f9a825", 3: "#ef6c00", 4: "#c62828"}


def category_summary(classified: pd.DataFrame) -> pd.DataFrame:
    """Desa, estimated workers and gap per category, with the category's main action."""
    main = {1: KEEP, 2: f"{FOLLOW_UP} / {CONTINUE}", 3: OUTREACH,
            4: f"{OUTREACH}, lalu {FOLLOW_UP.lower()}"}
    rows = []
    for cat, label in CATEGORIES.items():
        part = classified[classified["category"] == cat]
        rows.append({"Kategori": label, "Jumlah desa": len(part),
                     "Kesenjangan (orang)": int(pd.to_numeric(part["gap"]).clip(lower=0).sum()),
                     "Tindakan utama": main[cat]})
    return pd.DataFrame(rows)


def visit_list(classified: pd.DataFrame, limit: int | None = None) -> pd.DataFrame:
    """The ranked visit list with Indonesian headers (desa with a positive gap only)."""
    data = classified[pd.to_numeric(classified["gap"], errors="coerce").fillna(0) > 0]
    if limit:
        data = data.head(limit)
    return pd.DataFrame({
        "Peringkat": range(1, len(data) + 1),
        "Kode desa": data["kode"].to_numpy(),
        "Desa": data["nama"].to_numpy(),
        "Kecamatan": data["kecamatan"].to_numpy() if "kecamatan" in data else "",
        "Kesenjangan (orang)": data["gap"].to_numpy(),
        "Cakupan (%)": data["coverage_pct"].to_numpy(),
        "Capaian target (%)": data["attainment_pct"].to_numpy(),
        "Pendaftaran macet (%)": data["stalled_pct"].to_numpy(),
        "Iuran terhenti (%)": data["lapse_pct"].to_numpy(),
        "Kategori": data["category"].to_numpy(),
        "Tindakan": data["action"].to_numpy(),
    })


# ---------------------------------------------------------------- from the database

def budget_inputs(con, as_of=None, kecamatan: str | None = None,
                  desa_codes: list[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Desa and kecamatan coverage tables for the budget simulator (same scope rules)."""
    return desa_scope(con, as_of, kecamatan, desa_codes)


# ---------------------------------------------------------------- figures

def quadrant_figure(classified: pd.DataFrame, coverage_threshold: float | None = None,
                    dropoff_threshold: float | None = None):
    """RED quadrants: attainment against drop-off per desa, bubble size = gap."""
    import plotly.graph_objects as go

    cov_t, drop_t = thresholds()
    cov_t = cov_t if coverage_threshold is None else coverage_threshold
    drop_t = drop_t if dropoff_threshold is None else dropoff_threshold
    data = classified[classified["category"].notna()]
    fig = go.Figure()
    gap_max = max(float(pd.to_numeric(data["gap"]).clip(lower=0).max() or 1), 1.0)
    for cat, label in CATEGORIES.items():
        part = data[data["category"] == cat]
        if part.empty:
            continue
        size = 8 + 32 * (pd.to_numeric(part["gap"]).clip(lower=0).astype("float64") / gap_max)
        fig.add_scatter(
            x=part["attainment_pct"].astype("float64").clip(upper=150),
            y=part["dropoff_pct"].astype("float64"), mode="markers", name=label,
            marker=dict(size=size, color=CATEGORY_COLORS[cat], opacity=0.75,
                        line=dict(width=1, color="#263238")),
            text=part["nama"].astype(str).str.title(),
            customdata=part[["gap"]].astype("float64").to_numpy(),
            hovertemplate="%{text}<br>capaian %{x:.0f}% · drop-off %{y:.0f}%"
                          "<br>kesenjangan %{customdata[0]:,.0f} orang<extra></extra>")
    fig.add_vline(x=100 * cov_t, line_dash="dash", line_color="#263238")
    fig.add_hline(y=100 * drop_t, line_dash="dash", line_color="#263238")
    fig.update_layout(xaxis_title="Capaian terhadap target desa (%)",
                      yaxis_title="Drop-off: pendaftaran macet atau iuran terhenti (%)",
                      height=520, font=dict(size=14), margin=dict(l=10, r=10, t=40, b=40),
                      legend=dict(orientation="h", y=-0.2))
    return fig
