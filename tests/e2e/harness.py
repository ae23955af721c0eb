"""Driving the real dashboard in headless Chromium: shared by the browser tests (tests/e2e) and
the page benchmark (bench/pages.py).

* ``Server``: ``streamlit run app.py`` on a free port of 127.0.0.1 against a given database, with
  its own config dir; started, health-checked (/_stcore/health) and stopped by its process id.
* ``browser()``: Debian's Chromium through Playwright (never ``playwright install``).
* ``offline_context()``: a browser context whose every request to a host other than 127.0.0.1
  is aborted, as on an office machine without internet; aborted URLs are recorded.
* ``sign_in``, ``wait_rendered``, ``map_frame``: the few steps a user takes.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]
DEMO_PASSWORDS = {"rm": "rm-demo", "pimpinan": "pimpinan-demo", "admin": "admin-demo"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`streamlit run app.py` against `db_path`; use as a context manager."""

    def __init__(self, db_path: Path, config_dir: Path, log_path: Path, port: int | None = None):
        self.db_path, self.config_dir, self.log_path = Path(db_path), config_dir, log_path
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> "Server":
        env = dict(os.environ, CAKUPAN_DB=str(self.db_path),
                   CAKUPAN_CONFIG_DIR=str(self.config_dir),
                   CAKUPAN_SECRET_KEY=os.environ.get("CAKUPAN_SECRET_KEY", "e2e-key-not-secret"))
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true",
             "--server.address=127.0.0.1", f"--server.port={self.port}",
             "--browser.gatherUsageStats=false", "--server.fileWatcherType=none"],
            cwd=REPO, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited early; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"streamlit did not answer within {timeout}s; see {self.log_path}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if getattr(self, "_log", None):
            self._log.close()

    def __enter__(self) -> "Server":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@contextmanager
def browser():
    """Headless Debian Chromium through Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def offline_context(b, width: int = 1600, height: int = 1300):
    """A context where only 127.0.0.1 is reachable; `context.blocked` lists aborted URLs."""
    context = b.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    context.blocked = []

    def route(r):
        host = urlparse(r.request.url).hostname
        if host in ("127.0.0.1", "localhost") or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            context.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return context


def wait_rendered(page, timeout: float = 30_000) -> None:
    """Until the script finished its run and no element is still loading."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            const state = app && app.getAttribute('data-test-script-state');
            return state === 'notRunning'
                && !document.querySelector('[data-testid="stSkeleton"]');
        }""", timeout=timeout)


def sign_in(page, base_url: str, username: str, password: str | None = None) -> None:
    """Sign in through the sidebar box (the demo accounts by default)."""
    page.goto(base_url)
    wait_rendered(page)
    page.get_by_text("Masuk (staf)").click()
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password or DEMO_PASSWORDS[username])
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.get_by_text("Masuk sebagai").wait_for(timeout=30_000)
    wait_rendered(page)


def map_frame(page):
    """The streamlit-folium iframe of the page."""
    return page.frame_locator('iframe[title*="st_folium"]').first


def polygon_count(page) -> int:
    """Interactive SVG paths Leaflet drew in the map iframe (polygons and circles)."""
    return map_frame(page).locator("path.leaflet-interactive").count()
