"""Reading an input file (CSV or Excel) as a DuckDB staging relation of text, untouched.

A CSV becomes a view that streams the file wherever a loader uses it; an Excel sheet (read with
python-calamine) becomes a temporary table.

Every column is read as text (an NIK is never a number), every row keeps its data-row number
(``_row``, 1-based, header excluded), and Excel number cells are remembered per row
(``_number_cells``: the headers whose cell was a number), because a 16-digit NIK in a number cell
has already lost its last digit and must be rejected, not trusted.

What is detected, so that a file loads as the office made it (README: "Files Cakupan reads"):
- the container: CSV, Excel (xlsx/xlsm/xls/ods), or a .zip holding one CSV (Google Forms'
  "Download responses (.csv)");
- the encoding of a CSV: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode Text"),
  and single-byte Windows-1252/Latin-1 (charset-normalizer confirms the guess; when it is not
  certain the file is refused with the --encoding options that would read it). Anything that is
  not UTF-8 is transcoded to a temporary UTF-8 file with Python's codecs, because DuckDB reads
  only UTF-8, UTF-16 and Latin-1 (its "latin-1" is not Windows-1252: ’ – € are lost);
- the delimiter: comma, semicolon (Excel under Indonesian regional settings), tab or pipe;
- the header row: title or blank rows above it are skipped (the caller's header_hint scores a
  row by the required columns it names) and the report says which row it was;
- in Excel: hidden sheets are ignored when choosing the sheet, merged cells in the data are read
  as the value a person sees in every cell of the merge.

Bad files raise InputError with a message for the data officer, before anything is written.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import shutil
import tempfile
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import duckdb
import pandas as pd

from .db import put_frame

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
# The header is looked for in this many rows at the top of a file (title rows above it).
HEADER_SEARCH_ROWS = 20
# Bytes read to recognise the encoding and the delimiter.
HEAD_BYTES = 1 << 20
DELIMITERS = (",", ";", "\t", "|")
# The single-byte encodings an office's machine writes (Windows "ANSI" in Indonesia is
# Windows-1252; old Mac Excel wrote Mac Roman, "MS-DOS CSV" cp850): charset-normalizer chooses
# among these only, so that one accented letter is not read as Latvian or Czech.
_SINGLE_BYTE = ["cp1252", "latin_1", "mac_roman", "cp850"]
_WESTERN = {"cp1252", "latin_1"}
# Magic numbers of files that are certainly not text.
_UTF8_LETTER = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|"
                          rb"[\xf0-\xf4][\x80-\xbf]{3}")
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf",
                 b"GIF8", b"\xd0\xcf\x11\xe0")


class InputError(ValueError):
    """A file that cannot be loaded as it is; the message says what to do."""


@dataclass
class RawTable:
    table: str               # staging table name: _row, one VARCHAR column per header, _number_cells
    headers: list[str]       # header texts as in the file, in order
    columns: list[str]       # the staging column name of each header (c0, c1, ...)
    rows: int
    sheet: str | None = None
    is_view: bool = False    # CSV: a view over the table {table}_lines; Excel: a table
    details: dict = field(default_factory=dict)  # what was detected, for the load report
    header_offset: int = 0   # CSV: rows above the header (title rows) plus the header itself - 1
    # What a scan of a CSV's bytes found (None: not scanned, check every row): whether any
    # control character other than tab, CR, LF is in the file, and its longest line in bytes.
    # Most files have none and short lines, and their rows need no per-cell check.
    control_chars: bool | None = None
    longest_line: int | None = None

    def exclude(self, con: duckdb.DuckDBPyConnection, rows_table: str) -> None:
        """Leave out of the staging relation the rows (_row) listed in `rows_table`."""
        if self.is_view:
            at = self.header_offset
            con.execute(f"""CREATE OR REPLACE TEMP VIEW {self.table} AS
                SELECT (rowid - {at})::INTEGER AS _row, *, NULL::VARCHAR AS _number_cells
                FROM {self.table}_lines WHERE rowid > {at}
                  AND (rowid - {at})::INTEGER NOT IN (SELECT _row FROM {rows_table})""")
        else:
            con.execute(f"DELETE FROM {self.table} WHERE _row IN (SELECT _row FROM {rows_table})")

    def drop(self, con: duckdb.DuckDBPyConnection) -> None:
        """Free what read_into created (a CSV of millions of rows is held in memory)."""
        if self.is_view:
            con.execute(f"DROP VIEW {self.table}")
            con.execute(f"DROP TABLE {self.table}_lines")
        else:
            con.execute(f"DROP TABLE {self.table}")


HeaderHint = Callable[[list[str]], tuple[int, int]]


def read_into(con: duckdb.DuckDBPyConnection, path: str | Path, table: str,
              sheet: str | None = None, encoding: str | None = None,
              header_hint: HeaderHint | None = None) -> RawTable:
    """Read a CSV, Excel or zipped CSV file into `table` (replaced) on `con`.

    header_hint(headers) scores a candidate header row as (required columns found, required
    columns in all): the first row that finds them all is the header; without one, the best."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"Berkas tidak ditemukan: {path}")
    if path.stat().st_size == 0:
        raise InputError(f"Berkas {path.name} kosong (0 byte).")
    with tempfile.TemporaryDirectory(prefix="cakupan-read-") as tmp:
        kind, inner, details = _unwrap(path, Path(tmp))
        if kind == "excel":
            raw = _read_excel(con, inner, table, sheet, header_hint)
        else:
            raw = _read_csv(con, inner, table, encoding, header_hint, path.name, Path(tmp))
    raw.details = {**details, **raw.details}
    if raw.rows == 0:
        raise InputError(f"Berkas {path.name} hanya berisi judul kolom, tanpa baris data.")
    return raw


