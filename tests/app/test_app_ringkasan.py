"""The Ringkasan page on the demo data (AppTest): it renders without an exception and its headline
figures are exactly the `export coverage` figures (etl.metrics), for the kabupaten and when the
sidebar filters narrow it to a kecamatan and a sector."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.helpers import REPO
from dashboard import auth
from dashboard import layout
from etl import db, metrics

pytestmark = pytest.mark.slow


def open_app(demo_db, monkeypatch, role: str = "pimpinan") -> AppTest:
    monkeypatch.setenv("CAKUPAN_DB", str(demo_db))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    at.session_state["cakupan_user"] = auth.User(role, role.title(), role)
    return at.run()


def cards(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def dots(n) -> str:
    return f"{int(n):,}".replace(",", ".")


def test_headline_equals_export_coverage(demo_db, monkeypatch):
    at = open_app(demo_db, monkeypatch)
    assert not at.exception, at.exception
    assert at.title[0].value == "Ringkasan"
    con = db.connect_readonly(demo_db)
    try:
        latest = metrics.default_month(con)   # the page opens on the latest complete month
        kab = metrics.coverage_table(con, level="kabupaten", as_of=latest).iloc[0]
        targets = metrics.targets_for(con, int(latest[:4]), "kabupaten")
    finally:
        con.close()
    shown = cards(at)
    assert shown["Pekerja terlindungi (aktif)"] == dots(kab["active"])
    assert kab["active"] > 0
    if kab["estimated_workers"] is not None and str(kab["estimated_workers"]) != "<NA>":
        assert shown["Perkiraan pekerja rentan"] == dots(kab["estimated_workers"])
        assert shown["Belum terlindungi"] == dots(kab["gap"])
    annual = targets[targets["quarter"].isna() & targets["month"].isna()]
    if len(annual):
        assert shown[f"Target {latest[:4]}"] == dots(annual["target"].iloc[0])
    # The data-freshness stamp is on the page (drawn by app.py on every page).
    assert any("Data per tanggal" in m.value for m in at.main.markdown)


def test_filters_narrow_the_headline(demo_db, monkeypatch):
    at = open_app(demo_db, monkeypatch)
    at.sidebar.selectbox(key="flt_kecamatan").select("63.11.01")
    at.sidebar.selectbox(key="flt_sector").select("pertanian")
    at.run()
    assert not at.exception, at.exception
    con = db.connect_readonly(demo_db)
    try:
        row = metrics.coverage_table(con, level="kecamatan", kecamatan="63.11.01",
                                     sector="pertanian").iloc[0]
    finally:
        con.close()
    assert cards(at)["Pekerja terlindungi (aktif)"] == dots(row["active"])
    assert "Kecamatan Juai" in at.caption[0].value and "Pertanian" in at.caption[0].value


def test_funnel_and_monitoring_chart_are_drawn(demo_db, monkeypatch):
    at = open_app(demo_db, monkeypatch)
    charts = [e for e in at.get("plotly_chart")]
    specs = [c.proto.spec for c in charts]
    assert any('"Funnel"' in s or '"type":"funnel"' in s for s in specs)
    assert any("Jalur target" in s for s in specs) or "belum ada" in cards(at).get(
        [k for k in cards(at) if k.startswith("Target")][0])


def test_a_public_visitor_cannot_open_ringkasan_by_url(demo_db, monkeypatch):
    monkeypatch.setenv("CAKUPAN_DB", str(demo_db))
    at = AppTest.from_file(str(REPO / "pages" / "ringkasan.py"), default_timeout=60)
    at.session_state["cakupan_user"] = auth.User("", "Publik", "publik")
    at.run()
    assert at.error and "tidak memiliki akses" in at.error[0].value
    assert not at.metric


def test_a_database_without_registrations_says_what_to_load(tmp_path, monkeypatch):
    empty = tmp_path / "kosong.duckdb"
    with db.write_session(empty):
        pass
    monkeypatch.setenv("CAKUPAN_DB", str(empty))
    for page in ("ringkasan.py", "peta.py"):
        at = AppTest.from_file(str(REPO / "pages" / page), default_timeout=60)
        at.session_state["cakupan_user"] = auth.User("pimpinan", "Pimpinan", "pimpinan")
        at.run()
        assert not at.exception, at.exception
        assert any("python -m etl load registrations" in i.value for i in at.info), page


def test_a_finished_load_is_picked_up_and_an_open_dashboard_never_blocks_it(demo_db, tmp_path,
                                                                             monkeypatch):
    from dashboard import data

    live = tmp_path / "live.duckdb"
    live.write_bytes(demo_db.read_bytes())
    monkeypatch.setenv("CAKUPAN_DB", str(live))
    before = int(data.coverage_table(level="kabupaten").iloc[0]["active"])
    # The dashboard's cached read-only connection stays open while a load writes the file.
    with db.write_session(live) as con:
        con.execute("DELETE FROM marts.monthly WHERE kecamatan_code = '63.11.01'")
    after = int(data.coverage_table(level="kabupaten").iloc[0]["active"])
    assert after < before


def test_the_running_month_is_marked_provisional(demo_db, monkeypatch):
    con = db.connect_readonly(demo_db)
    try:
        span = metrics.data_span(con)
    finally:
        con.close()
    at = open_app(demo_db, monkeypatch)
    # The page opens on the latest complete month, without a provisional mark.
    assert at.session_state["flt_as_of"] == span.default_month
    assert not any("sementara" in w.value for w in at.warning)
    if span.provisional_month is None:
        pytest.skip("the demo's last day is a month end: no running month")
    # The month picker offers only months with data, the running one labelled; none after it.
    options = at.sidebar.selectbox(key="flt_as_of").options
    assert options[0].startswith(layout.fmt_month(span.provisional_month) + " (sementara, s.d. ")
    at.session_state["flt_year"] = int(span.provisional_month[:4])
    at.session_state["flt_as_of"] = span.provisional_month
    at.run()
    assert not at.exception, at.exception
    day = int(span.last_day[8:10])
    marks = [w.value for w in at.warning if "sementara" in w.value]
    assert marks and f"s.d. {day} " in marks[0]
    assert any("keadaan sementara" in c.value for c in at.caption)


def test_the_estimate_year_is_named_when_it_is_not_the_years_own(demo_db, monkeypatch):
    con = db.connect_readonly(demo_db)
    try:
        note = metrics.estimate_year_note(metrics.coverage_table(con, level="kabupaten"))
    finally:
        con.close()
    at = open_app(demo_db, monkeypatch)
    shown = [i.value for i in at.info]
    if note is None:
        assert not any("Perkiraan pekerja tahun" in s for s in shown)
    else:
        assert shown.count(note) == 1, shown
