"""Under-reached sectors: coverage by sector with a confidence interval, flags with reasons.

Owns the rule of docs/rules.md §5 "under-reached sectors": a sector is flagged when its coverage is
*clearly* below the kabupaten's (or the chosen kecamatan's) coverage, or clearly below the share
its own target asks for. "Clearly" means the upper bound of the 95% Wilson score interval of the
sector's coverage proportion (active / estimated workers) is below the comparison value, so a
sector of 12 workers at 0% is not flagged on noise while a sector of 5,000 at 30% against 45% is.
Each flag carries one plain Indonesian sentence and the gap in people; flagged sectors are ranked
by gap. Figures come from etl.metrics.coverage_table (by_sector=True): nothing is recomputed.
"""

from __future__ import annotations

import math

import pandas as pd

from .layout import fmt_int, fmt_pct, fmt_percent

Z95 = 1.959964


def wilson_interval(k: float, n: float, z: float = Z95) -> tuple[float, float]:
    """95% Wilson score interval of a proportion k/n, as (low, high) in [0, 1].

    k above n (active above the estimate: a denominator problem) is taken as n; n <= 0 gives
    (nan, nan): no estimate, no interval.
    """
    if n is None or pd.isna(n) or n <= 0:
        return (math.nan, math.nan)
    k = min(max(float(k), 0.0), float(n))
    n = float(n)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))




def flag_sectors(by_sector: pd.DataFrame, reference_pct: float | None,
                 targets: dict[str, int] | None = None, place: str = "kabupaten"
                 ) -> pd.DataFrame:
    """Add the interval, the flag and its reason to a by-sector coverage table.

    `by_sector`: coverage_table(..., by_sector=True) rows of one place (sektor, sektor_label,
    estimated_workers, active, coverage_pct, gap). `reference_pct`: the place's coverage in
    percent. `targets`: sector code -> target (protected workers) for the year, when known.
    Returns the rows sorted with flagged sectors first, each group by gap (largest first), with
    ci_low_pct, ci_high_pct, target, target_pct, shortfall (people short of the target),
    flag_kabupaten, flag_target, flagged, unreachable (the target is above the sector's
    estimated workers: it cannot be reached, and the reason says so first), reason.
    """
    targets = targets or {}
    ref = None if reference_pct is None or pd.isna(reference_pct) else float(reference_pct) / 100
    rows = []
    for r in by_sector.itertuples(index=False):
        n = r.estimated_workers
        has_n = n is not None and not pd.isna(n) and n > 0
        active = 0 if pd.isna(r.active) else int(r.active)
        low, high = wilson_interval(active, n) if has_n else (math.nan, math.nan)
        target = targets.get(r.sektor)
        target_share = target / n if (target and has_n) else math.nan
        cov = active / n if has_n else math.nan
        below_ref = bool(has_n and ref is not None and high < ref)
        below_target = bool(has_n and target and high < target_share)
        shortfall = max(int(target) - active, 0) if target else None
        gap = None if pd.isna(r.gap) else int(r.gap)
        unreachable = bool(has_n and target and target > n)
        rows.append({
            "ci_low_pct": round(100 * low, 1) if has_n else math.nan,
            "ci_high_pct": round(100 * high, 1) if has_n else math.nan,
            "target": target,
            "target_pct": round(100 * target_share, 1) if not pd.isna(target_share) else math.nan,
            "shortfall": shortfall,
            "flag_kabupaten": below_ref,
            "flag_target": below_target,
            "flagged": below_ref or below_target,
            "unreachable": unreachable,
            "reason": (_unreachable(r.sektor_label, target, n) if unreachable else "")
            + _reason(r.sektor_label, active, n if has_n else None, cov, high, ref,
                      target, target_share, gap, shortfall, below_ref, below_target, place),
        })
    extra = pd.DataFrame(rows, index=by_sector.index)
    out = pd.concat([by_sector, extra], axis=1)
    out["_gap"] = pd.to_numeric(out["gap"], errors="coerce").fillna(-1)
    out = out.sort_values(["flagged", "_gap"], ascending=[False, False], kind="stable")
    return out.drop(columns="_gap").reset_index(drop=True)


def _unreachable(label, target, n) -> str:
    return (f"Target sektor {label} ({fmt_int(target)} orang) melebihi perkiraan pekerja sektor "
            f"itu ({fmt_int(n)}): tidak mungkin tercapai; periksa target atau perkiraannya. ")