def _unwrap(path: Path, tmp: Path) -> tuple[str, Path, dict]:
    """("excel" | "csv", the file to read, details). A zip that is not an Excel workbook must
    hold exactly one CSV (Google Forms' download): it is extracted into `tmp`."""
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic != b"PK\x03\x04":
        return ("excel" if path.suffix.lower() in EXCEL_SUFFIXES else "csv"), path, {}
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise InputError(f"Berkas {path.name} rusak (zip/Excel yang tidak lengkap).") from None
    with zf:
        names = zf.namelist()
        if "[Content_Types].xml" in names or "mimetype" in names or \
                any(n.startswith("xl/") for n in names):
            _check_workbook(zf, path)
            return "excel", path, {}
        data = [i for i in zf.infolist() if not i.is_dir() and not i.filename.startswith(
            "__MACOSX") and i.filename.lower().endswith(TEXT_SUFFIXES)]
        if len(data) != 1:
            found = ", ".join(i.filename for i in data) or "tidak ada"
            raise InputError(
                f"Berkas zip {path.name} harus berisi tepat satu berkas CSV (seperti unduhan "
                f"Google Forms); isinya: {found}. Ekstrak satu CSV lalu muat berkas itu.")
        member = data[0]
        out = tmp / Path(member.filename).name
        _extract_counted(zf, member, out, path)
    if out.stat().st_size == 0:
        raise InputError(f"Berkas {member.filename} di dalam {path.name} kosong.")
    return "csv", out, {"zip_member": member.filename}


# A zipped CSV may inflate to this many times the zip's size (exported form answers compress 5
# to 15 times), and to at least UNZIP_FLOOR bytes: beyond both it is taken for a zip bomb. The
# dashboard's uploads have their own, tighter limits (dashboard/uploads.py); this guards the CLI.
UNZIP_MAX_RATIO = 200
UNZIP_FLOOR = 1 << 30
# Space left free on the disk of the temporary folder while extracting.
UNZIP_KEEP_FREE = 256 << 20


def _extract_counted(zf: zipfile.ZipFile, member: zipfile.ZipInfo, out: Path, path: Path) -> None:
    """Extract `member` to `out`, counting what it really inflates to (never trusting the size
    the zip declares) and stopping before it passes the limits above or fills the disk."""
    free = shutil.disk_usage(out.parent).free - UNZIP_KEEP_FREE
    with out.open("wb") as dst:
        for chunk in _inflated(zf, [member], path):
            if dst.tell() + len(chunk) > free:
                raise InputError(
                    f"Ruang disk tidak cukup untuk membuka {member.filename} dari {path.name} "
                    f"(sisa {_mib(max(free, 0))} di {out.parent}). Tidak ada yang dimuat.")
            dst.write(chunk)


