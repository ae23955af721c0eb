"""Browser tests: a real `streamlit run app.py` on the demo database, driven by headless Chromium
with the network closed (only 127.0.0.1 answers). A test FAILS when any page it opened requested
or referenced a host other than the app's. Marked `browser`; skipped cleanly when
/usr/bin/chromium or Playwright is missing, unless CAKUPAN_REQUIRE_BROWSER=1 (CI), where a
missing browser fails. Each pytest-xdist worker runs its own server on a free port.
Screenshots go to test-output/screenshots/."""

from __future__ import annotations

import os
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
    required = os.environ.get("CAKUPAN_REQUIRE_BROWSER") == "1"
    if not harness.CHROMIUM.exists():
        message = "/usr/bin/chromium is not installed (apt-get install chromium)"
        if required:
            pytest.fail(message)
        pytest.skip(message)
    if required:
        import playwright.sync_api  # noqa: F401  (an ImportError fails the test)
    pytest.importorskip("playwright.sync_api")
    config = tmp_path_factory.mktemp("e2e-config")
    log = harness.REPO / "test-output" / f"streamlit-e2e{harness.worker_suffix()}.log"
    srv = harness.Server(demo_db, config, log)
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser_process():
    """Headless Chromium alone (one per worker: Playwright's sync API allows one at a time);
    for pages that need no app server, such as the published static site."""
    if not harness.CHROMIUM.exists():
        message = "/usr/bin/chromium is not installed (apt-get install chromium)"
        if os.environ.get("CAKUPAN_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    pytest.importorskip("playwright.sync_api")
    with harness.browser() as b:
        yield b


@pytest.fixture(scope="session")
def chromium(server, browser_process):
    return browser_process


@pytest.fixture
def page(chromium):
    context = harness.offline_context(chromium)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()
    if context.outside:
        pytest.fail("the browser asked hosts other than the app's (offline these fail): "
                    + ", ".join(sorted(set(context.outside))[:10]), pytrace=False)


@pytest.fixture
def shot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
