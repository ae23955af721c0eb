"""Browser tests: a real `streamlit run app.py` on the demo database, driven by headless Chromium
with the network closed (only 127.0.0.1 answers). Marked `browser`; skipped cleanly when
/usr/bin/chromium or Playwright is missing. Screenshots go to test-output/screenshots/."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402

SCREENSHOTS = harness.REPO / "test-output" / "screenshots"


def pytest_collection_modifyitems(items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def server(demo_db, tmp_path_factory):
    if not harness.CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api")
    config = tmp_path_factory.mktemp("e2e-config")
    srv = harness.Server(demo_db, config, harness.REPO / "test-output" / "streamlit-e2e.log")
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def chromium(server):
    with harness.browser() as b:
        yield b


@pytest.fixture
def page(chromium):
    context = harness.offline_context(chromium)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


@pytest.fixture
def shot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
