"""The public page in a real browser, logged out: its HTML source and the files its download
buttons give contain no NIK, KK, name or phone number from the database."""

from __future__ import annotations

import io
import zipfile

import harness

from tests.support.privacy import personal_strings


def _leaks(blob: bytes, strings: set[str]) -> list[str]:
    text = blob.decode("utf-8", "replace")
    lower = text.lower()
    return [s for s in strings if s in text or s.lower() in lower]


def test_public_html_and_downloads_hold_no_personal_data(page, server, shot):
    page.goto(server.url)
    harness.wait_rendered(page)
    page.get_by_text("Transparansi perlindungan").first.wait_for()
    page.get_by_text("Pekerja terlindungi").first.wait_for()   # the cards, drawn after the title
    harness.wait_rendered(page)
    assert page.get_by_text("Masuk (staf)").count() == 1, "staff sign-in entry is offered"
    strings = personal_strings(server.db_path)
    assert len(strings) > 100
    html = page.content().encode()
    assert b"Pekerja terlindungi" in html
    assert not _leaks(html, strings)

    page.get_by_role("tab", name="Unduh data").click()
    files = {}
    for label in ("Unduh CSV", "Unduh XLSX (dengan kamus data)", "Unduh kamus data (CSV)"):
        with page.expect_download() as info:
            page.get_by_role("button", name=label).click()
        path = info.value.path()
        files[label] = open(path, "rb").read()
    shot(page, "publik_unduh")
    assert files["Unduh CSV"].startswith(b"tabel,kode,nama")
    with zipfile.ZipFile(io.BytesIO(files["Unduh XLSX (dengan kamus data)"])) as z:
        xlsx = b"\n".join(z.read(n) for n in z.namelist())
    for blob in (files["Unduh CSV"], xlsx, files["Unduh kamus data (CSV)"]):
        assert not _leaks(blob, strings)
