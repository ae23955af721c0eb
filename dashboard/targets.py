"""Target tracking: attainment, pace needed versus recent pace, projection and status.

Owns the rules of docs/rules.md §5 "target tracking" for the Target page and the planning brief:

* a target is a number of protected (active) workers to reach by the end of its period: the
  year (December), a quarter (its third month) or a month;
* months left = months from the as-of month to the period's last month (0 when it has ended);
* recent pace = mean monthly net growth of active members over the last ``window`` months
  (active now minus active ``window`` months earlier, divided by ``window``);
* pace needed = (target - active now) / months left;
* projected end value = active now + recent pace x months left;
* status from projected / target: at or above 1 "sesuai jalur", at or above the setting
  ``target_at_risk_ratio`` "berisiko", below it "tertinggal";
* a period that has ended (its last month is the as-of month or earlier, and that month is
  complete, not the running provisional month) has no pace and no projection: its status is
  "tercapai" (active at the as-of month >= target) or "tidak tercapai";
* a target above the estimated workers in its scope cannot be reached: ``unreachable`` marks it
  (with the estimate) wherever it is shown.

Active counts always come from etl.metrics.coverage_table (one metric definition); an RM area's
figures are the sum of its desa rows of that same table.
"""

from __future__ import annotations

import math

import pandas as pd

from etl import settings
from .layout import fmt_int

ON_TRACK, AT_RISK, OFF_TRACK = "sesuai jalur", "berisiko", "tertinggal"
ACHIEVED, MISSED = "tercapai", "tidak tercapai"          # ended periods
STATUS_COLORS = {ON_TRACK: "#2e7d32", AT_RISK: "#f9a825", OFF_TRACK: "#c62828",
                 ACHIEVED: "#1b5e20", MISSED: "#8e0000"}
LEVEL_LABELS = {"kabupaten": "Kabupaten", "kecamatan": "Kecamatan", "desa": "Desa",
                "rm": "Wilayah RM", "sektor": "Sektor"}
PACE_WINDOW = 3


# Months and periods are etl.periods' (the priority and the decisions use them too); re-exported.
from etl.periods import (_is_set, current_targets, granularity, month_index,  # noqa: E402,F401
                         month_start, months_left, period_end_index, period_ended, period_label)


# ---------------------------------------------------------------- the rules

def recent_pace(active_now: float, active_before: float, window: int = PACE_WINDOW) -> float:
    """Mean monthly net growth of active members over the last `window` months."""
    return (float(active_now) - float(active_before)) / window


def pace_needed(active_now: float, target: float, left: int) -> float:
    """Monthly growth needed to reach the target by the period end (0 when already reached;
    NaN when the period has ended short of the target: no pace can reach it any more)."""
    short = float(target) - float(active_now)
    if short <= 0:
        return 0.0
    if left <= 0:
        return math.nan
    return short / left


def projected_end(active_now: float, pace: float, left: int) -> float:
    """Active members at the period end if the recent pace continues (never below zero)."""
    return max(float(active_now) + float(pace) * max(left, 0), 0.0)


def status(projected: float, target: float, at_risk_ratio: float | None = None) -> str:
    """On track / at risk / off track from the projected end value against the target."""
    ratio = settings.get("target_at_risk_ratio") if at_risk_ratio is None else at_risk_ratio
    if target <= 0:
        return ON_TRACK
    share = projected / target
    if share >= 1:
        return ON_TRACK
    if share >= ratio:
        return AT_RISK
    return OFF_TRACK


def thresholds_text(at_risk_ratio: float | None = None) -> str:
    """The status rule in one Indonesian sentence, for the page."""
    ratio = settings.get("target_at_risk_ratio") if at_risk_ratio is None else at_risk_ratio
    pct = f"{100 * ratio:.0f}%"
    return (f"Status dihitung dari proyeksi akhir periode (peserta aktif sekarang + laju "
            f"{PACE_WINDOW} bulan terakhir x sisa bulan) dibanding target: "
            f"**sesuai jalur** bila proyeksi ≥ 100% target, **berisiko** bila {pct} sampai di "
            f"bawah 100%, **tertinggal** bila di bawah {pct}. Periode yang sudah berakhir tidak "
            f"punya laju atau proyeksi: **tercapai** atau **tidak tercapai** menurut angka "
            f"akhirnya.")


