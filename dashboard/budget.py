"""The budget simulator: what a budget in rupiah buys, and where to spend it.

Owns the arithmetic of "with Rp X from the APBD, how many more workers for N months, and where"
(docs/rules.md §5): the number of workers a budget affords at the premium per worker per month (setting
``premium_per_month``), the allocation of those workers over desa by a stated strategy, and the
coverage the allocation would buy per kecamatan, and the Indonesian headers of its tables. Pure
functions over DataFrames produced by etl.metrics.coverage_table, so the page, the PDF brief and
the tests share one computation.
"""

from __future__ import annotations

import pandas as pd

from etl import settings

# Allocation strategies, in the order the page offers them, with their Indonesian labels.
STRATEGIES: dict[str, str] = {
    "gap": "Kesenjangan terbesar dulu",
    "coverage": "Cakupan terendah dulu",
}


def premium() -> int:
    """Premium per worker per month in rupiah (setting premium_per_month)."""
    return int(settings.get("premium_per_month"))


def affordable_workers(budget_rp: float, months: int, premium_rp: float | None = None) -> int:
    """Workers a budget covers for `months` months: whole workers only, never rounded up.

    Rp 100 juta / (Rp16.800 x 12) = 496 workers.
    """
    premium_rp = premium() if premium_rp is None else premium_rp
    if budget_rp <= 0 or months <= 0 or premium_rp <= 0:
        return 0
    # Integer arithmetic on rupiah so 201.600 x 496 never becomes 495.9999.
    return int(int(round(budget_rp)) // int(round(premium_rp * months)))


def cost(workers: int, months: int, premium_rp: float | None = None) -> int:
    """Rupiah needed to cover `workers` workers for `months` months."""
    premium_rp = premium() if premium_rp is None else premium_rp
    return int(round(workers * months * premium_rp))


def allocate(desa: pd.DataFrame, workers: int, strategy: str = "gap") -> pd.DataFrame:
    """Spread `workers` over desa, filling each chosen desa's gap before moving to the next.

    `desa` has at least kode, estimated_workers, active, gap, coverage_pct (a desa-level
    coverage_table). Strategy "gap" takes the largest gaps first (most people reached per visit);
    "coverage" takes the lowest coverage first (equity), ties broken by the larger gap. A desa never
    receives more than its gap, and the total never exceeds `workers`. Returns the input rows that
    receive workers, in allocation order, with columns ``allocated`` and ``coverage_after_pct``.
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}; one of {list(STRATEGIES)}")
    frame = desa.copy()
    frame["gap"] = pd.to_numeric(frame["gap"], errors="coerce").fillna(0).clip(lower=0)
    frame = frame[frame["gap"] > 0]
    if strategy == "gap":
        frame = frame.sort_values(["gap", "kode"], ascending=[False, True], kind="stable")
    else:
        cov = pd.to_numeric(frame["coverage_pct"], errors="coerce").fillna(0)
        frame = (frame.assign(_cov=cov)
                 .sort_values(["_cov", "gap", "kode"], ascending=[True, False, True],
                              kind="stable")
                 .drop(columns="_cov"))
    gaps = frame["gap"].astype("int64").to_numpy()
    remaining = max(int(workers), 0)
    allocated = []
    for gap in gaps:
        take = min(int(gap), remaining)
        allocated.append(take)
        remaining -= take
    frame["allocated"] = pd.Series(allocated, index=frame.index, dtype="int64")
    frame = frame[frame["allocated"] > 0].copy()
    frame["coverage_after_pct"] = _pct(frame["active"] + frame["allocated"],
                                       frame["estimated_workers"])
    return frame.reset_index(drop=True)


def by_kecamatan(kecamatan: pd.DataFrame, allocation: pd.DataFrame) -> pd.DataFrame:
    """Coverage per kecamatan before and after an allocation.

    `kecamatan` is a kecamatan-level coverage_table (kode, nama, estimated_workers, active,
    coverage_pct); `allocation` is allocate()'s output, whose desa codes start with their
    kecamatan code (Kemendagri codes nest: 63.11.01.2001 is in 63.11.01).
    """
    added = (allocation.assign(kecamatan=allocation["kode"].str.rsplit(".", n=1).str[0])
             .groupby("kecamatan")["allocated"].sum())
    out = kecamatan[["kode", "nama", "estimated_workers", "active", "coverage_pct"]].copy()
    out["tambahan"] = out["kode"].map(added).fillna(0).astype("int64")
    out["coverage_after_pct"] = _pct(out["active"] + out["tambahan"], out["estimated_workers"])
    return out.sort_values("tambahan", ascending=False, kind="stable").reset_index(drop=True)


def simulate(desa: pd.DataFrame, kecamatan: pd.DataFrame, budget_rp: float, months: int = 12,
             strategy: str = "gap", premium_rp: float | None = None) -> dict:
    """The whole simulation: affordable workers, allocation per desa, coverage per kecamatan.

    When the budget affords more workers than the total gap, only the gap is allocated and the
    rest is reported as unspent (``leftover_rp``).
    """
    premium_rp = premium() if premium_rp is None else premium_rp
    workers = affordable_workers(budget_rp, months, premium_rp)
    allocation = allocate(desa, workers, strategy)
    placed = int(allocation["allocated"].sum()) if len(allocation) else 0
    return {
        "affordable": workers,
        "allocated": placed,
        "cost_rp": cost(placed, months, premium_rp),
        "leftover_rp": int(round(budget_rp)) - cost(placed, months, premium_rp),
        "desa": allocation,
        "kecamatan": by_kecamatan(kecamatan, allocation),
    }


def _pct(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    num = pd.to_numeric(numerator, errors="coerce").astype("float64")
    den = pd.to_numeric(denominator, errors="coerce").astype("float64")
    return (100.0 * num / den.where(den > 0)).round(1)


def allocation_figure(kecamatan_result: pd.DataFrame):
    """Coverage per kecamatan before and after the allocation (plotly grouped bars)."""
    import plotly.graph_objects as go

    frame = kecamatan_result.sort_values("coverage_after_pct", kind="stable")
    fig = go.Figure()
    fig.add_bar(y=frame["nama"], x=frame["coverage_pct"], orientation="h", name="Sekarang",
                marker_color="#9aa5b1")
    fig.add_bar(y=frame["nama"], x=frame["coverage_after_pct"], orientation="h",
                name="Setelah anggaran", marker_color="#1f77b4",
                customdata=frame["tambahan"],
                hovertemplate="%{y}: %{x:.1f}% (+%{customdata:,} pekerja)<extra></extra>")
    fig.update_layout(barmode="group", xaxis_title="Cakupan (%)", yaxis_title=None,
                      height=max(320, 48 * len(frame) + 80), margin=dict(l=10, r=10, t=30, b=40),
                      legend=dict(orientation="h", y=1.08), font=dict(size=15))
    return fig


KECAMATAN_COLUMNS = {
    "kode": "Kode", "nama": "Kecamatan", "estimated_workers": "Perkiraan pekerja",
    "active": "Peserta aktif", "coverage_pct": "Cakupan sekarang (%)",
    "tambahan": "Tambahan pekerja", "coverage_after_pct": "Cakupan sesudah (%)"}
DESA_COLUMNS = {
    "kode": "Kode desa", "nama": "Desa", "kecamatan": "Kecamatan", "gap": "Kesenjangan (orang)",
    "coverage_pct": "Cakupan sekarang (%)", "allocated": "Tambahan pekerja",
    "coverage_after_pct": "Cakupan sesudah (%)"}


def kecamatan_table(sim: dict) -> pd.DataFrame:
    """A simulation's coverage per kecamatan before and after, with Indonesian headers."""
    return sim["kecamatan"].rename(columns=KECAMATAN_COLUMNS)


def desa_table(sim: dict) -> pd.DataFrame:
    """The desa a simulation funds, with Indonesian headers."""
    return sim["desa"].reindex(columns=list(DESA_COLUMNS)).rename(columns=DESA_COLUMNS)
