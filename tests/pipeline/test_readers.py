"""Reading files as offices make them (etl/readers.py): what is beyond the first MiB, zips that
are not one CSV, UTF-16 without its BOM, files that are not text at all. The corpus test
(test_export_corpus.py) covers one small file per way; these are the cases a small file cannot
show."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from etl.loaders import load_file
from etl.readers import InputError
from tests.support.helpers import FORM_HEADERS, nik, row, run_cli
from tests.support.loader_kit import quarantine, query


def _big_form(extra_last_row: list[str], encoding: str = "utf-8", size: int = 1_200_000) -> bytes:
    """A form export of more than 1 MiB whose last row is `extra_last_row`."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(FORM_HEADERS)
    n = 0
    while buf.tell() < size:
        n += 1
        w.writerow(row(nik_=nik(serial=n % 9000 + 1, kec="04")))
    w.writerow(extra_last_row)
    return buf.getvalue().encode(encoding, errors="strict")


def test_a_nul_beyond_the_first_mib_quarantines_its_row_only(tmp_path, db_path):
    data = _big_form(row(name="Rahm\x00at", nik_=nik(serial=9999)))
    src = tmp_path / "form.csv"
    src.write_bytes(data)
    s = load_file("registrations", src, db_path=db_path)
    assert s.reasons == {"control_character": 1}
    (row_number, reason, detail, original), = quarantine(db_path)
    assert row_number == s.rows_read and detail.startswith("NAMA LENGKAP")
    assert "U+0000" in detail
    assert query(db_path, "SELECT count(*) FROM private.persons WHERE contains(full_name, "
                          "chr(0))") == [(0,)]


def test_a_windows_1252_letter_beyond_the_first_mib_is_read_as_windows_1252(tmp_path, db_path):
    data = _big_form(row(name="Ma\u2019ruf", nik_=nik(serial=9999)), encoding="cp1252")
    src = tmp_path / "form.csv"
    src.write_bytes(data)
    s = load_file("registrations", src, db_path=db_path)
    assert s.extra["encoding"] == "cp1252 (terdeteksi)"
    assert ("Ma\u2019ruf",) in query(db_path, "SELECT full_name FROM private.persons")


def test_utf8_mixed_with_another_encoding_is_refused_not_garbled(tmp_path, db_path):
    data = _big_form(row(name="Nur\u2019aini", nik_=nik(serial=9998)))
    data += ",".join(row(name="Ma\x92ruf", nik_=nik(serial=9999))).encode("latin-1") + b"\r\n"
    src = tmp_path / "form.csv"
    src.write_bytes(data)
    with pytest.raises(InputError, match="mencampur teks UTF-8"):
        load_file("registrations", src, db_path=db_path)


def _form_bytes() -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows([FORM_HEADERS, row()])
    return buf.getvalue().encode()


@pytest.mark.parametrize("members, expected", [
    (["a.csv", "b.csv"], "a.csv, b.csv"),
    (["readme.pdf"], "tidak ada"),
])
def test_a_zip_must_hold_exactly_one_csv(tmp_path, db_path, members, expected):
    src = tmp_path / "responses.zip"
    with zipfile.ZipFile(src, "w") as zf:
        for name in members:
            zf.writestr(name, _form_bytes())
    result = run_cli("--db", str(db_path), "load", "registrations", str(src))
    assert result.returncode == 2
    assert "tepat satu berkas CSV" in result.stderr and expected in result.stderr
    assert not db_path.exists()


def test_utf16_without_bom_names_the_option_that_works(tmp_path, db_path):
    src = tmp_path / "unicode.txt"
    text = "\t".join(FORM_HEADERS) + "\r\n" + "\t".join(row()) + "\r\n"
    src.write_bytes(text.encode("utf-16-le"))
    with pytest.raises(InputError, match="--encoding utf-16-le"):
        load_file("registrations", src, db_path=db_path)
    s = load_file("registrations", src, db_path=db_path, encoding="utf-16-le")
    assert (s.accepted, s.extra["delimiter"]) == (1, "tab")