def _check_workbook(zf: zipfile.ZipFile, path: Path) -> None:
    """An XLSX is a zip too: its sheets' XML, inflated and counted as a zipped CSV is, must stay
    within the same limits before the Excel reader (which holds a sheet in memory) opens it."""
    for _ in _inflated(zf, [m for m in zf.infolist() if not m.is_dir()], path):
        pass


def _inflated(zf: zipfile.ZipFile, members: list[zipfile.ZipInfo], path: Path):
    """The members' bytes as they inflate, 1 MiB at a time, refusing (InputError) once all of
    them together pass max(UNZIP_FLOOR, UNZIP_MAX_RATIO x the zip's size), or when the zip is
    damaged (a size or checksum that does not match what inflates)."""
    limit = max(UNZIP_FLOOR, UNZIP_MAX_RATIO * path.stat().st_size)
    total = 0
    try:
        for member in members:
            with zf.open(member) as src:
                while chunk := src.read(1 << 20):
                    total += len(chunk)
                    if total > limit:
                        raise InputError(
                            f"Isi {member.filename} di dalam {path.name} lebih dari "
                            f"{UNZIP_MAX_RATIO} kali ukuran berkasnya ({_mib(limit)} dan terus "
                            "bertambah): kemungkinan 'zip bomb'. Tidak ada yang dimuat; buka dan "
                            "simpan ulang berkasnya sendiri bila memang benar.")
                    yield chunk
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise InputError(f"Berkas zip {path.name} rusak: {exc}. Tidak ada yang dimuat.") from None


def _mib(n: int) -> str:
    from .formats import fmt_int

    return f"{fmt_int(n / (1 << 20))} MB"


def _check_not_binary(name: str, head: bytes) -> None:
    """Refuse what is certainly not text. A stray NUL or control character in a text file is
    not a reason to refuse it: its row is quarantined (etl.row_checks)."""
    if head.startswith(_BINARY_MAGIC):
        raise InputError(f"Berkas {name} bukan CSV (berkas biner: PDF, gambar, arsip atau Excel "
                         "lama). Unggah ekspor CSV atau XLSX dari formulir.")
    nuls = head.count(0)
    if nuls > len(head) // 10:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if max(even, odd) > 0.9 * nuls and max(even, odd) > len(head) // 4:
            option = "utf-16-le" if odd > even else "utf-16-be"
            raise InputError(
                f"Berkas {name} tampaknya UTF-16 tanpa penanda (BOM). Muat dengan --encoding "
                f"{option}, atau simpan ulang sebagai 'CSV UTF-8'.")
    if nuls > len(head) // 100:
        raise InputError(f"Berkas {name} bukan CSV (berisi data biner). Unggah ekspor CSV "
                         "atau XLSX dari formulir.")


def _to_utf8(path: Path, encoding: str | None, name: str, tmp: Path,
             whole: bool = False) -> tuple[Path, str]:
    """The file as UTF-8 (itself, or a transcoded copy in `tmp`) and the encoding read."""
    with path.open("rb") as fh:
        head = fh.read() if whole else fh.read(HEAD_BYTES)
    if encoding:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise InputError(f"Pengodean '{encoding}' tidak dikenal (mis. utf-8, cp1252, "
                             "latin-1, utf-16).") from None
        if codec == "utf-8":
            _check_not_binary(name, head)
            _check_utf8(name, head, complete=whole)
            return path, "utf-8 (--encoding)"
        return _transcode(path, codec, name, tmp), f"{codec} (--encoding)"
    if head.startswith(codecs.BOM_UTF8):
        return path, "utf-8 (BOM)"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _transcode(path, "utf-16", name, tmp), "utf-16 (BOM)"
    _check_not_binary(name, head)
    try:
        _check_utf8(name, head, complete=whole)
        return path, "utf-8"
    except InputError as exc:
        not_utf8 = exc
    # UTF-8 letters (’ as E2 80 99) beside bytes that are not UTF-8: two encodings in one file
    # (rows pasted from another file). Reading it as Windows-1252 would turn the UTF-8 letters
    # into "â€™" without a word, so it is refused.
    if _UTF8_LETTER.search(head):
        raise InputError(
            f"{not_utf8} Berkas ini mencampur teks UTF-8 dengan pengodean lain (baris yang "
            "ditempel dari berkas lain?). Buka di Google Sheets atau Excel, simpan ulang sebagai "
            "'CSV UTF-8', lalu muat lagi.") from None
    codec = _single_byte_encoding(name, head)
    return _transcode(path, codec, name, tmp), f"{codec} (terdeteksi)"


