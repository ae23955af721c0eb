"""An RM's Ringkasan, Peta cakupan and Sektor (AppTest through app.py on the demo database):
every table and every download holds only places of the RM's area, the figures equal
etl.metrics computed with the area's desa list, captions name the area, the sidebar offers only
the area's kecamatan, and an RM account without an area sees a warning and no data."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth
from etl import db, gazetteer, metrics
from tests.support.helpers import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def area(demo_db):
    """The first RM of the demo, their desa, and the figures metrics gives for exactly them."""
    con = db.connect_readonly(demo_db)
    try:
        rows = con.execute("SELECT rm_id, desa_code FROM core.rm_areas ORDER BY 1, 2").fetchall()
        rm_id = rows[0][0]
        codes = sorted({d for r, d in rows if r == rm_id})
        others = {d for r, d in rows if r != rm_id} - set(codes)
        month = metrics.default_month(con)
        out = {
            "rm_id": rm_id, "codes": codes, "month": month,
            "kab": metrics.coverage_table(con, "kabupaten", as_of=month,
                                          desa_codes=codes).iloc[0],
            "whole": metrics.coverage_table(con, "kabupaten", as_of=month).iloc[0],
            "desa": metrics.coverage_table(con, "desa", as_of=month, desa_codes=codes),
            "other_desa": metrics.coverage_table(con, "desa", as_of=month,
                                                 desa_codes=sorted(others)),
            "sectors": metrics.coverage_table(con, "kabupaten", by_sector=True, as_of=month,
                                              desa_codes=codes),
            "heat": metrics.coverage_table(con, "kecamatan", by_sector=True, as_of=month,
                                           desa_codes=codes),
            "target": next((int(t.target) for t in metrics.targets_for(
                con, int(month[:4]), "rm").itertuples()
                if t.code == rm_id and pd.isna(t.quarter) and pd.isna(t.month)), None),
        }
        kab = gazetteer.kecamatan_list(metrics.kabupaten_code(con))
    finally:
        con.close()
    out["kecamatan"] = {k.code: k.name.title() for k in kab
                        if any(c.startswith(k.code + ".") for c in codes)}
    assert out["kab"]["active"] > 0 and len(out["kecamatan"]) < len(kab)
    assert out["kab"]["active"] < out["whole"]["active"]  # the area is not the kabupaten
    return out


def open_as_rm(db_file, monkeypatch, page: str, rm_id: str | None) -> AppTest:
    monkeypatch.setenv("CAKUPAN_DB", str(db_file))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state["cakupan_user"] = auth.User("rm", "RM Demo", "rm", rm_id)
    at.run()
    at.switch_page(f"pages/{page}.py")
    return at.run()


def csv_downloads(at: AppTest, files: dict[str, bytes]) -> list[pd.DataFrame]:
    """Every CSV the page offers, read back (the XLSX twins hold the same frame)."""
    out = []
    for button in at.get("download_button"):
        if button.proto.label == "Unduh CSV":
            blob = files[Path(button.proto.url).stem]
            out.append(pd.read_csv(io.BytesIO(blob), sep=None, engine="python",
                                   dtype={"Kode wilayah": str}))
    return out


def page_text(at: AppTest) -> str:
    return " ".join(str(x.value) for x in [*at.caption, *at.title, *at.markdown,
                                             *at.subheader])


def number(text: str) -> int:
    return int(str(text).replace(".", ""))


def desa_names(table: pd.DataFrame) -> list[str]:
    return sorted(table["nama"].str.title())


def check_common(at: AppTest, area) -> None:
    assert not at.exception, at.exception
    captions = " ".join(c.value for c in at.caption)
    assert f"Wilayah {area['rm_id']}" in captions
    assert "Kabupaten Balangan" not in captions
    offered = at.selectbox(key="flt_kecamatan").options
    assert set(offered) - {"Semua kecamatan"} == set(area["kecamatan"].values())


def test_rm_ringkasan_is_their_area(demo_db, monkeypatch, captured_downloads, area):
    at = open_as_rm(demo_db, monkeypatch, "ringkasan", area["rm_id"])
    check_common(at, area)
    cards = {m.label: m.value for m in at.metric}
    assert cards["Pekerja terlindungi (aktif)"] == f"{area['kab']['active']:,}".replace(",", ".")
    assert cards["Perkiraan pekerja rentan"] == f"{area['kab']['estimated_workers']:,}".replace(
        ",", ".")
    assert area["target"] is not None, "the demo has RM targets"
    assert cards[f"Target {area['month'][:4]}"] == f"{area['target']:,}".replace(",", ".")
    [table] = [d.value for d in at.dataframe]
    [download] = csv_downloads(at, captured_downloads)
    for shown in (table, download):
        assert sorted(shown["Nama"]) == desa_names(area["desa"])
        assert shown["Peserta aktif"].sum() == area["kab"]["active"]
    others = set(desa_names(area["other_desa"])) - set(desa_names(area["desa"]))
    assert not others & set(table["Nama"])


def test_rm_peta_shows_the_desa_of_their_area_only(demo_db, monkeypatch, captured_downloads,
                                                   area):
    at = open_as_rm(demo_db, monkeypatch, "peta", area["rm_id"])
    check_common(at, area)
    [download] = csv_downloads(at, captured_downloads)
    assert sorted(download["Kode wilayah"]) == area["codes"]
    assert download["Peserta aktif"].sum() == area["kab"]["active"]
    assert download["Estimasi pekerja"].sum() == area["kab"]["estimated_workers"]
    [table] = [d.value for d in at.dataframe]
    assert sorted(table["Nama"]) == desa_names(area["desa"])
    maps = [c for c in at.get("component_instance")
            if "cookie_manager" not in c.proto.component_name]
    if maps:  # the demo's bundled boundaries: the map draws the area's desa, no other place
        args = maps[0].proto.json_args
        assert all(code in args for code in area["codes"])
        assert not any(f'"{code}"' in args for code in area["other_desa"]["kode"]
                       if code not in area["codes"])
    # Choosing one kecamatan of the area narrows to its desa of the area.
    kec = next(iter(area["kecamatan"]))
    at.selectbox(key="peta_kec").select(kec).run()
    assert not at.exception, at.exception
    [download] = csv_downloads(at, captured_downloads)
    assert sorted(download["Kode wilayah"]) == [c for c in area["codes"]
                                                if c.startswith(kec + ".")]


def test_rm_sektor_is_their_area(demo_db, monkeypatch, captured_downloads, area):
    at = open_as_rm(demo_db, monkeypatch, "sektor", area["rm_id"])
    check_common(at, area)
    assert "cakupan wilayah RM" in page_text(at)
    sector_csv, heat_csv = csv_downloads(at, captured_downloads)
    assert sector_csv["Peserta aktif"].sum() == area["sectors"]["active"].sum()
    assert (sector_csv.set_index("Sektor")["Peserta aktif"].sort_index().tolist()
            == area["sectors"].set_index("sektor_label")["active"].sort_index().tolist())
    assert set(heat_csv["Kecamatan"].str.title()) == set(area["kecamatan"].values())
    assert heat_csv["Peserta aktif"].sum() == area["heat"]["active"].sum() == area["kab"]["active"]


@pytest.mark.parametrize("rm_id", [None, "RM-99"])
def test_an_rm_without_an_area_sees_nothing(demo_db, monkeypatch, rm_id):
    # The page file itself (app.py would replace a User that is no account with the account).
    monkeypatch.setenv("CAKUPAN_DB", str(demo_db))
    for page in ("ringkasan", "peta", "sektor"):
        at = AppTest.from_file(str(REPO / "pages" / f"{page}.py"), default_timeout=120)
        at.session_state["cakupan_user"] = auth.User("rm_baru", "RM Baru", "rm", rm_id)
        at.run()
        assert not at.exception, (page, at.exception)
        assert any("belum dikaitkan" in w.value for w in at.warning), page
        assert not at.dataframe and not at.metric and not at.get("download_button"), page


def test_a_kecamatan_outside_the_area_kept_in_the_session_is_not_shown(demo_db, monkeypatch,
                                                                       captured_downloads, area):
    """A kecamatan chosen before (another role's choice, or an area that changed) never opens
    outside the RM's area: the pages fall back to the whole area."""
    con = db.connect_readonly(demo_db)
    try:
        outside = next(k.code for k in gazetteer.kecamatan_list(metrics.kabupaten_code(con))
                       if k.code not in area["kecamatan"])
    finally:
        con.close()
    monkeypatch.setenv("CAKUPAN_DB", str(demo_db))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state["cakupan_user"] = auth.User("rm", "RM Demo", "rm", area["rm_id"])
    at.session_state["flt_kecamatan"] = outside
    at.run()
    at.switch_page("pages/peta.py")
    at.run()
    assert not at.exception, at.exception
    [download] = csv_downloads(at, captured_downloads)
    assert sorted(download["Kode wilayah"]) == area["codes"]
