"""The analysis pages (Target, Sektor, Prioritas & Anggaran, Kualitas data) under AppTest.

On the small hand-checkable database (tests/support/analysis_db.py) each page renders without an
exception and shows exactly the figures of etl.metrics / the dashboard modules; an RM sees only
their area; the data-quality page never shows a full NIK, name or phone. On the demo database
each page renders through app.py without an exception.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth
from etl import db, metrics
from tests.support.analysis_db import RM
from tests.support.helpers import REPO

pytestmark = pytest.mark.slow


def dots(n) -> str:
    return f"{int(round(float(n))):,}".replace(",", ".")


def open_page(db_path, monkeypatch, page: str, role: str = "pimpinan",
              rm_id: str | None = None) -> AppTest:
    monkeypatch.setenv("CAKUPAN_DB", str(db_path))
    at = AppTest.from_file(str(REPO / "pages" / f"{page}.py"), default_timeout=90)
    at.session_state["cakupan_user"] = auth.User(role, role.title(), role, rm_id)
    return at.run()


def frames(at: AppTest):
    return [d.value for d in at.dataframe]


def chart_specs(at: AppTest) -> list[str]:
    return [c.proto.spec for c in at.get("plotly_chart")]


# ---------------------------------------------------------------- Target

def test_target_page_shows_the_metrics_figures(analysis_db, monkeypatch):
    at = open_page(analysis_db, monkeypatch, "target")
    assert not at.exception, at.exception
    assert at.title[0].value == "Target"
    con = db.connect_readonly(analysis_db)
    try:
        kab = metrics.coverage_table(con, "kabupaten", as_of="2025-10").iloc[0]
    finally:
        con.close()
    cards = {m.label: m.value for m in at.metric}
    assert cards["Peserta aktif / target"] == f"{dots(kab['active'])} / {dots(300)}"
    assert "tertinggal" in at.subheader[0].value
    assert any("berisiko" in m.value and "90%" in m.value for m in at.markdown)
    table = frames(at)[0]
    assert set(table["Tingkat"]) == {"Kabupaten", "Kecamatan", "Wilayah RM"}
    assert table.set_index("Kode").loc["RM-01", "Aktif sekarang"] == 67
    assert len(chart_specs(at)) == 2
    assert [b.label for b in at.get("download_button")] == ["Unduh CSV", "Unduh XLSX"]


def test_an_rm_sees_only_their_own_area(analysis_db, monkeypatch):
    at = open_page(analysis_db, monkeypatch, "target", role="rm", rm_id="RM-02")
    assert not at.exception, at.exception
    table = frames(at)[0]
    assert list(table["Kode"]) == ["RM-02"]
    assert "RM-01" not in " ".join(chart_specs(at))
    assert "Balangan" not in " ".join(chart_specs(at))


def test_a_public_visitor_cannot_open_the_analysis_pages(analysis_db, monkeypatch):
    for page in ("target", "sektor", "prioritas", "kualitas"):
        at = open_page(analysis_db, monkeypatch, page, role="publik")
        assert at.error and "tidak memiliki akses" in at.error[0].value
        assert not at.dataframe and not at.metric


# ---------------------------------------------------------------- Sektor

def test_sector_page_flags_with_reasons_and_heat_map(analysis_db, monkeypatch):
    at = open_page(analysis_db, monkeypatch, "sektor")
    assert not at.exception, at.exception
    con = db.connect_readonly(analysis_db)
    try:
        by_sector = metrics.coverage_table(con, "kabupaten", by_sector=True, as_of="2025-10")
    finally:
        con.close()
    table = frames(at)[0].set_index("Sektor")
    expected = by_sector.set_index("sektor_label")["active"]
    assert (table["Peserta aktif"] == expected.loc[table.index]).all()
    assert table.loc["Pertanian & perkebunan", "Ditandai"] == "Ya"
    warnings = [w.value for w in at.warning]
    assert any("Pertanian & perkebunan" in w and "kesenjangan **122 orang**" in w
               for w in warnings)
    specs = chart_specs(at)
    assert any('"type":"heatmap"' in s for s in specs)
    assert any("Target sektor" in s for s in specs)


# ---------------------------------------------------------------- Prioritas & Anggaran

def test_priority_page_and_budget_simulator(analysis_db, monkeypatch):
    at = open_page(analysis_db, monkeypatch, "prioritas")
    assert not at.exception, at.exception
    summary, visits = frames(at)[0], frames(at)[1]
    assert summary["Jumlah desa"].sum() == 5
    assert list(visits["Kode desa"][:1]) == ["63.11.01.2002"]
    cards = {m.label: m.value for m in at.metric}
    # Rp 1 miliar / (16.800 x 12) = 4.960 workers; only the 225 people of the gaps are placed
    assert cards["Pekerja yang terbiayai"] == "4.960"
    assert cards["Dialokasikan ke desa"] == "225"
    at.number_input(key="anggaran_rp").set_value(20_000_000).run()
    assert not at.exception, at.exception
    cards = {m.label: m.value for m in at.metric}
    assert cards["Pekerja yang terbiayai"] == "99"
    desa = frames(at)[-1]
    assert list(desa["Tambahan pekerja"]) == [70, 29]
    assert (desa["Tambahan pekerja"] <= desa["Kesenjangan (orang)"]).all()
    kec = frames(at)[-2].set_index("Kode")
    assert kec.loc["63.11.01", "Tambahan pekerja"] == 99
    at.radio(key="anggaran_strategi").set_value("coverage").run()
    desa = frames(at)[-1]
    assert desa["Kode desa"].iloc[0] == "63.11.01.2002"         # 12.5%: the lowest coverage
    assert desa["Tambahan pekerja"].sum() == 99


def test_rm_priority_list_is_their_desa_only(analysis_db, monkeypatch):
    at = open_page(analysis_db, monkeypatch, "prioritas", role="rm", rm_id="RM-02")
    assert not at.exception, at.exception
    visits = frames(at)[1]
    assert set(visits["Kode desa"]) <= set(RM["RM-02"]) and len(visits) == 2


# ---------------------------------------------------------------- Kualitas data

def _page_text(at: AppTest) -> str:
    parts = [d.value.to_csv(index=False) for d in at.dataframe]
    parts += [e.value for kind in ("markdown", "caption", "info", "warning", "success")
              for e in getattr(at, kind)]
    parts += chart_specs(at)
    return "\n".join(str(p) for p in parts)


def test_quality_page_masks_personal_data(analysis_db, monkeypatch):
    at = open_page(analysis_db, monkeypatch, "kualitas", role="admin")  # rows: the data officer
    assert not at.exception, at.exception
    con = db.connect_readonly(analysis_db)
    try:
        persons = con.execute("SELECT nik, kk, full_name, phone FROM private.persons").fetchall()
        quarantined = con.execute("SELECT count(*) FROM meta.quarantine").fetchall()[0][0]
        over = metrics.coverage_issues(con)
    finally:
        con.close()
    cards = {m.label: m.value for m in at.metric}
    assert cards["Baris dikarantina"] == dots(quarantined) == "2"
    assert cards["Desa cakupan > 100%"] == dots(len(over)) == "1"
    text = _page_text(at)
    for nik, kk, name, phone in persons:
        for secret in (nik, kk, name, phone):
            assert secret not in text
    assert "Salah Dua" not in text and "Salah Satu" not in text
    assert "6311********9001" in text                         # the unplaced row, masked
    assert "python -m etl export quarantine --load" in text
    assert "Desa Entah" in text                                # unmatched name with candidates
    over_table = next(f for f in frames(at) if "Kelebihan (orang)" in f.columns)
    assert any("Juai" in str(v) for v in over_table["Desa"])


def test_quarantine_rows_of_one_load_with_the_cli_hint(analysis_db, monkeypatch):
    at = open_page(analysis_db, monkeypatch, "kualitas", role="admin")
    at.selectbox(key="kualitas_muatan").set_value(1).run()
    assert not at.exception, at.exception
    assert "--load 1 " in " ".join(i.value for i in at.info)
    rows = next(f for f in frames(at) if "Isi baris (disamarkan)" in f.columns)
    assert set(rows["Muatan"]) == {1} and len(rows) == 2
    assert rows["Isi baris (disamarkan)"].str.contains("NOMOR INDUK KEPENDUDUKAN").all()
    assert not rows["Isi baris (disamarkan)"].str.contains("NAMA LENGKAP|NOMOR HP").any()


# ---------------------------------------------------------------- on the demo, through app.py

@pytest.mark.parametrize("page", ["target", "sektor", "prioritas", "kualitas"])
def test_pages_render_on_the_demo_through_the_app(demo_db, monkeypatch, page):
    monkeypatch.setenv("CAKUPAN_DB", str(demo_db))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state["cakupan_user"] = auth.User("pimpinan", "Pimpinan", "pimpinan")
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title and at.dataframe


def test_target_headline_on_the_demo_equals_export_coverage(demo_db, monkeypatch):
    at = open_page(demo_db, monkeypatch, "target")
    assert not at.exception, at.exception
    con = db.connect_readonly(demo_db)
    try:
        latest = metrics.latest_month(con)
        kab = metrics.coverage_table(con, "kabupaten", as_of=latest).iloc[0]
        annual = metrics.targets_for(con, int(latest[:4]), "kabupaten")
    finally:
        con.close()
    annual = annual[annual["quarter"].isna() & annual["month"].isna()]
    cards = {m.label: m.value for m in at.metric}
    assert cards["Peserta aktif / target"] == \
        f"{dots(kab['active'])} / {dots(annual['target'].iloc[0])}"


def test_areas_with_partial_estimates_are_named_where_coverage_is_shown(analysis_db,
                                                                        monkeypatch):
    con = db.connect_readonly(analysis_db)
    try:
        partial = metrics.partial_estimates(metrics.coverage_table(con, "kecamatan"))
        sector = metrics.partial_estimates(
            metrics.coverage_table(con, "kabupaten", by_sector=True))
    finally:
        con.close()
    assert not partial.empty and not sector.empty  # the fixture lists only some desa
    first = partial.iloc[0]
    expected = f"{first['nama'].title()} ({first['estimate_desa']} dari {first['desa_total']} desa)"
    for page in ("ringkasan", "peta"):
        at = open_page(analysis_db, monkeypatch, page)
        assert not at.exception
        assert expected in " ".join(i.value for i in at.info), page
    at = open_page(analysis_db, monkeypatch, "sektor")
    assert not at.exception
    first = sector.iloc[0]
    assert f"{first['sektor_label']} ({first['estimate_desa']} dari" in " ".join(
        i.value for i in at.info)


def test_prioritas_names_the_estimate_year_when_it_is_not_the_years_own(demo_db, monkeypatch):
    """Prioritas shows coverage per desa, so it says whose year's estimate it divides by, as
    Ringkasan, Peta and Sektor do (and says nothing when the year has its own)."""
    con = db.connect_readonly(demo_db)
    try:
        month = metrics.default_month(con)
        note = metrics.estimate_year_note(metrics.coverage_table(con, "desa", as_of=month))
    finally:
        con.close()
    at = open_page(demo_db, monkeypatch, "prioritas")
    assert not at.exception, at.exception
    shown = [i.value for i in at.info]
    if note is None:
        assert not any("Perkiraan pekerja tahun" in s for s in shown), shown
    else:
        assert shown.count(note) == 1, shown
