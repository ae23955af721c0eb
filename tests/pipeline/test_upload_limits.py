"""Uploads are measured before they are parsed: a zip bomb disguised as an XLSX (honest or lying
about its size), too many rows or columns are refused within seconds with a clear message, and
other sessions stay responsive meanwhile."""

from __future__ import annotations

import io
import struct
import threading
import time
import zipfile
import zlib

import pytest

from dashboard import uploads

ROW = (b'<row r="1"><c r="A1" t="inlineStr"><is><t>6311040707900001</t></is></c>'
       b'<c r="B1"><v>1</v></c></row>')


def _sheet_zip(sheet_members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        for name, data in sheet_members.items():
            z.writestr(name, data)
    return buf.getvalue()


def zip_bomb(uncompressed: int, declared: int | None = None) -> bytes:
    """A one-sheet XLSX-shaped zip whose sheet XML inflates to `uncompressed` bytes, built by
    repeating one independently compressed (full-flush) deflate block; `declared` is the size
    written in the headers (a liar declares little)."""
    chunk = ROW * ((1 << 20) // len(ROW) + 1)
    chunk = chunk[: (len(chunk) // len(ROW)) * len(ROW)]
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    repeats = uncompressed // len(chunk)
    data = block * repeats + comp.flush(zlib.Z_FINISH)
    size = len(chunk) * repeats
    crc = 0  # not computed: the check refuses the file before any CRC is compared
    declared = size if declared is None else declared
    name = b"xl/worksheets/sheet1.xml"
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data),
                        declared & 0xFFFFFFFF, len(name), 0) + name
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data),
                          declared & 0xFFFFFFFF, len(name), 0, 0, 0, 0, 0, 0) + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local) + len(data), 0)
    return local + data + central + end


@pytest.fixture(scope="module")
def bomb() -> bytes:
    content = zip_bomb(3 * 1024 ** 3)            # 3 GB of sheet XML ...
    assert len(content) < 12 * 1024 ** 2         # ... in about 10 MB
    return content


@pytest.mark.parametrize("lying", [False, True])
def test_zip_bomb_xlsx_is_refused_within_seconds(bomb, lying, tmp_path):
    content = bomb if not lying else zip_bomb(3 * 1024 ** 3, declared=10_000)
    start = time.perf_counter()
    with pytest.raises(uploads.TooLarge, match="zip bomb|baris"):
        uploads.load_upload("registrations", "pendaftaran.xlsx", content,
                            db_path=tmp_path / "x.duckdb")
    assert time.perf_counter() - start < 10
    assert not (tmp_path / "x.duckdb").exists()   # nothing was loaded, nothing created


def test_other_sessions_stay_responsive_while_a_bomb_is_refused(monkeypatch):
    monkeypatch.setenv("CAKUPAN_UPLOAD_MAX_MB", "2000")
    monkeypatch.setenv("CAKUPAN_UPLOAD_MAX_ROWS", str(10 ** 9))
    content = zip_bomb(3 * 1024 ** 3, declared=10_000)   # read up to the 2 GB limit
    outcome = []

    def upload():
        try:
            uploads.check_size("a.xlsx", content)
        except uploads.TooLarge as exc:
            outcome.append(str(exc))

    worker = threading.Thread(target=upload)
    gaps, last = [], time.perf_counter()
    worker.start()
    while worker.is_alive():
        time.sleep(0.01)                         # another session's work: tiny steps
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
    worker.join()
    assert outcome and "zip bomb" in outcome[0]
    assert len(gaps) > 20
    assert max(gaps) < 0.5, max(gaps)


def test_too_many_rows_or_columns_are_refused_before_parsing(monkeypatch):
    monkeypatch.setenv("CAKUPAN_UPLOAD_MAX_ROWS", "100")
    monkeypatch.setenv("CAKUPAN_UPLOAD_MAX_COLUMNS", "20")
    many_rows = _sheet_zip({"xl/worksheets/sheet1.xml": b"<worksheet>" + ROW * 200 + b"</worksheet>"})
    with pytest.raises(uploads.TooLarge, match="baris"):
        uploads.check_size("a.xlsx", many_rows)
    wide = _sheet_zip({"xl/worksheets/sheet1.xml":
                       b'<worksheet><dimension ref="A1:AZ3"/>' + ROW + b"</worksheet>"})
    with pytest.raises(uploads.TooLarge, match="kolom"):
        uploads.check_size("a.xlsx", wide)
    with pytest.raises(uploads.TooLarge, match="baris"):
        uploads.check_size("a.csv", b"a,b\n" + b"1,2\n" * 150)
    with pytest.raises(uploads.TooLarge, match="kolom"):
        uploads.check_size("a.csv", b",".join([b"k"] * 30) + b"\n1\n")
    # Within the limits: no objection.
    uploads.check_size("a.csv", b"a,b\n" + b"1,2\n" * 99)
    uploads.check_size("a.xlsx", _sheet_zip({"xl/worksheets/sheet1.xml": ROW * 50}))
    uploads.check_size("batas.geojson", b'{"type":"FeatureCollection","features":[' + b"1," * 500 + b"1]}")


def test_broken_zip_is_a_clear_refusal():
    with pytest.raises(uploads.TooLarge, match="rusak"):
        uploads.check_size("a.xlsx", b"PK\x03\x04" + b"\x00" * 100)
