"""The planning loop in a real browser: pimpinan opens a meeting on Rapat and records a decision
for desa Hamarung, next month's membership export is loaded from the command line while the
dashboard runs, and after a reload the same decision shows its measured gain (+8, against its
comparison places) and its status. The database is the hand-checkable one of
tests/support/decisions_kit.py, with a real installation's account (no demo accounts)."""

from __future__ import annotations

import harness

from etl import users
from tests.support.decisions_kit import next_month_members
from tests.support.helpers import run_cli

PASSWORD = "rapat-uji-2025"


def _choose(page, label: str, text: str) -> None:
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    box.click()
    page.keyboard.type(text)
    page.get_by_role("option").filter(has_text=text).first.click()


def test_a_decision_recorded_in_the_browser_shows_its_gain_after_the_next_load(
        chromium, decisions_db, isolated_config, tmp_path, shot):
    users.add_user("pimpinan", PASSWORD, "pimpinan", name="Kepala Dinas")
    log = harness.REPO / "test-output" / f"streamlit-rapat{harness.worker_suffix()}.log"
    with harness.Server(decisions_db, isolated_config, log) as srv:
        context = harness.offline_context(chromium)
        page = context.new_page()
        page.set_default_timeout(30_000)
        harness.sign_in(page, srv.url, "pimpinan", PASSWORD)
        page.goto(f"{srv.url}/rapat")
        harness.wait_rendered(page)
        page.get_by_text("Belum ada rapat").wait_for()
        page.get_by_label("Catatan").fill("Rapat koordinasi November")
        page.get_by_role("button", name="Buka rapat").click()
        page.get_by_text("Catat keputusan").first.wait_for()
        harness.wait_rendered(page)
        _choose(page, "Wilayah", "Hamarung")
        page.get_by_label("Tambahan peserta aktif yang diharapkan").fill("5")
        page.get_by_role("button", name="Catat keputusan").click()
        page.get_by_text("Keputusan #1 tercatat").wait_for()
        harness.wait_rendered(page)
        page.get_by_text("Keputusan rapat ini (1)").wait_for()
        assert page.get_by_text("aktif 10 → 10").count() == 1   # nothing happened yet
        shot(page, "rapat-recorded")

        # Next month's data arrives while the dashboard runs.
        export = next_month_members(decisions_db, tmp_path / "peserta_2025-11-30.csv")
        loaded = run_cli("--db", str(decisions_db), "load", "members", str(export),
                         "--date", "2025-11-30")
        assert loaded.returncode == 0, loaded.stderr

        page.reload()
        harness.wait_rendered(page)
        page.get_by_text("Keputusan rapat ini (1)").wait_for()
        line = page.locator('[data-testid="stMarkdownContainer"]').filter(
            has_text="#1 Desa Hamarung").first
        text = line.inner_text()
        assert "aktif 10 → 18" in text and "+8" in text
        assert "pembanding 0,2" in text and "bersih 7,8" in text and "tercapai" in text
        shot(page, "rapat-measured")
        assert page.locator('[data-testid="stException"]').count() == 0
        outside = list(context.outside)
        context.close()
    assert not outside, outside
