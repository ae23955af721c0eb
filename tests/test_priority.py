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
