"""Security as a browser sees it: the first visitor after a start gets the same menu as later
ones; a cookie copied before "Keluar" opens nothing afterwards; forged cookies mean signed out,
never a traceback."""

from __future__ import annotations

import base64
import json
import time

import harness


def _menu(page) -> list[str]:
    """The menu entries shown (a visitor with one page gets no menu at all)."""
    nav = page.locator('[data-testid="stSidebarNav"]')
    if not nav.count():
        return []
    return sorted(t.strip() for t in nav.locator("a").all_inner_texts() if t.strip())


def test_first_visitor_after_a_start_sees_the_real_menu(demo_db, chromium, tmp_path):
    with harness.Server(demo_db, tmp_path / "config", tmp_path / "streamlit.log") as srv:
        menus = []
        for _ in range(2):
            context = harness.offline_context(chromium)
            page = context.new_page()
            page.goto(f"{srv.url}/publik")
            harness.wait_rendered(page)
            page.get_by_text("Transparansi").first.wait_for()
            time.sleep(0.5)
            harness.wait_rendered(page)
            menus.append(_menu(page))
            context.close()
    assert menus[0] == menus[1]
    assert not {"admin pengguna", "admin unggah", "kualitas", "app"} & {m.lower() for m in menus[0]}


def _cookie(context) -> dict:
    return next(c for c in context.cookies() if c["name"] == "cakupan_sesi")


def _signed_in(chromium, server, cookie: dict) -> bool:
    context = harness.offline_context(chromium)
    context.add_cookies([{k: cookie[k] for k in ("name", "value", "domain", "path")}])
    page = context.new_page()
    page.goto(f"{server.url}/kualitas")
    harness.wait_rendered(page)
    time.sleep(1)
    harness.wait_rendered(page)
    text = page.inner_text("body")
    assert page.locator('[data-testid="stException"]').count() == 0
    context.close()
    return "Masuk sebagai" in text


def test_copied_cookie_is_worthless_after_sign_out(chromium, server):
    context = harness.offline_context(chromium)
    page = context.new_page()
    harness.sign_in(page, server.url, "admin")
    time.sleep(1)  # the cookie component writes the cookie after the run
    copied = _cookie(context)
    assert _signed_in(chromium, server, copied)          # a copy works while the session lives
    page.get_by_role("button", name="Keluar").click()
    page.get_by_text("Masuk (staf)").wait_for()
    time.sleep(0.5)
    context.close()
    assert not _signed_in(chromium, server, copied)


def test_forged_cookies_mean_signed_out_without_a_traceback(chromium, server):
    def b64(d: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(d).encode()).decode().rstrip("=")

    far = int(time.time()) + 3600
    host = server.url.split("//")[1].split(":")[0]
    for value in (b64({"alg": "none", "typ": "JWT"}) + "." + b64({"username": "admin",
                                                                   "exp_date": far}) + ".",
                  b64({"alg": "HS512", "typ": "JWT"}) + "." + b64({"sid": "x", "exp": far})
                  + ".c2lnbmF0dXJl",
                  "sampah"):
        context = harness.offline_context(chromium)
        context.add_cookies([{"name": "cakupan_sesi", "value": value, "domain": host,
                              "path": "/"}])
        page = context.new_page()
        page.goto(f"{server.url}/kualitas")
        harness.wait_rendered(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        body = page.inner_text("body")
        assert "Traceback" not in body and "Masuk sebagai" not in body
        assert "Masuk (staf)" in body
        context.close()