def _reason(label, active, n, cov, high, ref, target, target_share, gap, shortfall,
            below_ref, below_target, place) -> str:
    """One plain Indonesian sentence saying why a sector is (not) flagged."""
    if n is None:
        return (f"Sektor {label} belum punya perkiraan jumlah pekerja, jadi cakupannya belum "
                f"bisa dinilai.")
    gap_text = f"{fmt_int(max(gap or 0, 0))} pekerja belum terlindungi"
    if below_ref and below_target:
        return (f"Cakupan sektor {label} {fmt_pct(cov)} jelas di bawah cakupan {place} {fmt_pct(ref)} "
                f"dan di bawah target sektor {fmt_pct(target_share)} (batas atas selang "
                f"kepercayaan 95%: {fmt_pct(high)}); {gap_text}, kurang {fmt_int(shortfall)} "
                f"orang dari target.")
    if below_ref:
        return (f"Cakupan sektor {label} {fmt_pct(cov)} jelas di bawah cakupan {place} {fmt_pct(ref)} "
                f"(batas atas selang kepercayaan 95%: {fmt_pct(high)}); {gap_text}.")
    if below_target:
        return (f"Cakupan sektor {label} {fmt_pct(cov)} jelas di bawah target sektor "
                f"{fmt_pct(target_share)} (batas atas selang kepercayaan 95%: {fmt_pct(high)}); "
                f"kurang {fmt_int(shortfall)} orang dari target.")
    if ref is not None and cov < ref:
        return (f"Cakupan sektor {label} {fmt_pct(cov)} di bawah cakupan {place} {fmt_pct(ref)}, "
                f"tetapi dengan {fmt_int(n)} pekerja selisih ini masih bisa kebetulan "
                f"(selang kepercayaan sampai {fmt_pct(high)}); belum ditandai.")
    return f"Cakupan sektor {label} {fmt_pct(cov)} tidak di bawah cakupan {place} {fmt_pct(ref)}."


HEAT_COLUMNS = {"nama": "Kecamatan", "sektor_label": "Sektor",
                "estimated_workers": "Perkiraan pekerja", "active": "Peserta aktif",
                "coverage_pct": "Cakupan (%)", "gap": "Kesenjangan (orang)"}


def heat_table(heat: pd.DataFrame) -> pd.DataFrame:
    """The sector x kecamatan table under the heat map, with Indonesian headers."""
    return heat[list(HEAT_COLUMNS)].rename(columns=HEAT_COLUMNS)


def display_table(flagged: pd.DataFrame) -> pd.DataFrame:
    """The page's table with Indonesian headers."""
    return pd.DataFrame({
        "Sektor": flagged["sektor_label"],
        "Perkiraan pekerja": flagged["estimated_workers"],
        "Peserta aktif": flagged["active"],
        "Cakupan (%)": flagged["coverage_pct"],
        "Selang 95% bawah (%)": flagged["ci_low_pct"],
        "Selang 95% atas (%)": flagged["ci_high_pct"],
        "Target": flagged["target"],
        "Target (% pekerja)": flagged["target_pct"],
        "Target terjangkau": flagged["unreachable"].map({True: "Tidak", False: "Ya"}),
        "Kesenjangan (orang)": flagged["gap"],
        "Ditandai": flagged["flagged"].map({True: "Ya", False: "Tidak"}),
        "Alasan": flagged["reason"],
    })


def sector_targets(targets: pd.DataFrame, as_of=None) -> dict[str, int]:
    """Sector code -> target of the running period, from metrics.targets_for(con, year, 'sektor')
    (an annual target when there is one, else the running quarter's or month's)."""
    from .targets import current_targets

    if targets is None or targets.empty:
        return {}
    frame = targets.copy()
    if "year" not in frame.columns:
        frame["year"] = 0
    if as_of is not None:
        frame = current_targets(frame, as_of)
        order = {"tahun": 0, "triwulan": 1, "bulan": 2}
        frame = frame.assign(_o=frame["granularity"].map(order)).sort_values("_o", kind="stable")
    return {code: int(t) for code, t in
            frame.drop_duplicates("code")[["code", "target"]].itertuples(index=False)}


