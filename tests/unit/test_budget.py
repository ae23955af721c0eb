"""The budget simulator: affordable workers, allocation over desa, coverage per kecamatan."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings as hsettings
from hypothesis import strategies as st

from dashboard import budget


def desa_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "kode": ["63.11.01.2001", "63.11.01.2002", "63.11.02.2001", "63.11.02.2002"],
        "nama": ["A", "B", "C", "D"],
        "estimated_workers": [1000, 200, 500, 50],
        "active": [600, 20, 450, 45],
        "gap": [400, 180, 50, 5],
        "coverage_pct": [60.0, 10.0, 90.0, 90.0],
    })


def kecamatan_frame() -> pd.DataFrame:
    return pd.DataFrame({"kode": ["63.11.01", "63.11.02"], "nama": ["Satu", "Dua"],
                         "estimated_workers": [1200, 550], "active": [620, 495],
                         "coverage_pct": [51.7, 90.0]})


def test_rp_100_juta_buys_496_workers_for_a_year():
    assert budget.affordable_workers(100_000_000, 12, 16_800) == 496


def test_default_premium_is_the_setting():
    assert budget.premium() == 16_800
    assert budget.affordable_workers(100_000_000, 12) == 496


def test_exact_budget_is_not_lost_to_float_rounding():
    assert budget.affordable_workers(16_800 * 12 * 496, 12, 16_800) == 496
    assert budget.affordable_workers(16_800 * 12 * 496 - 1, 12, 16_800) == 495


@pytest.mark.parametrize("b,m", [(0, 12), (-5, 12), (1_000_000, 0)])
def test_nothing_affordable_without_budget_or_months(b, m):
    assert budget.affordable_workers(b, m, 16_800) == 0


def test_largest_gap_first_fills_a_desa_before_the_next():
    out = budget.allocate(desa_frame(), 450, "gap")
    assert list(out["kode"]) == ["63.11.01.2001", "63.11.01.2002"]
    assert list(out["allocated"]) == [400, 50]


def test_lowest_coverage_first():
    out = budget.allocate(desa_frame(), 200, "coverage")
    assert list(out["kode"])[:2] == ["63.11.01.2002", "63.11.01.2001"]
    assert list(out["allocated"]) == [180, 20]
    assert out.loc[0, "coverage_after_pct"] == 100.0


def test_more_budget_than_gap_allocates_the_gap_only():
    res = budget.simulate(desa_frame(), kecamatan_frame(), 10_000_000_000, 12, "gap", 16_800)
    assert res["allocated"] == 635
    assert res["affordable"] > 635
    assert res["leftover_rp"] == 10_000_000_000 - 635 * 12 * 16_800
    kec = res["kecamatan"].set_index("kode")
    assert kec.loc["63.11.01", "tambahan"] == 580
    assert kec.loc["63.11.02", "tambahan"] == 55
    assert kec.loc["63.11.01", "coverage_after_pct"] == 100.0


def test_unknown_strategy_is_refused():
    with pytest.raises(ValueError):
        budget.allocate(desa_frame(), 10, "random")


@hsettings(max_examples=60, deadline=None)
@given(gaps=st.lists(st.integers(min_value=-3, max_value=500), min_size=1, max_size=30),
       workers=st.integers(min_value=0, max_value=6000),
       strategy=st.sampled_from(list(budget.STRATEGIES)))
def test_allocation_never_exceeds_a_gap_nor_the_affordable_total(gaps, workers, strategy):
    frame = pd.DataFrame({
        "kode": [f"63.11.01.{2000 + i}" for i in range(len(gaps))],
        "estimated_workers": [max(g, 0) + 10 for g in gaps],
        "active": [10] * len(gaps),
        "gap": gaps,
        "coverage_pct": [100 * 10 / (max(g, 0) + 10) for g in gaps],
    })
    out = budget.allocate(frame, workers, strategy)
    merged = out.merge(frame[["kode", "gap"]], on="kode", suffixes=("", "_orig"))
    assert (merged["allocated"] <= merged["gap_orig"]).all()
    assert (merged["allocated"] > 0).all()
    assert out["allocated"].sum() == min(workers, sum(max(g, 0) for g in gaps))


def test_allocation_figure_renders():
    res = budget.simulate(desa_frame(), kecamatan_frame(), 100_000_000, 12, "gap", 16_800)
    fig = budget.allocation_figure(res["kecamatan"])
    names = [t.name for t in fig.data]
    assert names == ["Sekarang", "Setelah anggaran"]
    assert "Satu" in fig.to_json()