def assess(frame: pd.DataFrame, as_of, window: int = PACE_WINDOW,
           at_risk_ratio: float | None = None, running: bool = False) -> pd.DataFrame:
    """Apply the rules to rows holding year, quarter, month, target, active (now) and
    active_before (``window`` months earlier), optionally estimated (workers in scope).
    `running`: the as-of month is the provisional (still running) month. Adds periode,
    attainment_pct, months_left, pace_needed, pace_recent, projected, projected_pct, status,
    ended and unreachable (target above the estimate in scope)."""
    ratio = settings.get("target_at_risk_ratio") if at_risk_ratio is None else at_risk_ratio
    out = frame.copy()
    out["active_before"] = pd.to_numeric(out["active_before"], errors="coerce").fillna(0)
    out["active"] = pd.to_numeric(out["active"], errors="coerce").fillna(0)
    estimated = (pd.to_numeric(out["estimated"], errors="coerce") if "estimated" in out
                 else pd.Series(math.nan, index=out.index))
    rows = []
    for r, est in zip(out.itertuples(index=False), estimated):
        ended = period_ended(as_of, r.year, r.quarter, r.month, running)
        attainment = round(100 * r.active / r.target, 1) if r.target > 0 else math.nan
        unreachable = bool(pd.notna(est) and r.target > est)
        if ended:
            # The period is over: the figure at its end is final; a pace means nothing now.
            rows.append({"periode": period_label(r.year, r.quarter, r.month),
                         "attainment_pct": attainment, "months_left": 0,
                         "pace_needed": math.nan, "pace_recent": math.nan,
                         "projected": round(r.active), "projected_pct": attainment,
                         "status": ACHIEVED if r.active >= r.target else MISSED,
                         "ended": True, "unreachable": unreachable})
            continue
        left = months_left(as_of, r.year, r.quarter, r.month)
        pace = recent_pace(r.active, r.active_before, window)
        proj = projected_end(r.active, pace, left)
        rows.append({
            "periode": period_label(r.year, r.quarter, r.month),
            "attainment_pct": attainment,
            "months_left": left,
            "pace_needed": pace_needed(r.active, r.target, left),
            "pace_recent": pace,
            "projected": round(proj),
            "projected_pct": round(100 * proj / r.target, 1) if r.target > 0 else math.nan,
            "status": status(proj, r.target, ratio),
            "ended": False, "unreachable": unreachable,
        })
    extra = pd.DataFrame(rows, index=out.index,
                         columns=["periode", "attainment_pct", "months_left", "pace_needed",
                                  "pace_recent", "projected", "projected_pct", "status",
                                  "ended", "unreachable"])
    return pd.concat([out, extra], axis=1)


def note(row) -> str:
    """What a reader must know beside a row's status: an ended period, an unreachable target."""
    parts = []
    if row["ended"]:
        parts.append("periode sudah berakhir: angka akhir, tanpa laju")
    if row["unreachable"]:
        parts.append(f"target melebihi perkiraan pekerja dalam sasaran "
                     f"({fmt_int(row['estimated'])}): tidak mungkin tercapai, periksa target "
                     "atau perkiraannya")
    return "; ".join(parts)


# ---------------------------------------------------------------- from the database

def _targets(con, year: int, level: str) -> pd.DataFrame:
    from etl import metrics

    frame = metrics.targets_for(con, year, level)
    frame = frame.rename(columns={"kode": "code", "tahun": "year", "bulan": "month",
                                  "triwulan": "quarter"})
    for col in ("quarter", "month"):
        if col not in frame.columns:
            frame[col] = pd.NA
    if "level" not in frame.columns:
        frame["level"] = level
    if "year" not in frame.columns:
        frame["year"] = year
    return frame[["level", "code", "year", "quarter", "month", "target"]]


