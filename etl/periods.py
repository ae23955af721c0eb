"""Target periods and months as indices: which period of a target runs at a month, when it
ends, how many months are left (docs/rules.md §5 "targets"). Pure functions, shared by the Target
page (dashboard.targets), the desa priority (etl.priority) and the decisions' due months
(etl.decisions)."""

from __future__ import annotations

import datetime as dt

import pandas as pd


def month_index(value) -> int:
    """Months since year 0 of a month given as 'YYYY-MM', 'YYYY-MM-DD', a date or a Timestamp."""
    if isinstance(value, str):
        year, month = int(value[:4]), int(value[5:7])
    else:
        year, month = value.year, value.month
    return year * 12 + month - 1


def month_start(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def _is_set(value) -> bool:
    return not pd.isna(value)


def period_end_index(year: int, quarter=None, month=None) -> int:
    """Month index of the last month of a target period (a month, a quarter or the year)."""
    if _is_set(month):
        return int(year) * 12 + int(month) - 1
    if _is_set(quarter):
        return int(year) * 12 + 3 * int(quarter) - 1
    return int(year) * 12 + 11


def period_label(year: int, quarter=None, month=None) -> str:
    if _is_set(month):
        return f"{int(year)}-{int(month):02d}"
    if _is_set(quarter):
        return f"{int(year)} triwulan {int(quarter)}"
    return f"{int(year)}"


def granularity(quarter=None, month=None) -> str:
    return "bulan" if _is_set(month) else "triwulan" if _is_set(quarter) else "tahun"


def period_ended(as_of, year: int, quarter=None, month=None, running: bool = False) -> bool:
    """The period is over at the as-of month: its last month is before it, or is it and that
    month is complete (`running`: the as-of month is the provisional, still running month)."""
    end, now = period_end_index(year, quarter, month), month_index(as_of)
    return now > end or (now == end and not running)


def months_left(as_of, year: int, quarter=None, month=None) -> int:
    """Months of growth left between the as-of month and the period's last month (>= 0)."""
    return max(period_end_index(year, quarter, month) - month_index(as_of), 0)


def current_targets(targets: pd.DataFrame, as_of) -> pd.DataFrame:
    """The running period of each target: per (level, code, granularity), the period that
    contains the as-of month or, when all have ended, the last one; when all lie ahead, the
    first. A code with an annual and a quarterly target keeps both rows."""
    if targets.empty:
        return targets.assign(granularity=pd.Series(dtype="str"),
                              end_index=pd.Series(dtype="int64"))
    now = month_index(as_of)
    frame = targets.copy()
    frame["granularity"] = [granularity(q, m) for q, m in zip(frame["quarter"], frame["month"])]
    frame["end_index"] = [period_end_index(y, q, m) for y, q, m in
                          zip(frame["year"], frame["quarter"], frame["month"])]
    # Running or future periods sort first by their end; ended ones after, latest first.
    frame["_key"] = [(0, e) if e >= now else (1, -e) for e in frame["end_index"]]
    frame = frame.sort_values("_key", kind="stable")
    chosen = frame.groupby(["level", "code", "granularity"], sort=False).head(1)
    return chosen.drop(columns="_key").reset_index(drop=True)