def _check_utf8(name: str, head: bytes, complete: bool) -> None:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A cut in the middle of a multi-byte character at the end of the head is fine.
        if complete or exc.start < len(head) - 4:
            raise InputError(f"Berkas {name} bukan UTF-8 (byte {exc.start}).") from None


def _single_byte_encoding(name: str, head: bytes) -> str:
    """Windows-1252 when it reads the bytes and charset-normalizer agrees (its best guess is
    Windows-1252 or Latin-1, which reads 0xA0-0xFF alike, or another that gives the same text);
    else refuse, naming each option with the letters it would make of the file."""
    from charset_normalizer import from_bytes

    try:
        as_cp1252 = head.decode("cp1252")
    except UnicodeDecodeError:
        as_cp1252 = None
    results = from_bytes(head, cp_isolation=_SINGLE_BYTE)
    best = results.best()
    if as_cp1252 is not None and (best is None or best.encoding in _WESTERN
                                  or str(best) == as_cp1252):
        return "cp1252"
    # A decoding with C1 control characters (U+0080-U+009F: Latin-1 reading Windows or DOS
    # letters) is no option: no office types those.
    options = [(enc, text) for enc, text in
               ([("cp1252", as_cp1252)] if as_cp1252 is not None else [])
               + [(m.encoding, str(m)) for m in list(results)[:4] if m.encoding != "cp1252"]
               if not re.search("[\x80-\x9f]", text)][:3]
    if not options:
        raise InputError(f"Berkas {name} bukan teks yang bisa dibaca (bukan UTF-8, UTF-16 atau "
                         "Windows-1252). Simpan ulang sebagai 'CSV UTF-8'.")
    shown = "; ".join(f"--encoding {enc} membaca huruf non-ASCII sebagai "
                      f"'{_non_ascii(text)}'" for enc, text in options)
    raise InputError(
        f"Berkas {name} bukan UTF-8 dan pengodeannya tidak pasti: {shown}. Pilih opsi yang "
        "hurufnya benar, atau simpan ulang sebagai 'CSV UTF-8' (Excel: Simpan Sebagai > CSV "
        "UTF-8).")


def _non_ascii(text: str) -> str:
    """The distinct non-ASCII characters of a decoding (never a word of the file: the message
    is shown and the file holds names)."""
    seen = []
    for ch in text:
        if ord(ch) > 127 and ch not in seen:
            seen.append(ch)
            if len(seen) == 12:
                break
    return " ".join(seen)


def _transcode(path: Path, codec: str, name: str, tmp: Path) -> Path:
    out = tmp / "transcoded.csv"
    try:
        with path.open("r", encoding=codec, newline="") as src, \
                out.open("w", encoding="utf-8", newline="") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"Berkas {name} tidak terbaca sebagai {codec} (byte {exc.start} dari bagian yang "
            f"sedang dibaca: {exc.object[exc.start:exc.start + 1]!r}). Coba --encoding latin-1 "
            "atau simpan ulang sebagai 'CSV UTF-8'.") from None
    return out


def _delimiter(path: Path) -> str:
    """Comma, semicolon, tab or pipe: the one that splits most of the first rows into the same
    number (above one) of fields. Title rows above the header have one field and do not vote."""
    with path.open("r", encoding="utf-8", errors="replace", newline="") as fh:
        sample = fh.read(1 << 16)
    lines = sample.splitlines(keepends=True)[:60]
    if len(lines) > 1 and len(sample) == 1 << 16:
        lines = lines[:-1]  # the last line may be cut
    text = "".join(lines)
    best, best_score = ",", (0, 0)
    for delim in DELIMITERS:
        widths = _field_counts(text, delim)
        if widths:
            width, count = max(widths.items(), key=lambda kv: (kv[1], kv[0]))
            if (count, width) > best_score:
                best, best_score = delim, (count, width)
    return best


