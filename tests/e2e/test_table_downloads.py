"""Internal tables download as CSV and XLSX in a real browser (the files are made on click)."""

from __future__ import annotations

import io
import zipfile

import harness


def test_peta_table_downloads_as_csv_and_xlsx(page, server):
    harness.sign_in(page, server.url, "pimpinan")
    page.goto(f"{server.url}/peta")
    harness.wait_rendered(page)
    page.get_by_role("button", name="Unduh CSV").first.wait_for()
    with page.expect_download() as info:
        page.get_by_role("button", name="Unduh CSV").first.click()
    csv_bytes = open(info.value.path(), "rb").read()
    header = csv_bytes.decode("utf-8").splitlines()[0]
    assert "Nama" in header or "nama" in header
    lines = csv_bytes.decode("utf-8").splitlines()
    # header + 8 kecamatan, and "wilayah tidak diketahui" when some members have no desa
    assert len(lines) in (9, 10)
    assert len(lines) == 9 or lines[-1].startswith("Wilayah Tidak Diketahui,")
    with page.expect_download() as info:
        page.get_by_role("button", name="Unduh XLSX").first.click()
    with zipfile.ZipFile(io.BytesIO(open(info.value.path(), "rb").read())) as z:
        assert "xl/worksheets/sheet1.xml" in z.namelist()
