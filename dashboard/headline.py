"""The headline of the area in view: its figures at a month end (active, change, coverage, gap,
target, attainment, where the straight path to the target is) and the one sentence a planning
meeting reads (Ringkasan)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .layout import fmt_int, fmt_month, fmt_pct


@dataclass(frozen=True)
class Headline:
    active: int
    change: int | None          # active now - active at the previous month end
    estimated: int | None
    coverage: float | None      # ratio 0..1
    gap: int | None
    target: int | None
    attainment: float | None    # active / target
    baseline: int               # active at the end of the previous year
    on_path: int | None         # where the straight path to the target is at this month end
    sentence: str


def headline(row: pd.Series, trend: pd.DataFrame, as_of: str, target: int | None) -> Headline:
    """The headline figures of the area in view, and one sentence for the meeting.

    `row`: its coverage_table row; `trend`: its monthly_trend. The target path is the straight
    line from the active members at the end of the previous year to the target in December
    (the same line as charts.monitoring_chart)."""
    def _int(x):
        return None if x is None or pd.isna(x) else int(x)

    active = _int(row["active"]) or 0
    estimated, gap = _int(row["estimated_workers"]), _int(row["gap"])
    by_month = dict(zip(trend["month"].astype(str), trend["active"]))
    year, month = int(as_of[:4]), int(as_of[5:7])
    previous = f"{year - (month == 1):04d}-{(month - 2) % 12 + 1:02d}"
    change = active - int(by_month[previous]) if previous in by_month else None
    before_year = [m for m in by_month if m < f"{year}-01"]
    baseline = int(by_month[max(before_year)]) if before_year else 0
    pct = row.get("coverage_pct")      # etl.metrics' coverage, never recomputed here
    coverage = None if pct is None or pd.isna(pct) else float(pct) / 100
    attainment = active / target if target else None
    on_path = round(baseline + (target - baseline) * month / 12) if target else None
    text = f"Per akhir {fmt_month(as_of)}: {fmt_int(active)} pekerja terlindungi"
    if target:
        text += f", {fmt_pct(attainment)} dari target {year} ({fmt_int(target)})."
        diff = active - on_path
        text += (f" Jalur target bulan ini {fmt_int(on_path)}: "
                 + (f"unggul {fmt_int(diff)}." if diff >= 0 else f"tertinggal {fmt_int(-diff)}."))
    elif estimated:
        text += f" dari perkiraan {fmt_int(estimated)} pekerja rentan ({fmt_pct(coverage)})."
    else:
        text += "."
    return Headline(active, change, estimated, coverage, gap, target, attainment, baseline,
                    on_path, text)