def _field_counts(text: str, delim: str) -> Counter:
    """How many of the sample's rows split into how many fields (rows of one field not counted).
    A malformed row (a bare carriage return inside an unquoted field, as pandas and some
    spreadsheets write it) does not vote; the load itself judges it later."""
    widths: Counter = Counter()
    rows = csv.reader(io.StringIO(text), delimiter=delim)
    while True:
        try:
            record = next(rows)
        except StopIteration:
            return widths
        except csv.Error:
            continue
        if len(record) > 1:
            widths[len(record)] += 1


def _header_index(rows: list[list], header_hint: HeaderHint | None) -> int:
    """Which of the first rows is the header: the first that names every required column;
    else the one that names most (its headers then go into the missing-column message)."""
    if header_hint is None or not rows:
        return 0
    best, best_found = 0, -1
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found, wanted = header_hint([_clean_header(v) for v in row])
        if found == wanted and found > 0:
            return i
        if found > best_found:
            best, best_found = i, found
    return best


def _read_csv(con, path: Path, table: str, encoding: str | None,
              header_hint: HeaderHint | None, name: str, tmp: Path) -> RawTable:
    text_path, read_as = _to_utf8(path, encoding, name, tmp)
    try:
        return _read_utf8_csv(con, text_path, table, header_hint, name, read_as)
    except _InvalidUnicode:
        # The first MiB was UTF-8 but a later byte is not: judge the encoding on the whole file.
        text_path, read_as = _to_utf8(path, encoding, name, tmp, whole=True)
        return _read_utf8_csv(con, text_path, table, header_hint, name, read_as)


class _InvalidUnicode(Exception):
    pass


def _read_utf8_csv(con, path: Path, table: str, header_hint: HeaderHint | None, name: str,
                   read_as: str) -> RawTable:
    delim = _delimiter(path)
    # quote/escape fixed to the CSV standard: DuckDB's sniffer otherwise takes a leading
    # apostrophe ('6311..., typed to keep Excel from eating digits) for the quote character.
    # header=false: the header row is read as data so that no header is renamed or lost (DuckDB
    # would dedupe or invent names); we find it among the first rows ourselves. The path is a
    # literal because a view cannot hold a prepared parameter.
    literal = str(path.resolve()).replace("'", "''")
    delim_sql = "\\t" if delim == "\t" else delim
    source = (f"read_csv('{literal}', all_varchar=true, header=false, delim='{delim_sql}', "
              "encoding='utf-8', null_padding=true, strict_mode=false, skip=0, "
              "quote='\"', escape='\"'{parallel})")
    try:
        first = _run_csv(con, f"SELECT * FROM {{source}} LIMIT {HEADER_SEARCH_ROWS}",
                         source).fetchall()
        in_cols = [d[0] for d in con.description]
    except duckdb.Error as exc:
        _raise_unreadable(name, exc)
    if not first:
        raise InputError(f"Berkas {name} kosong.")
    at = _header_index(first, header_hint)
    headers = [_clean_header(h) for h in first[at]]
    if len(in_cols) == 1 and headers and not _plausible(headers[0]):
        raise InputError(f"Berkas {name} tidak tampak seperti CSV: hanya satu kolom "
                         f"'{headers[0][:60]}'.")
    headers, in_cols = _drop_empty_trailing(headers, in_cols)
    _check_headers(name, headers)
    cols = [f"c{i}" for i in range(len(headers))]
    select = ", ".join(f'"{src}" AS {dst}' for src, dst in zip(in_cols, cols))
    # Read once into a temporary table, parsed on both cores with file order kept, so the rowid
    # is the record's number in the file (the header is rowid `at`). The loader's several scans
    # then read memory, not the file, and no window is needed to number the rows.
    view = f"""CREATE OR REPLACE TEMP TABLE {table}_lines AS SELECT {select} FROM {{source}};
               CREATE OR REPLACE TEMP VIEW {table} AS
               SELECT (rowid - {at})::INTEGER AS _row, *, NULL::VARCHAR AS _number_cells
               FROM {table}_lines WHERE rowid > {at};
               SELECT count(*) FROM {table}"""
    try:
        rows = _run_csv(con, view, source).fetchall()[0][0]
    except duckdb.Error as exc:
        _raise_unreadable(name, exc)
    details = {"encoding": read_as, "delimiter": {",": "koma", ";": "titik koma",
                                                  "\t": "tab", "|": "garis tegak"}[delim]}
    if at:
        details["header_row"] = at + 1
    control, longest = _scan_bytes(path)
    return RawTable(table, headers, cols, rows, is_view=True, details=details,
                    header_offset=at, control_chars=control, longest_line=longest)