# How the Target page marks a status (Streamlit badge markdown).
STATUS_BADGES = {ON_TRACK: ":green-badge[sesuai jalur]", AT_RISK: ":orange-badge[berisiko]",
                 OFF_TRACK: ":red-badge[tertinggal]", ACHIEVED: ":green-badge[tercapai]",
                 MISSED: ":red-badge[tidak tercapai]"}


def headline_row(table: pd.DataFrame, rm_id: str | None = None) -> pd.Series:
    """The target_status row the Target page leads with: the kabupaten's (an RM's: their
    area's) target with the most months left, i.e. the whole year before its quarters and
    months; the first row when there is none of that level."""
    head = table[table["level"] == ("rm" if rm_id else "kabupaten")]
    return (head.sort_values("months_left", ascending=False).iloc[0] if len(head)
            else table.iloc[0])


def rm_areas(con) -> pd.DataFrame:
    """Which desa each RM covers (rm_id, rm_name, desa_code). core.rm_areas holds the current
    areas (the rm-areas loader replaces an RM's area when a file lists that RM), so every RM is
    read, whichever file last listed it."""
    return con.execute("""
        SELECT rm_id, any_value(rm_name) AS rm_name, desa_code
        FROM core.rm_areas
        GROUP BY rm_id, desa_code ORDER BY rm_id, desa_code""").df()


def _active(con, level: str, as_of) -> pd.DataFrame:
    from etl import metrics

    frame = metrics.coverage_table(con, level, as_of=_as_of_arg(as_of))
    return frame[["kode", "nama", "active", "estimated_workers"]]


def _as_of_arg(as_of) -> str:
    return month_start(month_index(as_of)).strftime("%Y-%m")


