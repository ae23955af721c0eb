"""The demo shows what the product is for (issue "A demo that shows what the product is for"):
at the default month, on the session's demo database (scale 0.05), places differ the way real
data does: remote desa behind, kelurahan ahead, one kecamatan clearly lagging, a sector clearly
under-reached, desa in all four priority categories, lapses where APBDes funding stopped, and
maps with several colour classes. The public totals stay calibrated
(tests/pipeline/test_demo.py)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard import charts, priority, sectors
from etl import db, demo, gazetteer, metrics


@pytest.fixture(scope="module")
def spread(demo_db):
    con = db.connect_readonly(demo_db)
    try:
        span = metrics.data_span(con)
        month = span.default_month
        out = {
            "month": month,
            "kab": metrics.coverage_table(con, "kabupaten", as_of=month).iloc[0],
            "kec": metrics.coverage_table(con, "kecamatan", as_of=month),
            "desa": metrics.coverage_table(con, "desa", as_of=month),
            "priority": priority.priority_table(con, int(month[:4]), month),
            "sectors": sectors.sector_report(con, int(month[:4]), month)["sectors"],
        }
    finally:
        con.close()
    # The generator's own plan for that database (same seed, scale and reference date).
    world = demo.generator._World("63.11", 20231, 0.05, dt.date.fromisoformat(span.last_day))
    out["world"] = world
    return out


def _mean(frame: pd.DataFrame, mask) -> float:
    part = frame[mask]
    return float(part["active"].sum() / part["estimated_workers"].sum())


def test_maps_show_several_colour_classes(spread):
    kec = {charts.class_color(v) for v in spread["kec"]["coverage_pct"]}
    desa = {charts.class_color(v) for v in spread["desa"]["coverage_pct"]}
    assert len(kec - {charts.NO_DATA}) >= 3
    assert len(desa - {charts.NO_DATA}) >= 4


def test_one_kecamatan_clearly_lags(spread):
    kec = spread["kec"].set_index("kode")["coverage_pct"].astype(float)
    lagging = spread["world"].lagging_kecamatan
    assert kec.idxmin() == lagging
    assert kec[lagging] < float(spread["kab"]["coverage_pct"]) - 20
    assert kec.drop(lagging).min() > kec[lagging] + 15


def test_remote_desa_behind_and_kelurahan_ahead(spread):
    desa, world = spread["desa"], spread["world"]
    remote = desa["kode"].isin({d.code for d, far in zip(world.desa, world.remote) if far})
    kelurahan = desa["kode"].isin({d.code for d in gazetteer.desa_list("63.11")
                                   if d.kind == "kelurahan"})
    village = ~remote & ~kelurahan
    assert _mean(desa, remote) < _mean(desa, village) - 0.2
    assert _mean(desa, kelurahan) > _mean(desa, village)


def test_desa_in_all_four_priority_categories(spread):
    counts = spread["priority"]["category"].value_counts()
    assert set(counts.index) == {1, 2, 3, 4}, counts


def test_a_sector_is_clearly_under_reached(spread):
    table = spread["sectors"]
    below = table[table["flag_kabupaten"]]
    assert len(below) >= 1
    # Clearly: its whole 95% interval well under the kabupaten's coverage.
    assert (below["ci_high_pct"] < float(spread["kab"]["coverage_pct"]) - 10).any()


def test_lapses_cluster_where_apbdes_stopped(spread):
    desa, world = spread["desa"], spread["world"]
    stopped = desa["kode"].isin(world.apbdes_stopped)
    assert stopped.sum() >= 4
    rate = lambda m: desa[m]["lapsed"].sum() / desa[m]["enrolled"].sum()  # noqa: E731
    assert rate(stopped) > 3 * rate(~stopped)
