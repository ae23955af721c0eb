"""etl.metrics, the API the dashboard and the export share, on the hand-made fixture (figures
derived in tests/pipeline/test_export_coverage.py's docstring) and on a database with nothing
accepted."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from etl import db, loaders, metrics
from tests.support.helpers import row, write_csv


@pytest.fixture(scope="module")
def con(fixture_db):
    connection = db.connect_readonly(fixture_db)
    yield connection
    connection.close()


def test_months(con):
    assert metrics.latest_month(con) == "2025-06"
    assert metrics.months(con) == ["2024-12", "2025-01", "2025-02", "2025-03", "2025-04",
                                   "2025-05", "2025-06"]


def test_coverage_table_columns_and_filters(con):
    plain = metrics.coverage_table(con)
    assert list(plain.columns) == ["kode", "nama", "estimated_workers", "registered", "verified",
                                   "enrolled", "active", "coverage_pct", "gap", "lapsed",
                                   "other_channel", "lapse_pending", "other_channel_active",
                                   "estimate_desa", "estimate_year", "estimate_year_min",
                                   "desa_total", "year"]
    assert len(plain) == 8  # default level: kecamatan
    by_sector = metrics.coverage_table(con, level="desa", by_sector=True, kecamatan="63.11.04",
                                       sector="perikanan")
    assert list(by_sector.columns[:5]) == ["kode", "nama", "sektor", "sektor_label",
                                           "estimated_workers"]
    # Only the desa of Batu Mandi, only fisheries: P8 in Tariwin, enrolled and active in June.
    assert set(by_sector["sektor"]) == {"perikanan"}
    assert by_sector["kode"].str.startswith("63.11.04.").all()
    tariwin = by_sector[by_sector["kode"] == "63.11.04.2001"].iloc[0]
    assert (tariwin["registered"], tariwin["active"], tariwin["sektor_label"]) == (1, 1, "Perikanan")
    assert pd.isna(tariwin["estimated_workers"])  # no fisheries estimate for Tariwin
    # A sector filter without by_sector: one row per place, sector estimates as denominator.
    kab = metrics.coverage_table(con, level="kabupaten", sector="pertanian").iloc[0]
    assert (kab["estimated_workers"], kab["active"], kab["coverage_pct"]) == (7, 2, 28.6)
    # The kecamatan filter at kecamatan level keeps that kecamatan only.
    juai = metrics.coverage_table(con, level="kecamatan", kecamatan="63.11.01")
    assert juai["kode"].tolist() == ["63.11.01"]


def test_areas_whose_estimate_covers_only_some_desa_are_reported(con):
    desa_in = dict(con.execute("SELECT parent_code, count(*) FROM core.regions "
                               "WHERE level = 'desa' GROUP BY 1").fetchall())
    kec = metrics.coverage_table(con, level="kecamatan").set_index("kode")
    # Juai: estimates for Muara Ninian and Hamarung only; Batu Mandi: Tariwin only.
    assert (kec.loc["63.11.01", "estimate_desa"], kec.loc["63.11.01", "desa_total"]) == (
        2, desa_in["63.11.01"])
    assert kec.loc["63.11.04", "estimate_desa"] == 1
    partial = metrics.partial_estimates(kec.reset_index())
    assert sorted(partial["kode"]) == ["63.11.01", "63.11.04"]  # not the places with no estimate
    # A desa has its estimate or none: never partial.
    desa = metrics.coverage_table(con, level="desa")
    assert metrics.partial_estimates(desa).empty
    assert set(desa["desa_total"]) == {1}
    # By sector: fisheries has no estimate anywhere, farming covers 2 of the kabupaten's desa.
    kab = metrics.coverage_table(con, level="kabupaten", by_sector=True).set_index("sektor")
    assert kab.loc["pertanian", "estimate_desa"] == 2
    assert kab.loc["perikanan", "estimate_desa"] == 0
    assert kab.loc["pertanian", "desa_total"] == sum(desa_in.values())


def test_coverage_table_rejects_unknown_values(con):
    with pytest.raises(ValueError, match="Tingkat"):
        metrics.coverage_table(con, level="provinsi")
    with pytest.raises(ValueError, match="Sektor"):
        metrics.coverage_table(con, sector="tambang emas")
    with pytest.raises(ValueError, match="TTTT-BB"):
        metrics.coverage_table(con, as_of="2025-13")


def test_funnel(con):
    f = metrics.funnel(con)
    # The form funnel counts form registrants only (P1..P8): 8 registered, 6 verified (P1 P2 P5
    # P6 P7 P8; P8's enrolment overrides the rejection), 5 enrolled through the form (P1 P2 P6
    # P7 P8), 4 active (P2 lapsed). Beside it the other channel: M9 M10 M11 enrolled, M9 M11
    # active. Coverage counts every member: enrolled 8, active 6 (M11, whose desa is unknown,
    # included in the kabupaten).
    assert {k: f[k] for k in ("submitted", "registered", "verified", "rejected", "enrolled_form",
                              "active_form", "other_channel", "other_channel_active",
                              "enrolled", "active", "lapsed")} == {
        "submitted": 8, "registered": 8, "verified": 6, "rejected": 1, "enrolled_form": 5,
        "active_form": 4, "other_channel": 3, "other_channel_active": 2, "enrolled": 8,
        "active": 6, "lapsed": 2}
    # Days to verify (form channel): P1 10, P2 21, P5 12, P7 9 -> median 11.
    # Days to enrol after verification: P1 12, P2 15, P7 10 -> median 12.
    assert (f["median_days_to_verify"], f["median_days_to_enrol"]) == (11.0, 12.0)
    # End of February: P1 (10), P5 (12), P2 (21) verified -> 12; P1 enrolled 12 days after, P2 15.
    feb = metrics.funnel(con, as_of="2025-02")
    # (M9, enrolled through another channel, is no longer a form registrant.)
    assert (feb["submitted"], feb["verified"], feb["rejected"], feb["enrolled"]) == (5, 3, 1, 3)
    assert (feb["median_days_to_verify"], feb["median_days_to_enrol"]) == (12.0, 13.5)
    batu_mandi = metrics.funnel(con, kecamatan="63.11.04")
    assert (batu_mandi["submitted"], batu_mandi["active"], batu_mandi["lapsed"]) == (2, 2, 1)
    assert (batu_mandi["median_days_to_verify"], batu_mandi["median_days_to_enrol"]) == (9.0, 10.0)
    trade = metrics.funnel(con, sector="perdagangan")
    assert (trade["submitted"], trade["verified"], trade["rejected"]) == (2, 0, 1)
    assert trade["median_days_to_verify"] is None


def test_monthly_trend(con):
    trend = metrics.monthly_trend(con)
    assert list(trend.columns[:7]) == ["month", "registered", "verified", "enrolled", "active",
                                       "new_registered", "new_enrolled"]
    assert trend["month"].tolist() == metrics.months(con)
    # Active: Dec M9; Feb + P1 P2; Mar + P6; Apr + P7 - P2 (paid through March); May + M10 + M11
    # (no desa: in the kabupaten's total); Jun + P8 - M10 (paid through May).
    assert trend["active"].tolist() == [1, 1, 3, 4, 4, 6, 6]
    # Form registrants only: Jan P1 P2 P5; Feb P3 P6; Mar P4; Apr P7; May P8.
    assert trend["registered"].tolist() == [0, 3, 5, 6, 7, 8, 8]
    assert trend["new_enrolled"].tolist() == [1, 0, 2, 1, 1, 2, 1]
    # A filter keeps every month (zeros before the first event there).
    tariwin = metrics.monthly_trend(con, kecamatan="63.11.04")
    assert tariwin["month"].tolist() == metrics.months(con)
    assert tariwin["registered"].tolist() == [0, 0, 0, 0, 1, 2, 2]


def test_targets_and_freshness(con):
    targets = metrics.targets_for(con, 2025)
    assert list(targets.columns) == ["level", "code", "quarter", "month", "target"]
    assert targets[["level", "code", "target"]].values.tolist() == [
        ["kabupaten", "63.11", 12], ["kecamatan", "63.11.01", 9], ["kecamatan", "63.11.04", 2],
        ["sektor", "pertanian", 6]]
    assert metrics.targets_for(con, 2025, level="kabupaten")["target"].tolist() == [12]
    assert metrics.targets_for(con, 2024)["target"].tolist() == [5]
    fresh = metrics.data_date(con)
    # The data's last day: the membership export's date, 2025-06-30 (the latest event is P8's
    # enrolment on 2025-06-01, the latest submission 2025-05-02).
    assert fresh.data_date == "2025-06-30"
    assert fresh.loaded_at is not None and len(fresh.loaded_at) == 16


def test_a_database_with_nothing_accepted(db_path, tmp_path):
    bad = write_csv(tmp_path / "bad.csv", [row(nik_="6.31104E+15")])
    summary = loaders.load_file("registrations", bad, db_path=db_path)
    assert summary.accepted == 0
    con = db.connect_readonly(db_path)
    try:
        assert metrics.latest_month(con) is None
        assert metrics.months(con) == []
        table = metrics.coverage_table(con, level="desa")
        assert len(table) == 157 and table["registered"].sum() == 0
        assert metrics.funnel(con)["submitted"] == 0
        assert metrics.monthly_trend(con).empty
        assert metrics.coverage_issues(con).empty
        assert metrics.data_date(con).data_date is None
    finally:
        con.close()


def test_sql_is_in_files():
    # User values never reach SQL text: every query lives in etl/sql/queries and takes $params.
    source = Path(metrics.__file__).read_text()
    assert "f\"SELECT" not in source and "f'SELECT" not in source


def test_desa_codes_limit_every_figure_to_those_desa(con):
    """An RM's area is a list of desa: the kabupaten row restricted to every desa is the
    kabupaten minus the people whose desa is unknown (M11: enrolled, active, other channel), and
    a list of one kecamatan's desa gives that kecamatan's figures."""
    all_desa = list(metrics.coverage_table(con, "desa")["kode"])
    counts = ["registered", "verified", "enrolled", "active", "lapsed", "other_channel",
              "other_channel_active"]
    whole = metrics.coverage_table(con, "kabupaten").iloc[0]
    unknown = metrics.coverage_table(con, "kecamatan", with_unknown=True)
    unknown = unknown[unknown["kode"].isna()].iloc[0]
    assert unknown["active"] == 1  # M11: the subtraction below is not of zeros
    limited = metrics.coverage_table(con, "kabupaten", desa_codes=all_desa).iloc[0]
    for column in counts:
        assert limited[column] == whole[column] - unknown[column], column
    assert limited["estimated_workers"] == whole["estimated_workers"]
    # No unknown-place row inside an area, even when asked for.
    by_kec = metrics.coverage_table(con, "kecamatan", desa_codes=all_desa, with_unknown=True)
    assert by_kec["kode"].notna().all()

    trend = metrics.monthly_trend(con)
    limited_trend = metrics.monthly_trend(con, desa_codes=all_desa)
    assert limited_trend["active"].iloc[-1] == trend["active"].iloc[-1] - unknown["active"]
    f, limited_f = metrics.funnel(con), metrics.funnel(con, desa_codes=all_desa)
    assert limited_f["active"] == f["active"] - unknown["active"]
    assert limited_f["submitted"] == f["submitted"] - unknown["registered"]

    # One kecamatan's desa: the same figures as the kecamatan filter; other kecamatan unlisted.
    kec = "63.11.04"
    mine = [code for code in all_desa if code.startswith(kec + ".")]
    assert mine
    area = metrics.coverage_table(con, "kecamatan", desa_codes=mine)
    assert list(area["kode"]) == [kec]
    alone = metrics.coverage_table(con, "kecamatan", kecamatan=kec)
    pd.testing.assert_frame_equal(area, alone)
    assert metrics.funnel(con, desa_codes=mine) == metrics.funnel(con, kecamatan=kec)
    pd.testing.assert_frame_equal(metrics.monthly_trend(con, desa_codes=mine),
                                  metrics.monthly_trend(con, kecamatan=kec))
    desa = metrics.coverage_table(con, "desa", desa_codes=mine[:1])
    assert list(desa["kode"]) == mine[:1]
    # An empty area shows nothing, never the whole kabupaten.
    empty = metrics.coverage_table(con, "kabupaten", desa_codes=[]).iloc[0]
    assert (empty["active"], empty["registered"]) == (0, 0)
    assert pd.isna(empty["estimated_workers"])