def _scan_bytes(path: Path) -> tuple[bool, int]:
    """(any control character other than tab/CR/LF, longest line in bytes), vectorised with
    numpy in 16 MiB chunks (Python's re or bytes.count would take seconds on 2M rows)."""
    import numpy as np

    control, longest, last_newline, offset = False, 0, -1, 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 24):
            a = np.frombuffer(chunk, np.uint8)
            at = np.flatnonzero(a < 32)
            low = a[at]
            if not control and (np.any((low != 10) & (low != 13) & (low != 9))
                                or b"\x7f" in chunk):
                control = True
            newlines = at[low == 10] + offset
            if newlines.size:
                longest = max(longest, int(newlines[0] - last_newline),
                              int(np.diff(newlines).max()) if newlines.size > 1 else 0)
                last_newline = int(newlines[-1])
            offset += len(chunk)
    return control, max(longest, offset - last_newline - 1)


def _raise_unreadable(name: str, exc: Exception):
    if "unicode" in str(exc).lower() or "utf-8" in str(exc).lower():
        raise _InvalidUnicode from None
    raise InputError(f"Berkas {name} tidak terbaca sebagai CSV: {_first_line(exc)}") from None


def _run_csv(con, template: str, source: str):
    """Run `template` with {source} = the read_csv call; again on one thread when needed.

    An answer with a line break inside quotes (free-text fields do that) is beyond DuckDB's
    parallel reader when short rows are padded; it says so, and the single-threaded reader copes.
    Callers run this before any transaction is open, so a failed first try aborts nothing.
    """
    try:
        return con.execute(template.format(source=source.format(parallel="")))
    except duckdb.Error as exc:
        if "parallel=false" not in str(exc):
            raise
        return con.execute(template.format(source=source.format(parallel=", parallel=false")))


def _plausible(header: str) -> bool:
    return bool(re.search(r"[A-Za-z]", header)) and len(header) < 200


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:300]


def _clean_header(value) -> str:
    if value is None:
        return ""
    return re.sub(r"\s+", " ", str(value).replace("\ufeff", "")).strip()


def _drop_empty_trailing(headers: list[str], cols: list[str]) -> tuple[list[str], list[str]]:
    while headers and not headers[-1]:
        headers, cols = headers[:-1], cols[:-1]
    return headers, cols


def _check_headers(name: str, headers: list[str]) -> None:
    if not any(headers):
        raise InputError(f"Berkas {name} tidak punya baris judul kolom.")
    blanks = [i + 1 for i, h in enumerate(headers) if not h]
    if blanks:
        raise InputError(
            f"Berkas {name}: judul kolom ke-{', '.join(map(str, blanks))} kosong (sel judul "
            "tergabung/merged atau kolom tanpa nama). Pisahkan sel judul dan beri nama setiap "
            "kolom.")


