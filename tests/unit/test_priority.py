"""Desa priority (RED categories), suggested actions and the visit list."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import priority as pr


@pytest.mark.parametrize("attain,drop,cat", [
    (0.9, 0.1, 1), (0.8, 0.2, 1),      # at the thresholds: good access, low drop-off
    (0.9, 0.3, 2), (0.5, 0.1, 3), (0.79, 0.21, 4), (None, 0.5, None)])
def test_categories(attain, drop, cat):
    assert pr.category(attain, drop, 0.8, 0.2) == cat


def test_actions_follow_the_leak():
    assert pr.action(3, 0.05, 0.05, 0.2) == pr.OUTREACH
    assert pr.action(2, 0.5, 0.05, 0.2) == pr.FOLLOW_UP
    assert pr.action(2, 0.05, 0.4, 0.2) == pr.CONTINUE
    assert pr.action(4, 0.3, 0.5, 0.2) == f"{pr.OUTREACH}; {pr.CONTINUE}; {pr.FOLLOW_UP}"
    assert pr.action(1, 0.0, 0.0, 0.2) == pr.KEEP


def desa():
    return pd.DataFrame({
        "kode": ["63.11.01.2001", "63.11.01.2002", "63.11.02.2001", "63.11.02.2002",
                 "63.11.02.2003"],
        "nama": ["A", "B", "C", "D", "E"],
        "estimated_workers": [1000, 100, 2000, 500, pd.NA],
        "registered": [900, 80, 700, 480, 10],
        "verified": [880, 70, 650, 470, 10],
        "enrolled": [850, 40, 600, 300, 10],
        "active": [820, 38, 580, 290, 10],
        "lapsed": [30, 2, 20, 10, 0],
        "coverage_pct": [82.0, 38.0, 29.0, 58.0, pd.NA],
        "gap": [180, 62, 1420, 210, pd.NA],
    }).astype({"estimated_workers": "Int64", "gap": "Int64", "coverage_pct": "Float64"})


def test_classify_against_denominator_and_rank_by_gap():
    out = pr.classify(desa(), coverage_threshold=0.8, dropoff_threshold=0.2)
    by = out.set_index("kode")
    assert list(out["kode"][:4]) == ["63.11.02.2001", "63.11.02.2002", "63.11.01.2001",
                                     "63.11.01.2002"]
    assert list(out["rank"]) == [1, 2, 3, 4, 5]
    assert by.loc["63.11.01.2001", "category"] == 1
    assert by.loc["63.11.01.2002", "category"] == 4          # 38% covered, half stalled
    assert by.loc["63.11.01.2002", "stalled_pct"] == 50.0
    assert by.loc["63.11.02.2001", "category"] == 3          # low coverage, few stalled
    assert by.loc["63.11.02.2002", "category"] == 4          # 180 of 480 stalled: 37.5%
    assert pd.isna(by.loc["63.11.02.2003", "category"])
    assert by.loc["63.11.02.2003", "category_label"] == pr.NO_DATA
    assert by.loc["63.11.01.2001", "target_basis"] == "perkiraan pekerja"


def test_desa_target_and_share_of_kabupaten_target():
    out = pr.classify(desa(), desa_targets={"63.11.01.2002": 40}, kabupaten_target=1800,
                      coverage_threshold=0.8, dropoff_threshold=0.6)
    by = out.set_index("kode")
    # own target: 38 of 40 = 95%: good access now
    assert by.loc["63.11.01.2002", "target_basis"] == "target desa"
    assert by.loc["63.11.01.2002", "category"] == 1
    # share of the kabupaten target: 1800 * 2000 / 3600 = 1000; 580 / 1000 = 58%
    assert by.loc["63.11.02.2001", "desa_target"] == 1000
    assert by.loc["63.11.02.2001", "attainment_pct"] == 58.0
    assert by.loc["63.11.02.2001", "target_basis"] == "bagian target kabupaten"


def test_thresholds_are_settings(monkeypatch):
    monkeypatch.setenv("CAKUPAN_PRIORITY_COVERAGE_THRESHOLD", "0.5")
    monkeypatch.setenv("CAKUPAN_PRIORITY_DROPOFF_THRESHOLD", "0.6")
    by = pr.classify(desa()).set_index("kode")
    assert by.loc["63.11.02.2002", "category"] == 1          # 58% >= 50%, 37.5% <= 60%


def test_visit_list_and_summary():
    out = pr.classify(desa().assign(kecamatan="X"), coverage_threshold=0.8,
                      dropoff_threshold=0.2)
    visits = pr.visit_list(out, limit=3)
    assert list(visits["Desa"]) == ["C", "D", "A"]
    assert list(visits["Peringkat"]) == [1, 2, 3]
    summary = pr.category_summary(out).set_index("Kategori")
    assert summary["Jumlah desa"].sum() == 4
    assert summary.loc[pr.CATEGORIES[4], "Kesenjangan (orang)"] == 62 + 210
    fig = pr.quadrant_figure(out, 0.8, 0.2)
    assert {t.name for t in fig.data} == {pr.CATEGORIES[1], pr.CATEGORIES[3], pr.CATEGORIES[4]}


# ---------------------------------------------------------------- on a database

from tests.support.analysis_db import RM  # noqa: E402


def test_priority_table_on_the_database(analysis_con):
    from etl import metrics

    out = pr.priority_table(analysis_con, 2025, "2025-10")
    by = out.set_index("kode")
    desa = metrics.coverage_table(analysis_con, "desa", as_of="2025-10").set_index("kode")
    assert (by["gap"].dropna() == desa.loc[by["gap"].dropna().index, "gap"]).all()
    assert by.loc["63.11.01.2001", "target_basis"] == "target desa"         # 45 of 70
    assert by.loc["63.11.01.2001", "category"] == 4                         # 15 of 60 stalled
    assert by.loc["63.11.01.2002", "desa_target"] == 71                     # 300 * 80 / 340
    assert by.loc["63.11.01.2002", "lapse_pct"] == 50.0
    assert by.loc["63.11.01.2003", "category"] == 1                         # above 100%
    assert by.loc["63.11.02.2001", "category"] == 3                         # 20% stalled: not above
    assert by.loc["63.11.02.2002", "category"] == 4
    assert by.loc["63.11.02.2001", "kecamatan"] == "Halong"
    visits = pr.visit_list(out)
    assert list(visits["Kode desa"][:1]) == ["63.11.01.2002"]               # largest gap: 70
    assert len(visits) == 4                                                 # positive gaps only


def test_rm_scope_limits_priority_and_budget(analysis_con):
    out = pr.priority_table(analysis_con, 2025, "2025-10", desa_codes=RM["RM-02"])
    assert sorted(out["kode"]) == RM["RM-02"]
    # the kabupaten target is still apportioned over the whole kabupaten's estimate
    assert out.set_index("kode").loc["63.11.02.2001", "desa_target"] == 79
    desa, kec = pr.budget_inputs(analysis_con, "2025-10", desa_codes=RM["RM-02"])
    assert list(kec["kode"]) == ["63.11.02"]


def test_budget_on_the_database(analysis_con):
    from dashboard import budget

    desa, kec = pr.budget_inputs(analysis_con, "2025-10")
    res = budget.simulate(desa, kec, 20_000_000, 12, "gap", 16_800)
    assert res["affordable"] == 99
    assert list(zip(res["desa"]["kode"], res["desa"]["allocated"])) == [
        ("63.11.01.2002", 70), ("63.11.01.2001", 29)]
    juai = res["kecamatan"].set_index("kode").loc["63.11.01"]
    assert juai["tambahan"] == 99
    assert juai["coverage_after_pct"] == round(100 * (67 + 99) / 190, 1)
    everything = budget.simulate(desa, kec, 100_000_000, 12, "coverage", 16_800)
    assert everything["affordable"] == 496 and everything["allocated"] == 55 + 70 + 50 + 50
