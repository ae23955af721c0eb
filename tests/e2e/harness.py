"""Driving the real dashboard in headless Chromium: shared by the browser tests (tests/e2e) and
the page benchmark (bench/pages.py).

* ``Server``: ``streamlit run app.py`` on a free port of 127.0.0.1 against a given database, with
  its own config dir; started, health-checked (/_stcore/health) and stopped by its process id.
* ``browser()``: Debian's Chromium through Playwright (never ``playwright install``).
* ``offline_context()``: a browser context whose every request to a host other than the app's
  (127.0.0.1) is aborted, as on an office machine without internet, and recorded in
  ``context.outside``; the browser itself resolves no host name but the app's
  (``--host-resolver-rules``), so even requests Playwright does not see (favicons) stay inside.
  The tests' ``page`` fixture fails the test when ``context.outside`` is not empty.
* ``sign_in``, ``wait_rendered``, ``map_frame``: the few steps a user takes. ``wait_rendered``
  also records in ``context.outside`` every resource the rendered page and its frames reference
  on another host (``outside_references``), which catches what a route cannot see.
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

from playwright.sync_api import TimeoutError as PlaywrightTimeout

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage",
                 # No name resolves but the app's: the network is closed below Playwright too.
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"]
LOCAL_HOSTS = ("127.0.0.1", "localhost")
DEMO_PASSWORDS = {"rm": "rm-demo", "pimpinan": "pimpinan-demo", "admin": "admin-demo"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def worker_suffix() -> str:
    """'-gw0' under pytest-xdist worker gw0, else '': per-worker file names (logs)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return f"-{worker}" if worker else ""


class PortTaken(RuntimeError):
    """Another process bound the chosen port first."""


class Server:
    """`streamlit run app.py` against `db_path`; use as a context manager."""

    def __init__(self, db_path: Path, config_dir: Path, log_path: Path, port: int | None = None):
        self.db_path, self.config_dir, self.log_path = Path(db_path), config_dir, log_path
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60, attempts: int = 3) -> "Server":
        """Start and wait for /_stcore/health. A free port can be taken by another test worker
        between free_port() and streamlit's bind: then try again on a new port."""
        for attempt in range(attempts):
            try:
                return self._start(timeout)
            except PortTaken:
                if attempt == attempts - 1:
                    raise
                self.port = free_port()
                self.url = f"http://127.0.0.1:{self.port}"
        return self

    def _start(self, timeout: float) -> "Server":
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
                self._log.close()
                if f"Port {self.port} is already in use" in self.log_path.read_text(errors="replace"):
                    raise PortTaken(self.port)
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


def is_outside(url: str) -> bool:
    """A URL the browser would fetch from a host other than the app's (data:/blob:/about: and
    relative URLs are inside)."""
    parsed = urlparse(url.strip())
    if parsed.scheme in ("data", "blob", "about", "javascript", "chrome-error"):
        return False
    if not parsed.scheme and not url.strip().startswith("//"):
        return False                      # relative to the app
    return parsed.hostname not in LOCAL_HOSTS


def offline_context(b, width: int = 1600, height: int = 1300):
    """A context where only 127.0.0.1 is reachable; `context.outside` lists every URL on
    another host that a page of the context requested (aborted) or referenced."""
    context = b.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    context.outside = []
    context.blocked = context.outside     # the earlier name, still used by the benchmark

    def route(r):
        if is_outside(r.request.url):
            context.outside.append(r.request.url)
            r.abort()
        else:
            r.continue_()

    def watch(page):  # WebSockets do not pass through routes
        page.on("websocket", lambda ws: is_outside(ws.url) and context.outside.append(ws.url))

    context.route("**/*", route)
    context.on("page", watch)
    return context