def sector_report(con, year: int, as_of=None, kecamatan: str | None = None,
                  desa_codes=None) -> dict:
    """The Sektor page's data: flagged sector table for the kabupaten (or one kecamatan), the
    place's coverage, and the sector x kecamatan table for the heat map. `desa_codes` (an RM's
    area): every figure of those desa only (etl.metrics), compared with the area's own coverage;
    kecamatan in the heat map are the parts inside the area."""
    from etl import metrics

    level = "kecamatan" if kecamatan else "kabupaten"
    area = {"as_of": as_of, "kecamatan": kecamatan, "desa_codes": desa_codes}
    place_row = metrics.coverage_table(con, level, **area)
    by_sector = metrics.coverage_table(con, level, by_sector=True, **area)
    place = "wilayah RM" if desa_codes is not None else level
    goals = {}  # sector targets are kabupaten-wide: not comparable within a kecamatan or an area
    if place == "kabupaten":
        goals = sector_targets(metrics.targets_for(con, year, "sektor").assign(year=year), as_of)
    reference = place_row["coverage_pct"].iloc[0] if len(place_row) else None
    heat = metrics.coverage_table(con, "kecamatan", by_sector=True, as_of=as_of,
                                  desa_codes=desa_codes)
    return {
        "place": place,
        "place_name": place_row["nama"].iloc[0] if len(place_row) else "",
        "reference_pct": None if reference is None or pd.isna(reference) else float(reference),
        "sectors": flag_sectors(by_sector.reset_index(drop=True),
                                None if reference is None or pd.isna(reference)
                                else float(reference), goals, place),
        "heat": heat,
    }


# ---------------------------------------------------------------- figures

def coverage_figure(flagged: pd.DataFrame, reference_pct: float | None, place: str = "kabupaten"):
    """Coverage per sector with its 95% interval, the place's coverage line and target markers."""
    import plotly.graph_objects as go

    data = flagged[flagged["estimated_workers"].fillna(0) > 0]
    data = data.sort_values("coverage_pct", kind="stable")
    fig = go.Figure()
    # Two traces so the legend says what red means; categoryorder keeps the sort by coverage.
    for flagged_part, name, colour in ((False, "Cakupan", "#1f77b4"),
                                       (True, "Cakupan (ditandai)", "#c62828")):
        part = data[data["flagged"] == flagged_part]
        if part.empty:
            continue
        cov = part["coverage_pct"].astype("float64")
        fig.add_bar(
            y=part["sektor_label"], x=cov, orientation="h", name=name, marker_color=colour,
            error_x=dict(type="data", symmetric=False,
                         array=(part["ci_high_pct"].astype("float64") - cov).clip(lower=0),
                         arrayminus=(cov - part["ci_low_pct"].astype("float64")).clip(lower=0),
                         color="#263238"),
            customdata=part[["active", "estimated_workers", "gap"]].astype("float64").to_numpy(),
            hovertemplate="%{y}: %{x:.1f}%<br>%{customdata[0]:,.0f} dari %{customdata[1]:,.0f} "
                          "pekerja<br>kesenjangan %{customdata[2]:,.0f} orang<extra></extra>")
    fig.update_yaxes(categoryorder="array", categoryarray=list(data["sektor_label"]))
    if data["target_pct"].notna().any():
        fig.add_scatter(y=data["sektor_label"], x=data["target_pct"].astype("float64"),
                        mode="markers", name="Target sektor",
                        marker=dict(symbol="line-ns-open", size=22, color="#2e7d32",
                                    line=dict(width=3)))
    if reference_pct is not None:
        fig.add_vline(x=reference_pct, line_dash="dash", line_color="#263238",
                      annotation_text=f"Cakupan {place} {fmt_percent(reference_pct)}",
                      annotation_position="top")
    fig.update_layout(xaxis_title="Cakupan (%) dengan selang kepercayaan 95%", yaxis_title=None,
                      height=max(360, 44 * len(data) + 100), font=dict(size=15),
                      margin=dict(l=10, r=10, t=50, b=40), legend=dict(orientation="h", y=1.1))
    return fig


def heatmap_figure(heat: pd.DataFrame):
    """Sector x kecamatan coverage heat map (percent), blank where there is no estimate."""
    import plotly.graph_objects as go

    pivot = heat.pivot_table(index="sektor_label", columns="nama", values="coverage_pct",
                             aggfunc="first", dropna=False)
    pivot = pivot.astype("float64")
    text = pivot.map(lambda v: "" if pd.isna(v) else f"{v:.0f}%")
    fig = go.Figure(go.Heatmap(
        z=pivot.to_numpy(), x=[str(c).title() for c in pivot.columns], y=list(pivot.index),
        text=text.to_numpy(), texttemplate="%{text}", colorscale="RdYlGn", zmin=0, zmax=100,
        colorbar=dict(title="Cakupan %"), hoverongaps=False,
        hovertemplate="%{y} · %{x}: %{z:.1f}%<extra></extra>"))
    fig.update_layout(height=max(380, 42 * len(pivot.index) + 120), font=dict(size=14),
                      margin=dict(l=10, r=10, t=30, b=60), xaxis_title=None, yaxis_title=None)
    return fig
