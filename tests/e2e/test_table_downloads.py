"""Internal tables download as CSV and XLSX in a real browser: aggregate tables at once, the data
officer's person-level tables of Kualitas data after "Siapkan unduhan" (the whole table, logged)."""

from __future__ import annotations

import io
import time
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


def test_kualitas_person_rows_download_after_they_are_prepared(page, server, demo_db, shot):
    # The masked quarantine rows, all of them (not the page shown), made on request; the
    # download goes to the access log with the rows of the file.
    import csv

    from dashboard import quality
    from etl import db

    con = db.connect_readonly(demo_db)
    try:
        whole = quality.quarantine_rows(con)
    finally:
        con.close()
    harness.sign_in(page, server.url, "admin")
    page.goto(f"{server.url}/kualitas")
    harness.wait_rendered(page)
    page.get_by_text(f"Baris 1–{min(len(whole), quality.PAGE_ROWS)} dari {len(whole)}").first \
        .wait_for()
    assert page.locator(".st-key-kualitas_rows_csv").count() == 0
    page.locator(".st-key-kualitas_rows_prepare button").click()
    csv_button = page.locator(".st-key-kualitas_rows_csv button")
    csv_button.wait_for(timeout=60_000)
    harness.wait_rendered(page)
    page.locator(".st-key-kualitas_rows_csv").scroll_into_view_if_needed()
    shot(page, "kualitas_prepared_downloads")
    with page.expect_download() as info:
        csv_button.click()
    assert info.value.suggested_filename == "karantina_tersamar.csv"
    with open(info.value.path(), encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(whole)
    assert [r["Isi baris (disamarkan)"] for r in rows] == list(whole["Isi baris (disamarkan)"])
    harness.wait_rendered(page)
    with page.expect_download() as info:
        page.locator(".st-key-kualitas_rows_xlsx button").click()
    with zipfile.ZipFile(io.BytesIO(open(info.value.path(), "rb").read())) as z:
        assert "xl/worksheets/sheet1.xml" in z.namelist()
    expected = [("admin", "karantina_tersamar.csv", str(len(whole))),
                ("admin", "karantina_tersamar.xlsx", str(len(whole)))]
    deadline = time.monotonic() + 20     # the click's callback runs in the rerun it starts
    while True:
        log = (server.config_dir / "access.log").read_text(encoding="utf-8").splitlines()
        downloads = [line.split("\t") for line in log if "\tunduh\t" in line]
        if [(d[1], d[5], d[6]) for d in downloads[-2:]] == expected or \
                time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert [(d[1], d[5], d[6]) for d in downloads[-2:]] == expected
