"""The PDF brief downloads from the Ringkasan page in a real browser (generated on click)."""

from __future__ import annotations

import harness


def test_pimpinan_downloads_the_brief_from_ringkasan(page, server):
    harness.sign_in(page, server.url, "pimpinan")
    page.goto(f"{server.url}/ringkasan")
    harness.wait_rendered(page)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Unduh ringkasan PDF").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"