@pytest.mark.parametrize("content, expected", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "bukan CSV"),
    (b"\x00\x01\x02\x03" * 400, "bukan CSV"),
])
def test_files_that_are_not_text_are_refused(tmp_path, db_path, content, expected):
    src = tmp_path / "x.csv"
    src.write_bytes(content)
    with pytest.raises(InputError, match=expected):
        load_file("registrations", src, db_path=db_path)


def test_an_unknown_encoding_option_is_refused_plainly(tmp_path, db_path):
    src = tmp_path / "form.csv"
    src.write_bytes(_form_bytes())
    with pytest.raises(InputError, match="tidak dikenal"):
        load_file("registrations", src, db_path=db_path, encoding="klingon")


def _zipped(path, text: bytes):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Lindungi Prens (Jawaban).csv", text)
    return path


def test_a_zip_that_inflates_beyond_the_limit_is_refused_and_nothing_is_loaded(
        tmp_path, db_path, monkeypatch):
    """A zip bomb given to the CLI: the extraction is counted as it inflates and stops at the
    limit (here lowered to 1 MiB), before the disk fills; the database is not touched."""
    import tempfile

    import etl.readers as readers

    monkeypatch.setattr(readers, "UNZIP_FLOOR", 1 << 20)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    # The same answer a hundred thousand times: about 15 MB that deflate a thousand-fold.
    header, answer = _form_bytes().split(b"\n", 1)
    bomb = _zipped(tmp_path / "responses.zip", header + b"\n" + answer * 100_000)
    assert bomb.stat().st_size * readers.UNZIP_MAX_RATIO < 15_000_000
    with pytest.raises(InputError, match="zip bomb"):
        load_file("registrations", bomb, db_path=db_path)
    assert not db_path.exists()
    assert not list(scratch.iterdir())  # what was extracted is gone


def test_a_zipped_export_within_the_limit_loads(tmp_path, db_path, monkeypatch):
    import etl.readers as readers

    monkeypatch.setattr(readers, "UNZIP_FLOOR", 1 << 20)
    rows = [row(nik_=nik(serial=n + 1, kec="04")) for n in range(2000)]
    buf = io.StringIO()
    csv.writer(buf).writerows([FORM_HEADERS, *rows])
    src = _zipped(tmp_path / "responses.zip", buf.getvalue().encode())
    s = load_file("registrations", src, db_path=db_path)
    assert s.rows_read == 2000 and s.extra["zip_member"] == "Lindungi Prens (Jawaban).csv"


def test_a_zip_cut_short_is_refused_as_damaged(tmp_path, db_path):
    rows = [row(nik_=nik(serial=n + 1, kec="04")) for n in range(3000)]
    buf = io.StringIO()
    csv.writer(buf).writerows([FORM_HEADERS, *rows])
    whole = _zipped(tmp_path / "whole.zip", buf.getvalue().encode()).read_bytes()
    # Damage the compressed data inside, keeping the zip's directory readable.
    start = whole.index(b"Jawaban).csv") + len(b"Jawaban).csv") + 200
    broken = tmp_path / "broken.zip"
    broken.write_bytes(whole[:start] + bytes(b ^ 0x5A for b in whole[start:start + 400])
                       + whole[start + 400:])
    with pytest.raises(InputError, match="rusak"):
        load_file("registrations", broken, db_path=db_path)
    assert not db_path.exists()


def test_a_workbook_whose_sheets_inflate_beyond_the_limit_is_refused(tmp_path, db_path,
                                                                     monkeypatch):
    """An XLSX is a zip too: a sheet of 15 MB of XML deflated a thousand-fold (a zip bomb dressed
    as a workbook) is counted before the Excel reader holds it in memory."""
    import etl.readers as readers

    monkeypatch.setattr(readers, "UNZIP_FLOOR", 1 << 20)
    bomb = tmp_path / "pendaftaran.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml",
                    "<worksheet><sheetData>" + "<row><c><v>1</v></c></row>" * 600_000
                    + "</sheetData></worksheet>")
    with pytest.raises(InputError, match="zip bomb"):
        load_file("registrations", bomb, db_path=db_path)
    assert not db_path.exists()