def _read_excel(con, path: Path, table: str, sheet: str | None, header_hint) -> RawTable:
    try:
        from python_calamine import CalamineWorkbook, SheetVisibleEnum
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for broken files
        raise InputError(f"Berkas {path.name} bukan berkas Excel yang bisa dibaca: "
                         f"{_first_line(exc)}") from None
    names = book.sheet_names
    details: dict = {}
    if sheet is not None:
        if sheet not in names:
            raise InputError(f"Sheet '{sheet}' tidak ada di {path.name}; yang ada: "
                             f"{', '.join(names)}.")
        chosen = sheet
    else:
        # A hidden sheet (lists behind drop-downs, an old copy) is not what a person exported.
        hidden = {m.name for m in book.sheets_metadata if m.visible != SheetVisibleEnum.Visible}
        filled = [n for n in names if _sheet_has_data(book.get_sheet_by_name(n))]
        if hidden & set(filled):
            details["hidden_sheets_skipped"] = [n for n in filled if n in hidden]
        filled = [n for n in filled if n not in hidden]
        if len(filled) > 1:
            raise InputError(
                f"Berkas {path.name} punya beberapa sheet berisi data ({', '.join(filled)}). "
                "Pilih satu dengan --sheet NAMA.")
        if not filled:
            raise InputError(f"Berkas {path.name} tidak berisi data.")
        chosen = filled[0]
    ws = book.get_sheet_by_name(chosen)
    values = ws.to_python(skip_empty_area=False)
    if not values:
        raise InputError(f"Sheet '{chosen}' di {path.name} kosong.")
    at = _header_index([[_cell_text(v) for v in r] for r in values[:HEADER_SEARCH_ROWS]],
                       header_hint)
    merged = ws.merged_cell_ranges or []
    if any(r0 <= at <= r1 and c1 > c0 for (r0, c0), (r1, c1) in merged):
        raise InputError(
            f"Berkas {path.name}, sheet '{chosen}': judul kolom memakai sel tergabung (merged). "
            "Pisahkan sel judul sehingga setiap kolom punya judul sendiri.")
    values = [list(r) for r in values]
    filled_merges = _fill_merged(values, [m for m in merged if m[0][0] > at])
    if filled_merges:
        details["merged_cells_filled"] = filled_merges
    headers = [_clean_header(h) for h in values[at]]
    width = len(headers)
    while width and not headers[width - 1]:
        width -= 1
    headers = headers[:width]
    _check_headers(path.name, headers)
    cols = [f"c{i}" for i in range(width)]
    texts: list[list[str | None]] = [[] for _ in range(width)]
    numbers: list[str | None] = []
    for row in values[at + 1:]:
        number_headers = []
        for i in range(width):
            v = row[i] if i < len(row) else None
            texts[i].append(_cell_text(v))
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                number_headers.append(headers[i])
        numbers.append("\x1f".join(number_headers) if number_headers else None)
    # Trailing rows with nothing in them are formatting, not data.
    n = len(numbers)
    while n and all(texts[i][n - 1] in (None, "") for i in range(width)):
        n -= 1
    frame = pd.DataFrame({c: pd.array(t[:n], dtype="str") for c, t in zip(cols, texts)})
    frame.insert(0, "_row", range(1, n + 1))
    frame["_number_cells"] = pd.array(numbers[:n], dtype="str")
    put_frame(con, table, frame)
    if at:
        details["header_row"] = at + 1
    return RawTable(table, headers, cols, n, chosen, details=details)


def _fill_merged(values: list[list], merged) -> int:
    """Give every cell of a merged range the value of its top-left cell, which is what a person
    sees in each (Excel stores it only there). Returns the number of ranges filled."""
    count = 0
    for (r0, c0), (r1, c1) in merged:
        top_left = values[r0][c0] if r0 < len(values) and c0 < len(values[r0]) else None
        if top_left in (None, ""):
            continue
        count += 1
        for r in range(r0, min(r1, len(values) - 1) + 1):
            for c in range(c0, c1 + 1):
                if c < len(values[r]):
                    values[r][c] = top_left
    return count


def _sheet_has_data(ws) -> bool:
    return ws.height > 1 or (ws.height == 1 and ws.width > 1)


def _cell_text(v) -> str | None:
    """Text of an Excel cell as a person would have typed it."""
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        return str(v).upper()
    if isinstance(v, float):
        # A whole number shows without ".0"; the caller still knows it was a number cell.
        return str(int(v)) if v.is_integer() and abs(v) < 1e17 else repr(v)
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, dt.time):
        return v.isoformat()
    return str(v)
