"""The guard of every browser test: a page that asks another host for anything is caught, both
the request (aborted and recorded) and the reference in its DOM (favicons, which Playwright's
routes do not see, and frames). No server needed: the pages are set by hand."""

from __future__ import annotations

import harness


def test_outside_requests_and_references_are_recorded(chromium):
    context = harness.offline_context(chromium)
    try:
        page = context.new_page()
        page.set_content(
            '<link rel="icon" href="https://fonts.gstatic.com/s/i/x/24px.svg">'
            '<img src="https://tile.openstreetmap.org/1/1/1.png">'
            '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
            '<a href="https://bpjsketenagakerjaan.go.id/">a link is not a request</a>'
            '<iframe srcdoc="<script src=&quot;https://cdn.jsdelivr.net/x.js&quot;></script>">'
            '</iframe>')
        page.wait_for_timeout(300)
        assert "https://tile.openstreetmap.org/1/1/1.png" in context.outside   # aborted request
        referenced = harness.outside_references(page)
        assert "https://fonts.gstatic.com/s/i/x/24px.svg" in referenced
        assert "https://cdn.jsdelivr.net/x.js" in referenced
        assert not [u for u in referenced if "bpjsketenagakerjaan" in u or u.startswith("data:")]
    finally:
        context.close()


def test_what_counts_as_outside():
    assert harness.is_outside("https://fonts.gstatic.com/a.svg")
    assert harness.is_outside("//cdn.jsdelivr.net/x.js")
    assert harness.is_outside("wss://example.org/socket")
    assert harness.is_outside("http://10.0.0.5:8501/")          # another machine on the LAN
    assert not harness.is_outside("http://127.0.0.1:8501/app/static/vendor/leaflet.js")
    assert not harness.is_outside("ws://localhost:8501/_stcore/stream")
    assert not harness.is_outside("/app/static/vendor/x.css")
    assert not harness.is_outside("data:image/svg+xml;base64,AAAA")
