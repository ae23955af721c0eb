"""The one-page share image (PNG) and its PDF twin: the page's headline figures, the map with
suppressed desa hatched, the trend; pdftotext reads the same figures as the page shows."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from PIL import Image

from dashboard import public, public_text, share_image
from dashboard.charts import COVERAGE_BREAKS
from dashboard.layout import fmt_date, fmt_month
from etl import db
from tests.support.privacy import personal_strings, variants

THRESHOLD = 20


@pytest.fixture(scope="module")
def made(demo_db):
    con = db.connect_readonly(demo_db)
    try:
        data = public.build(con, THRESHOLD)
        layers = share_image.layers_of(con)
    finally:
        con.close()
    return data, share_image.png_bytes(data, layers), share_image.pdf_bytes(data, layers)


def pdf_text(pdf: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "bagikan.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_pdf_carries_the_pages_figures(made, tmp_path):
    data, _, pdf = made
    text = pdf_text(pdf, tmp_path)
    assert data.place in text
    assert fmt_date(data.data_date) in text and fmt_month(data.as_of) in text
    for card in public_text.headline_cards(data):
        assert card.label in text
        assert card.value in text
        if card.note:
            assert card.note in text
    assert "disamarkan" in text
    assert f"di bawah {THRESHOLD} orang" in text
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 1, "one page"


def test_png_is_a_portrait_share_image_with_the_map_drawn(made):
    data, png, _ = made
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (1080, 1350)
    colours = {c for _, c in image.getcolors(maxcolors=2_000_000)}
    classes = {tuple(int(col.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
               for _, col, _ in COVERAGE_BREAKS}
    assert colours & classes, "desa drawn in coverage classes"
    assert (140, 140, 140) in colours, "suppressed desa hatched"


def test_nothing_personal_in_the_image_or_pdf(made, demo_db, tmp_path):
    _, png, pdf = made
    text = pdf_text(pdf, tmp_path).encode("utf-8")
    strings = personal_strings(demo_db)
    leaks = [s for s in strings for form in variants(s) if form in text or form in pdf
             or form in png]
    assert not leaks, leaks[:10]