def _rm_active(desa_active: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    merged = areas.merge(desa_active, left_on="desa_code", right_on="kode", how="left")
    return (merged.groupby(["rm_id"], as_index=False)
            .agg(nama=("rm_name", "first"), active=("active", "sum"),
                 estimated_workers=("estimated_workers", lambda s: s.sum(min_count=1)))
            .rename(columns={"rm_id": "kode"}))


def target_status(con, year: int, as_of, rm_id: str | None = None,
                  kecamatan: str | None = None, window: int = PACE_WINDOW) -> pd.DataFrame:
    """Target rows with attainment, pace, projection and status.

    Without ``rm_id``: the kabupaten, each kecamatan and each RM area that has a target (with
    ``kecamatan``: the kabupaten, that kecamatan and the RM areas reaching into it). With
    ``rm_id`` (an RM user): that RM's area and the desa in it that have targets, nothing else;
    this is the server-side filter of the RM role.
    """
    before = month_start(month_index(as_of) - window)
    areas = rm_areas(con)
    levels = ("rm", "desa") if rm_id else ("kabupaten", "kecamatan", "rm")
    parts = []
    desa_now = desa_before = None
    for level in levels:
        targets = current_targets(_targets(con, year, level), as_of)
        if level == "rm":
            if rm_id:
                targets = targets[targets["code"] == rm_id]
            elif kecamatan:
                reach = areas.loc[areas["desa_code"].str.startswith(kecamatan + "."), "rm_id"]
                targets = targets[targets["code"].isin(set(reach))]
            if targets.empty:
                continue
            if desa_now is None:
                desa_now, desa_before = _active(con, "desa", as_of), _active(con, "desa", before)
            now = _rm_active(desa_now, areas)
            then = _rm_active(desa_before, areas)
        else:
            if level == "desa":
                mine = set(areas.loc[areas["rm_id"] == rm_id, "desa_code"])
                targets = targets[targets["code"].isin(mine)]
            elif level == "kecamatan" and kecamatan:
                targets = targets[targets["code"] == kecamatan]
            if targets.empty:
                continue
            now, then = _active(con, level, as_of), _active(con, level, before)
        now = now.rename(columns={"estimated_workers": "estimated"})
        merged = (targets.merge(now, left_on="code", right_on="kode", how="left")
                  .merge(then[["kode", "active"]].rename(columns={"kode": "code",
                                                                  "active": "active_before"}),
                         on="code", how="left"))
        merged["nama"] = merged["nama"].fillna(merged["code"])
        parts.append(merged.drop(columns=["kode"]))
    if not parts:
        return pd.DataFrame(columns=["level", "level_label", "code", "nama", "target", "active",
                                     "periode",
                                     "attainment_pct", "months_left", "pace_needed",
                                     "pace_recent", "projected", "projected_pct", "status",
                                     "ended", "unreachable", "estimated"])
    frame = pd.concat(parts, ignore_index=True)
    frame["target"] = pd.to_numeric(frame["target"]).astype("int64")
    from etl import metrics

    running = metrics.provisional_through(con, _as_of_arg(as_of)) is not None
    out = assess(frame, as_of, window, running=running)
    out["level_label"] = out["level"].map(LEVEL_LABELS).fillna(out["level"])
    return out


def display_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The page's table: Indonesian headers, rounded paces."""
    out = pd.DataFrame({
        "Tingkat": frame["level_label"], "Kode": frame["code"], "Nama": frame["nama"],
        "Periode": frame["periode"], "Target": frame["target"],
        "Aktif sekarang": frame["active"].astype("int64"),
        "Capaian (%)": frame["attainment_pct"],
        "Sisa bulan": frame["months_left"],
        "Laju perlu/bulan": frame["pace_needed"].round(0),
        "Laju 3 bln terakhir/bulan": frame["pace_recent"].round(0),
        "Proyeksi akhir periode": frame["projected"],
        "Proyeksi (% target)": frame["projected_pct"],
        "Status": frame["status"],
        "Catatan": [note(r) for _, r in frame.iterrows()] if len(frame) else [],
    })
    return out


# ---------------------------------------------------------------- figures

def attainment_figure(frame: pd.DataFrame):
    """Attainment and projection per unit against 100% of the target, coloured by status."""
    import plotly.graph_objects as go

    data = frame.assign(label=frame["nama"] + " (" + frame["periode"].astype(str) + ")")
    data = data.sort_values("attainment_pct", kind="stable")
    fig = go.Figure()
    fig.add_bar(y=data["label"], x=data["attainment_pct"], orientation="h", name="Capaian",
                marker_color=[STATUS_COLORS.get(s, "#777") for s in data["status"]],
                customdata=data[["active", "target", "status"]].to_numpy(),
                hovertemplate="%{y}<br>%{customdata[0]:,} dari %{customdata[1]:,} "
                              "(%{x:.1f}%)<br>%{customdata[2]}<extra></extra>")
    fig.add_scatter(y=data["label"], x=data["projected_pct"], mode="markers", name="Proyeksi",
                    marker=dict(symbol="diamond", size=12, color="#263238"))
    fig.add_vline(x=100, line_dash="dash", line_color="#263238",
                  annotation_text="Target", annotation_position="top")
    fig.update_layout(xaxis_title="% dari target", yaxis_title=None,
                      height=max(320, 40 * len(data) + 100),
                      margin=dict(l=10, r=10, t=40, b=40), font=dict(size=15),
                      legend=dict(orientation="h", y=1.06))
    return fig


def pace_figure(frame: pd.DataFrame):
    """Pace needed versus recent pace (net new active members per month) per unit whose period
    is still running (an ended period has no pace)."""
    import plotly.graph_objects as go

    if "ended" in frame:
        frame = frame[~frame["ended"].astype(bool)]
    data = frame.assign(label=frame["nama"] + " (" + frame["periode"].astype(str) + ")")
    fig = go.Figure()
    fig.add_bar(x=data["label"], y=data["pace_needed"], name="Laju yang diperlukan",
                marker_color="#c62828")
    fig.add_bar(x=data["label"], y=data["pace_recent"], name="Laju 3 bulan terakhir",
                marker_color="#1f77b4")
    fig.update_layout(barmode="group", yaxis_title="Peserta aktif baru per bulan",
                      xaxis_title=None, height=420, margin=dict(l=10, r=10, t=40, b=80),
                      font=dict(size=15), legend=dict(orientation="h", y=1.08))
    return fig
