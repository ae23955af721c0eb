"""The published static site in headless Chromium, opened from disk (file://) with every request
outside its folder refused: it shows the public page's figures, draws the kecamatan, drills into
desa with suppressed desa hatched as 'disamarkan', and fits a phone's screen."""

from __future__ import annotations

import harness
import pytest

from dashboard import public, public_text
from etl import db
from tests.support.helpers import run_cli

THRESHOLD = 20


@pytest.fixture(scope="module")
def site(demo_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("situs-browser") / "publik"
    result = run_cli("--db", str(demo_db), "publish", str(out),
                     env={"CAKUPAN_SMALL_CELL_THRESHOLD": str(THRESHOLD)})
    assert result.returncode == 0, result.stderr
    con = db.connect_readonly(demo_db)
    try:
        data = public.build(con, THRESHOLD)
    finally:
        con.close()
    return out, data


@pytest.mark.parametrize("viewport", [(390, 844), (1600, 1000)], ids=["telepon", "desktop"])
def test_site_opens_offline_from_disk(site, browser_process, viewport, shot):
    root, data = site
    context = harness.folder_context(browser_process, root, *viewport)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto((root / "index.html").as_uri())
        page.wait_for_selector("path.leaflet-interactive")
        text = page.inner_text("body")
        for card in public_text.headline_cards(data):
            assert card.label in text and card.value in text
        assert "disamarkan" in page.inner_text("#legenda")
        assert "Data per" in text
        # Every kecamatan row but the total; "wilayah tidak diketahui" has no polygon.
        kecamatan = data.tables["kecamatan"].values.iloc[:-1]
        kecamatan = kecamatan[kecamatan["kode"] != public.UNKNOWN_CODE]
        assert page.locator("path.leaflet-interactive").count() == len(kecamatan)

        # Drill into the kecamatan with the most suppressed desa.
        desa = data.tables["desa"]
        hidden = desa.values.loc[desa.hidden["peserta_aktif"], "kecamatan_kode"].value_counts()
        code = hidden.index[0]
        index = list(kecamatan["kode"]).index(code)
        page.locator("path.leaflet-interactive").nth(index).dispatch_event("click")
        page.wait_for_selector('#peta[data-level="desa"]')
        n_desa = int((desa.values["kecamatan_kode"] == code).sum())
        assert page.locator("path.leaflet-interactive").count() == n_desa
        assert page.locator("path.disamarkan").count() == int(hidden.iloc[0])
        fill = page.locator("path.disamarkan").first.evaluate("p => getComputedStyle(p).fill")
        assert "cakupan-samar" in fill, "suppressed desa are hatched, not coloured as a value"
        assert page.locator("#tabel-desa tbody tr:visible").count() == n_desa
        shot(page, f"situs_{viewport[0]}")
        page.get_by_role("button", name="Semua kecamatan").click()
        page.wait_for_selector('#peta[data-level="kecamatan"]')

        if viewport[0] < 500:   # the phone layout: nothing wider than the screen
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport[0], width
        context.outside += harness.folder_outside(page, root)
    finally:
        context.close()
    assert not context.outside, context.outside[:10]
