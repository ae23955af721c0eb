"""The dashboard behind the real nginx with the shipped configuration (deploy/nginx): the app
works through it (websocket included), Streamlit's internal endpoints are refused, security
headers are on every answer, and the HTTPS site file is valid nginx. nginx runs as a child process
(no daemon, no master) on a free loopback port with a temporary config; skipped only when nginx
is not installed."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import harness
import pytest

DEPLOY = harness.REPO / "deploy" / "nginx"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
HEADERS = {"Content-Security-Policy": "frame-ancestors 'self'", "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "same-origin", "X-Frame-Options": "SAMEORIGIN"}


def _http_context_parts(app_port: int) -> str:
    """The map and upstream of the shipped site file, pointed at the test's Streamlit."""
    site = (DEPLOY / "cakupan.conf").read_text()
    mapping = re.search(r"map \$http_upgrade.*?\n}", site, re.S).group(0)
    upstream = re.search(r"upstream cakupan_app \{.*?\n}", site, re.S).group(0)
    return mapping + "\n" + upstream.replace("127.0.0.1:8501", f"127.0.0.1:{app_port}")


def _main_config(tmp: Path, body: str) -> Path:
    temp = "\n".join(f"    {kind}_temp_path {tmp / kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf = tmp / "nginx.conf"
    conf.write_text(f"""daemon off;
master_process off;
worker_processes 1;
pid {tmp / 'nginx.pid'};
error_log {tmp / 'error.log'} warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log {tmp / 'access.log'};
{temp}
{body}
}}
""")
    return conf


@pytest.fixture(scope="module")
def proxy(server, tmp_path_factory):
    if NGINX is None:
        pytest.skip("nginx is not installed (apt-get install nginx)")
    tmp = tmp_path_factory.mktemp("nginx")
    port = harness.free_port()
    conf = _main_config(tmp, _http_context_parts(server.port) + f"""
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        include {DEPLOY / 'cakupan-proxy.conf'};
    }}""")
    log = open(tmp / "stderr.log", "w")
    proc = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(conf)], stdout=log,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start: {(tmp / 'stderr.log').read_text()}"
                                       f"{(tmp / 'error.log').read_text() if (tmp / 'error.log').exists() else ''}")
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_internal_endpoints_are_refused_by_the_proxy(proxy, server):
    for path in ("/_stcore/metrics", "/_stcore/script-health-check", "/_stcore/agent/mcp",
                 "/_stcore/anything"):
        status, headers, _ = _get(proxy + path)
        assert status == 404, path
        for name, value in HEADERS.items():
            assert headers.get(name) == value, (path, name)
    # Streamlit itself would have answered: it is the proxy that holds them back.
    assert _get(server.url + "/_stcore/metrics")[0] == 200
    status, _, body = _get(proxy + "/_stcore/health")
    assert status == 200 and body.strip() == b"ok"
    assert _get(proxy + "/_stcore/host-config")[0] == 200


def test_every_page_answer_carries_the_security_headers(proxy):
    status, headers, body = _get(proxy + "/")
    assert status == 200 and b"<html" in body.lower()
    for name, value in HEADERS.items():
        assert headers.get(name) == value, name
    assert "nginx/" not in headers.get("Server", "")


def test_the_dashboard_works_through_the_proxy(proxy, chromium):
    context = harness.offline_context(chromium)
    page = context.new_page()
    page.set_default_timeout(30_000)
    harness.sign_in(page, proxy, "pimpinan")          # websocket, forms, the cookie component
    page.goto(f"{proxy}/ringkasan")
    harness.wait_rendered(page)
    assert page.get_by_text("Masuk sebagai").count() >= 1   # the cookie restored the session
    assert page.locator('[data-testid="stException"]').count() == 0
    context.close()


def test_the_https_site_file_is_valid_nginx(tmp_path):
    if NGINX is None:
        pytest.skip("nginx is not installed")
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed: cannot make a test certificate")
    crt, key = tmp_path / "test.crt", tmp_path / "test.key"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(crt)],
                   check=True, capture_output=True, timeout=60)
    site = (DEPLOY / "cakupan.conf").read_text()
    site = (site.replace("/etc/ssl/certs/cakupan.crt", str(crt))
                .replace("/etc/ssl/private/cakupan.key", str(key))
                .replace("snippets/cakupan-proxy.conf", str(DEPLOY / "cakupan-proxy.conf"))
                .replace("listen 80;", f"listen 127.0.0.1:{harness.free_port()};")
                .replace("listen [::]:80;", "")
                .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{harness.free_port()} ssl http2;")
                .replace("listen [::]:443 ssl http2;", ""))
    conf = _main_config(tmp_path, site)
    out = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(conf)],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert "Strict-Transport-Security" in site
