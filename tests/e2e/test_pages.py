"""Every page of the registry in a real browser with the network closed: it renders, shows no
error box, and the map draws kecamatan polygons and, after a click, the desa polygons of that
kecamatan. Screenshots: test-output/screenshots/<role>_<page>.png (look at them)."""

from __future__ import annotations

import re

import pytest

import harness
from dashboard import registry
from etl import gazetteer

ROLES = ("publik", "pimpinan", "rm", "admin")


def open_as(page, server, role: str) -> None:
    if role == "publik":
        page.goto(server.url)
        harness.wait_rendered(page)
    else:
        harness.sign_in(page, server.url, role)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_role_renders_without_error(page, server, shot, role):
    pages = registry.visible_pages(role)
    if not pages:
        pytest.skip(f"no page for role {role} exists yet")
    open_as(page, server, role)
    for spec in pages:
        page.goto(f"{server.url}/{spec.key}")
        harness.wait_rendered(page)
        page.get_by_role("heading").first.wait_for()
        shot(page, f"{role}_{spec.key}")
        errors = page.locator('[data-testid="stException"]')
        assert errors.count() == 0, f"{spec.key}: {errors.first.inner_text()[:500]}"
        assert page.get_by_text("tidak memiliki akses").count() == 0, spec.key
        assert page.get_by_text("python -m etl demo").count() == 0, spec.key
    assert not [u for u in page.context.blocked if "/app/static/" in u]


def test_a_role_cannot_open_a_page_it_may_not_see_by_url(page, server):
    open_as(page, server, "rm")
    hidden = [s for s in registry.PAGES if s.exists and "rm" not in s.roles]
    if not hidden:
        pytest.skip("no page hidden from rm exists yet")
    page.goto(f"{server.url}/{hidden[0].key}")
    harness.wait_rendered(page)
    # The address answers with a "sign in with an account that has access" stand-in; the page's
    # own script never runs for this role.
    page.get_by_text("hanya untuk staf yang berwenang").wait_for()
    assert page.locator('[data-testid="stDataFrame"], [data-testid="stMetric"]').count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0


def test_map_draws_kecamatan_then_desa_polygons_offline(page, server, shot):
    harness.sign_in(page, server.url, "pimpinan")
    page.goto(f"{server.url}/peta")
    harness.wait_rendered(page)
    # The demo always has Balangan's boundaries (bundled in the repository): no map is a failure.
    assert page.get_by_text("Batas wilayah belum dimuat").count() == 0
    kecamatan = gazetteer.kecamatan_list("63.11")
    paths = harness.map_frame(page).locator("path.leaflet-interactive")
    paths.first.wait_for(timeout=30_000)
    assert paths.count() == len(kecamatan)
    shot(page, "peta_kabupaten")

    # Click one kecamatan polygon: the app reruns on the click only and opens its desa.
    paths.nth(0).dispatch_event("click")
    page.get_by_role("button", name=re.compile("Kembali ke peta kabupaten")).wait_for()
    harness.wait_rendered(page)
    caption = page.locator('[data-testid="stCaptionContainer"]', has_text="per desa").first
    name = re.search(r"Kecamatan (.+?) ·", caption.inner_text()).group(1)
    code = next(k.code for k in kecamatan if k.name.title() == name)
    desa = gazetteer.desa_list("63.11", code)
    frame_paths = harness.map_frame(page).locator("path.leaflet-interactive")
    page.wait_for_function("n => true", arg=None)
    frame_paths.first.wait_for()
    for _ in range(50):
        if frame_paths.count() == len(desa):
            break
        page.wait_for_timeout(200)
    assert frame_paths.count() == len(desa)
    # Clicking a desa shows its figures under the map.
    frame_paths.nth(0).dispatch_event("click")
    page.get_by_text("aktif dari perkiraan").wait_for()
    harness.wait_rendered(page)
    shot(page, f"peta_desa_{code}")

    page.get_by_role("button", name=re.compile("Kembali ke peta kabupaten")).click()
    page.get_by_text("Klik sebuah kecamatan").wait_for()
    harness.wait_rendered(page)
    assert not [u for u in page.context.blocked if "/app/static/" in u]

    # A new browser session (reload) draws the map again: maps are never shared objects.
    page.reload()
    harness.wait_rendered(page)
    harness.map_frame(page).locator("path.leaflet-interactive").first.wait_for()
    assert harness.polygon_count(page) == len(kecamatan)
