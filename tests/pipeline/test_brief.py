"""The PDF planning brief: rendered to PNG (pdftoppm) and read back as text (pdftotext).

Checks what a meeting relies on: the headline figures equal the metrics, the map is drawn, the
target status, priority desa and under-reached sectors are there, the data date is printed, the
brief is one or two pages, and no NIK or name from the database is in it. Page images are kept in
test-output/brief/ for a person to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from etl import db, metrics
from tests.support.helpers import REPO
from tests.support.privacy import personal_strings

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None or
                                shutil.which("pdftotext") is None,
                                reason="poppler-utils (pdftoppm, pdftotext) not installed")
OUT = REPO / "test-output" / "brief"


def _fmt(n) -> str:
    return f"{int(n):,}".replace(",", ".")


def _render(pdf: bytes, name: str, tmp_path):
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(OUT / name)], check=True)
    pages = sorted(OUT.glob(f"{name}-*.png"))
    return text, pages


@pytest.fixture
def con(demo_db):
    c = db.connect_readonly(demo_db)
    yield c
    c.close()


def test_kabupaten_brief(con, tmp_path, demo_db):
    from dashboard import brief

    pdf = brief.build_pdf(con)
    assert pdf.startswith(b"%PDF")
    text, pages = _render(pdf, "kabupaten", tmp_path)
    assert 1 <= len(pages) <= 2
    kab = metrics.coverage_table(con, "kabupaten").iloc[0]
    flat = re.sub(r"\s+", " ", text)
    assert "Kabupaten Balangan" in flat
    for figure in (kab["active"], kab["estimated_workers"], kab["gap"]):
        assert _fmt(figure) in flat, figure
    assert "Status target" in flat
    assert "Desa prioritas" in flat and "Sektor yang tertinggal" in flat
    day = metrics.data_date(con).data_date
    assert f"data per {int(day[8:10])} " in flat
    # The top priority desa (largest gap) is listed.
    desa = metrics.coverage_table(con, "desa").sort_values("gap", ascending=False)
    assert str(desa["nama"].iloc[0]).title() in flat
    # Every kecamatan is named (map labels and the table).
    for name in metrics.coverage_table(con, "kecamatan")["nama"]:
        assert str(name).title() in flat
    # The map is an image in the PDF, and the page image is not blank.
    assert b"/Subtype /Image" in pdf
    from PIL import Image

    image = Image.open(pages[0]).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20)
    assert len(colours) > 50
    _no_personal_data(pdf, text, demo_db)


def test_kecamatan_brief(con, tmp_path, demo_db):
    from dashboard import brief

    code = "63.11.04"
    pdf = brief.build_pdf(con, kecamatan=code)
    text, pages = _render(pdf, "kecamatan", tmp_path)
    assert 1 <= len(pages) <= 2
    row = metrics.coverage_table(con, "kecamatan").set_index("kode").loc[code]
    flat = re.sub(r"\s+", " ", text)
    assert f"Kecamatan {str(row['nama']).title()}" in flat
    assert _fmt(row["active"]) in flat and _fmt(row["estimated_workers"]) in flat
    for name in metrics.coverage_table(con, "desa", kecamatan=code)["nama"]:
        assert str(name).title() in flat
    _no_personal_data(pdf, text, demo_db)


def test_unknown_kecamatan_is_refused(con):
    from dashboard import brief

    with pytest.raises(ValueError, match="tidak dikenal"):
        brief.build_pdf(con, kecamatan="63.11.99")


def _no_personal_data(pdf: bytes, text: str, path) -> None:
    strings = personal_strings(path)
    digits = re.sub(r"\D", "", text)
    leaks = [s for s in strings if (s.isdigit() and s in digits)
             or (not s.isdigit() and s.lower() in text.lower())]
    assert not leaks, leaks[:5]


def test_rm_brief_holds_only_the_rms_area(con, tmp_path, demo_db):
    from dashboard import auth, brief, brief_download, targets

    areas = targets.rm_areas(con)
    rm_id = sorted(areas["rm_id"])[0]
    codes = set(areas.loc[areas["rm_id"] == rm_id, "desa_code"])
    # Whatever the page's filter says, an RM's download is the brief of the RM's area.
    rm = auth.User("rm", "RM", "rm", rm_id)
    assert brief_download.scope_for(rm, kecamatan="63.11.01") == {"kecamatan": None,
                                                                  "rm_id": rm_id}
    assert brief_download.scope_for(auth.User("p", "P", "pimpinan"), "63.11.01")["rm_id"] is None

    g = brief.gather(con, rm_id=rm_id)
    assert set(g["priority"]["kode"]) <= codes and len(g["priority"])
    assert set(g["desa"]["kode"]) == codes
    assert g["active"] == metrics.coverage_table(con, "desa").set_index("kode").loc[
        sorted(codes), "active"].sum()
    pdf = brief.build_pdf(con, rm_id=rm_id)
    text, pages = _render(pdf, "rm", tmp_path)
    assert 1 <= len(pages) <= 2
    flat = re.sub(r"\s+", " ", text)
    assert f"Wilayah {rm_id}" in flat
    assert _fmt(g["active"]) in flat
    desa = metrics.coverage_table(con, "desa")
    inside = {str(n).title() for n in desa.loc[desa["kode"].isin(codes), "nama"]}
    kecamatan = {str(n).title() for n in metrics.coverage_table(con, "kecamatan")["nama"]}
    outside = {str(n).title() for n in desa.loc[~desa["kode"].isin(codes), "nama"]}
    leaked = [n for n in outside - inside - kecamatan if re.search(rf"\b{re.escape(n)}\b", flat)]
    assert leaked == []
    _no_personal_data(pdf, text, demo_db)