# Resources the document and each frame load: elements that fetch (not <a href>, which only
# links), srcset candidates, and the Resource Timing entries of every fetch made.
_REFERENCES_JS = """() => {
    const urls = [];
    const push = (v) => { try { urls.push(new URL(v, document.baseURI).href); }
                          catch (e) { urls.push(v); } };   // unparsable: judged as written
    const fetching = 'img[src], img[srcset], source[src], source[srcset], script[src], '
        + 'iframe[src], embed[src], video[src], video[poster], audio[src], object[data], '
        + 'link[href]:not([rel~="alternate"]):not([rel~="canonical"]), image[href]';
    for (const el of document.querySelectorAll(fetching)) {
        for (const a of ['src', 'href', 'poster', 'data']) {
            const v = el.getAttribute(a);
            if (v) push(v);
        }
        const set = el.getAttribute('srcset');
        if (set) for (const c of set.split(',')) {
            const u = c.trim().split(/\\s+/)[0];
            if (u) push(u);
        }
    }
    for (const e of performance.getEntriesByType('resource')) urls.push(e.name);
    return urls;
}"""


def outside_references(page) -> list[str]:
    """URLs on other hosts that the page or any of its frames references or fetched."""
    found = []
    for frame in page.frames:
        try:
            urls = frame.evaluate(_REFERENCES_JS)
        except Exception:   # a frame navigating away or detached meanwhile
            continue
        found += [u for u in urls if is_outside(u)]
    return sorted(set(found))


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
    outside = getattr(page.context, "outside", None)
    if outside is not None:
        outside += [u for u in outside_references(page) if u not in outside]


def sign_in(page, base_url: str, username: str, password: str | None = None) -> None:
    """Sign in through the sidebar box (the demo accounts by default)."""
    page.goto(base_url)
    wait_rendered(page)
    # On a busy machine the app may still rerun (the first visitor after a start is sent
    # through app.py once) and redraw the sign-in box closed: open it until its field shows.
    field = page.get_by_label("Nama pengguna")
    for attempt in range(3):
        if not field.is_visible():
            page.get_by_text("Masuk (staf)").click()
        try:
            field.wait_for(state="visible", timeout=10_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            wait_rendered(page)
    field.fill(username)
    page.get_by_label("Kata sandi").fill(password or DEMO_PASSWORDS[username])
    page.get_by_role("button", name="Masuk", exact=True).click()
    # .first: while Streamlit reruns, the old and the new caption can both be on the page.
    # 60 s: the bcrypt check and the first run of a page share two cores with the browser and
    # the other test worker; 30 s timed out now and then on a loaded machine.
    page.get_by_text("Masuk sebagai").first.wait_for(timeout=60_000)
    wait_rendered(page)


def map_frame(page):
    """The streamlit-folium iframe of the page."""
    return page.frame_locator('iframe[title*="st_folium"]').first


def polygon_count(page) -> int:
    """Interactive SVG paths Leaflet drew in the map iframe (polygons and circles)."""
    return map_frame(page).locator("path.leaflet-interactive").count()


def folder_context(b, root: Path, width: int = 1600, height: int = 1300):
    """A context for a static site opened from disk (file://): every request outside `root`
    (another host, or another place on disk) is aborted and recorded in ``context.outside``.
    ``folder_outside(page, root)`` adds what the rendered page references outside it."""
    context = b.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    context.outside = []
    inside = Path(root).resolve().as_uri() + "/"

    def route(r):
        url = r.request.url
        if url.startswith(inside) or urlparse(url).scheme in ("data", "blob", "about"):
            r.continue_()
        else:
            context.outside.append(url)
            r.abort()

    context.route("**/*", route)
    return context


def folder_outside(page, root: Path) -> list[str]:
    """URLs the page or its frames reference or fetched that are not inside folder `root`."""
    inside = Path(root).resolve().as_uri() + "/"
    found = []
    for frame in page.frames:
        try:
            urls = frame.evaluate(_REFERENCES_JS)
        except Exception:
            continue
        found += [u for u in urls if not u.startswith(inside)
                  and urlparse(u).scheme not in ("data", "blob", "about")]
    return sorted(set(found))
