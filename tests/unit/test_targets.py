"""Target tracking rules: period ends, pace, projection, status thresholds, RM filtering."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from dashboard import targets as tg


def test_period_ends_year_quarter_month():
    assert tg.month_start(tg.period_end_index(2025)) == dt.date(2025, 12, 1)
    assert tg.month_start(tg.period_end_index(2025, quarter=2)) == dt.date(2025, 6, 1)
    assert tg.month_start(tg.period_end_index(2025, quarter=4)) == dt.date(2025, 12, 1)
    assert tg.month_start(tg.period_end_index(2025, month=3)) == dt.date(2025, 3, 1)
    # pandas gives missing quarter/month as NA or NaN: both mean "not set"
    assert tg.period_end_index(2025, pd.NA, float("nan")) == tg.period_end_index(2025)


@pytest.mark.parametrize("as_of,kw,left", [
    ("2025-10", {}, 2),
    ("2025-12", {}, 0),
    ("2026-02", {}, 0),                # ended: never negative
    ("2025-04", {"quarter": 2}, 2),
    ("2025-06", {"quarter": 2}, 0),
    (dt.date(2025, 1, 1), {"month": 3}, 2),
])
def test_months_left(as_of, kw, left):
    assert tg.months_left(as_of, 2025, **kw) == left


def test_pace_projection_and_status():
    # 900 active now, 810 three months ago: +30 a month; target 1000 in 4 months
    pace = tg.recent_pace(900, 810, 3)
    assert pace == 30
    assert tg.pace_needed(900, 1000, 4) == 25
    assert tg.projected_end(900, pace, 4) == 1020
    assert tg.status(1020, 1000, 0.9) == tg.ON_TRACK
    assert tg.status(1000, 1000, 0.9) == tg.ON_TRACK          # exactly the target: on track
    assert tg.status(900, 1000, 0.9) == tg.AT_RISK            # exactly the ratio: at risk
    assert tg.status(899.9, 1000, 0.9) == tg.OFF_TRACK


def test_status_threshold_is_the_setting(monkeypatch):
    assert tg.status(850, 1000) == tg.OFF_TRACK
    monkeypatch.setenv("CAKUPAN_TARGET_AT_RISK_RATIO", "0.8")
    assert tg.status(850, 1000) == tg.AT_RISK
    assert "80%" in tg.thresholds_text()


def test_pace_needed_edge_cases():
    assert tg.pace_needed(1200, 1000, 3) == 0.0               # already reached
    assert math.isnan(tg.pace_needed(800, 1000, 0))           # ended short: unreachable
    assert tg.projected_end(100, -80, 3) == 0.0               # shrinking never goes below zero


def test_current_targets_pick_the_running_period():
    targets = pd.DataFrame({
        "level": ["kecamatan"] * 5, "code": ["63.11.01"] * 5, "year": [2025] * 5,
        "quarter": [1, 2, 3, 4, pd.NA], "month": [pd.NA] * 5,
        "target": [100, 200, 300, 400, 400]})
    cur = tg.current_targets(targets, "2025-05")
    assert sorted(cur["granularity"]) == ["tahun", "triwulan"]
    assert cur.loc[cur["granularity"] == "triwulan", "quarter"].item() == 2
    after = tg.current_targets(targets, "2026-01")
    assert after.loc[after["granularity"] == "triwulan", "quarter"].item() == 4


def test_assess_quarter_target_uses_the_quarter_end():
    frame = pd.DataFrame({"level": ["kabupaten", "kabupaten"], "code": ["63.11", "63.11"],
                          "nama": ["Balangan"] * 2, "year": [2025, 2025],
                          "quarter": [3, pd.NA], "month": [pd.NA, pd.NA],
                          "target": [1000, 1300], "active": [900, 900],
                          "active_before": [840, 840]})
    out = tg.assess(frame, "2025-08", window=3, at_risk_ratio=0.9)
    q3, year = out.iloc[0], out.iloc[1]
    assert q3["months_left"] == 1 and year["months_left"] == 4
    assert q3["projected"] == 920 and q3["status"] == tg.AT_RISK
    assert q3["pace_needed"] == 100
    assert year["projected"] == 980 and year["status"] == tg.OFF_TRACK
    assert q3["periode"] == "2025 triwulan 3" and year["periode"] == "2025"
    assert q3["attainment_pct"] == 90.0


def test_figures_render():
    frame = pd.DataFrame({"level": ["kabupaten"], "code": ["63.11"], "nama": ["Balangan"],
                          "year": [2025], "quarter": [pd.NA], "month": [pd.NA],
                          "target": [1000], "active": [900], "active_before": [840]})
    out = tg.assess(frame, "2025-08")
    assert "Balangan (2025)" in tg.attainment_figure(out).to_json()
    assert len(tg.pace_figure(out).data) == 2
    assert list(tg.display_table(out.assign(level_label="Kabupaten"))["Status"]) == [tg.AT_RISK]


# ---------------------------------------------------------------- on a database


def test_target_status_on_the_database_uses_the_metrics(analysis_con):
    from etl import metrics

    con = analysis_con
    out = tg.target_status(con, 2025, "2025-10")
    assert set(out["level"]) == {"kabupaten", "kecamatan", "rm"}
    kab = out[out["level"] == "kabupaten"].iloc[0]
    now = metrics.coverage_table(con, "kabupaten", as_of="2025-10")["active"].iloc[0]
    then = metrics.coverage_table(con, "kabupaten", as_of="2025-07")["active"].iloc[0]
    assert kab["active"] == now == 117
    assert kab["pace_recent"] == pytest.approx((now - then) / 3)
    assert kab["months_left"] == 2
    assert kab["projected"] == round(now + 2 * (now - then) / 3)
    assert kab["status"] == tg.OFF_TRACK
    assert kab["pace_needed"] == pytest.approx((300 - 117) / 2)
    juai = out[(out["level"] == "kecamatan") & (out["code"] == "63.11.01")]
    assert sorted(juai["periode"]) == ["2025", "2025 triwulan 4"]
    rm = out[out["level"] == "rm"].set_index("code")
    desa = metrics.coverage_table(con, "desa", as_of="2025-10").set_index("kode")["active"]
    assert rm.loc["RM-01", "active"] == desa[["63.11.01.2001", "63.11.01.2002",
                                              "63.11.01.2003"]].sum() == 67
    assert rm.loc["RM-02", "nama"] == "RM 02"


def test_an_rm_sees_only_their_area(analysis_con):
    out = tg.target_status(analysis_con, 2025, "2025-10", rm_id="RM-02")
    assert list(out["code"]) == ["RM-02"]
    mine = tg.target_status(analysis_con, 2025, "2025-10", rm_id="RM-01")
    assert set(mine["code"]) == {"RM-01", "63.11.01.2001"}
    assert tg.target_status(analysis_con, 2025, "2025-10", rm_id="RM-99").empty


def test_no_targets_for_a_year_gives_an_empty_table(analysis_con):
    assert tg.target_status(analysis_con, 2019, "2025-10").empty


def test_kecamatan_filter_keeps_the_kabupaten_for_context(analysis_con):
    out = tg.target_status(analysis_con, 2025, "2025-10", kecamatan="63.11.02")
    assert set(zip(out["level"], out["code"])) == {("kabupaten", "63.11"),
                                                   ("kecamatan", "63.11.02"), ("rm", "RM-02")}
    assert tg.display_table(tg.target_status(analysis_con, 2019, "2025-10")).empty


def test_an_rm_area_file_for_one_rm_keeps_the_other_rms(tmp_path):
    """A second rm-areas file that lists only RM-02 changes RM-02's area, not RM-01's."""
    from etl import db
    from etl.loaders import load_file
    from dashboard import targets as tg

    db_path = tmp_path / "rm.duckdb"
    first = tmp_path / "rm1.csv"
    first.write_text("RM_ID,NAMA_RM,KODE_DESA\nRM-01,Utara,63.11.01.2001\n"
                     "RM-02,Selatan,63.11.07.1001\n", encoding="utf-8")
    second = tmp_path / "rm2.csv"
    second.write_text("RM_ID,NAMA_RM,KODE_DESA\nRM-02,Selatan,63.11.07.2002\n", encoding="utf-8")
    load_file("rm-areas", first, db_path=db_path)
    load_file("rm-areas", second, db_path=db_path)
    con = db.connect_readonly(db_path)
    try:
        areas = tg.rm_areas(con)
    finally:
        con.close()
    assert sorted(zip(areas["rm_id"], areas["desa_code"])) == [
        ("RM-01", "63.11.01.2001"), ("RM-02", "63.11.07.2002")]


def test_an_ended_period_is_achieved_or_missed_without_pace():
    frame = pd.DataFrame({"level": ["kabupaten"] * 3, "code": ["63.11"] * 3,
                          "nama": ["Balangan"] * 3, "year": [2025] * 3,
                          "quarter": [2, 3, pd.NA], "month": [pd.NA] * 3,
                          "target": [800, 1000, 1300], "active": [900, 900, 900],
                          "active_before": [840, 840, 840]})
    # September: Q2 ended (achieved: 900 >= 800), Q3 ends this month and the month is complete
    # (missed: 900 < 1000), the year still runs.
    out = tg.assess(frame, "2025-09", window=3, at_risk_ratio=0.9)
    q2, q3, year = (out.iloc[i] for i in range(3))
    assert (q2["status"], q2["ended"]) == (tg.ACHIEVED, True)
    assert (q3["status"], q3["ended"]) == (tg.MISSED, True)
    for ended in (q2, q3):
        assert math.isnan(ended["pace_needed"]) and math.isnan(ended["pace_recent"])
        assert ended["projected"] == 900 and ended["projected_pct"] == ended["attainment_pct"]
    assert not year["ended"] and year["status"] in (tg.ON_TRACK, tg.AT_RISK, tg.OFF_TRACK)
    # The same month while it is still running (provisional): Q3 has not ended yet.
    running = tg.assess(frame, "2025-09", window=3, at_risk_ratio=0.9, running=True)
    assert not running.iloc[1]["ended"] and running.iloc[1]["status"] == tg.AT_RISK
    # Never "at risk" once ended, whatever the ratio.
    assert set(out["status"]) & {tg.AT_RISK} == set()
    shown = tg.display_table(out.assign(level_label="Kabupaten"))
    assert shown["Laju perlu/bulan"].isna()[:2].all()
    assert "berakhir" in shown["Catatan"].iloc[0]
    assert len(tg.pace_figure(out).data[0]["x"]) == 1   # only the running period has a pace


def test_a_target_above_the_estimate_is_marked_unreachable():
    frame = pd.DataFrame({"level": ["kecamatan", "kecamatan"], "code": ["63.11.01", "63.11.02"],
                          "nama": ["Juai", "Halong"], "year": [2025, 2025],
                          "quarter": [pd.NA, pd.NA], "month": [pd.NA, pd.NA],
                          "target": [1200, 500], "active": [900, 400],
                          "active_before": [840, 380], "estimated": [1100, 800]})
    out = tg.assess(frame, "2025-08")
    assert list(out["unreachable"]) == [True, False]
    notes = tg.display_table(out.assign(level_label="Kecamatan"))["Catatan"].tolist()
    assert "tidak mungkin tercapai" in notes[0] and "1.100" in notes[0]
    assert notes[1] == ""


def test_sector_target_above_its_estimate_is_unreachable():
    from dashboard import sectors

    by_sector = pd.DataFrame({"sektor": ["konstruksi", "pertanian"],
                              "sektor_label": ["Konstruksi & buruh harian", "Pertanian"],
                              "estimated_workers": [1000, 5000], "active": [700, 4000],
                              "coverage_pct": [70.0, 80.0], "gap": [300, 1000]})
    out = sectors.flag_sectors(by_sector, 78.0, {"konstruksi": 1105, "pertanian": 4200})
    row = out.set_index("sektor").loc["konstruksi"]
    assert row["unreachable"] and row["reason"].startswith("Target sektor Konstruksi")
    assert "tidak mungkin tercapai" in row["reason"]
    assert not out.set_index("sektor").loc["pertanian", "unreachable"]
    assert sectors.display_table(out)["Target terjangkau"].tolist().count("Tidak") == 1


def test_target_status_on_the_database_marks_ended_periods(analysis_con):
    # At 2025-10 (the data's last month) the annual targets and Juai's Q4 target still run.
    out = tg.target_status(analysis_con, 2025, "2025-10")
    assert not out["ended"].any()
    # Estimates in scope are attached: the kabupaten's 300 target is within its 340 workers.
    kab = out[out["level"] == "kabupaten"].iloc[0]
    assert kab["estimated"] == 340 and not kab["unreachable"]
