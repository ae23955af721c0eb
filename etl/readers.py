"""Reading an input file (CSV or Excel) as a DuckDB staging relation of text, untouched.

A CSV becomes a view that streams the file wherever a loader uses it; an Excel sheet (read with
python-calamine) becomes a temporary table.

Every column is read as text (an NIK is never a number), every row keeps its data-row number
(``_row``, 1-based, header excluded), and Excel number cells are remembered per row
(``_number_cells``: the headers whose cell was a number), because a 16-digit NIK in a number cell
has already lost its last digit and must be rejected, not trusted.

Bad files raise InputError with a message for the data officer, before anything is written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from .db import put_frame

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}


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

    def drop(self, con: duckdb.DuckDBPyConnection) -> None:
        """Free what read_into created (a CSV of millions of rows is held in memory)."""
        if self.is_view:
            con.execute(f"DROP VIEW {self.table}")
            con.execute(f"DROP TABLE {self.table}_lines")
        else:
            con.execute(f"DROP TABLE {self.table}")


def read_into(con: duckdb.DuckDBPyConnection, path: str | Path, table: str,
              sheet: str | None = None, encoding: str | None = None,
              header_hint: callable = None) -> RawTable:
    """Read a CSV or Excel file into `table` (replaced) on `con`."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"Berkas tidak ditemukan: {path}")
    if path.stat().st_size == 0:
        raise InputError(f"Berkas {path.name} kosong (0 byte).")
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES or _looks_like_zip(path):
        raw = _read_excel(con, path, table, sheet, header_hint)
    else:
        raw = _read_csv(con, path, table, encoding)
    if raw.rows == 0:
        raise InputError(f"Berkas {path.name} hanya berisi judul kolom, tanpa baris data.")
    return raw


def _looks_like_zip(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(4) == b"PK\x03\x04"


def _check_text(path: Path, encoding: str) -> None:
    """Fail early and clearly on binary files and on text that is not in `encoding`."""
    with path.open("rb") as fh:
        head = fh.read(1 << 20)
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"Berkas {path.name} bukan CSV (berisi data biner). Unggah ekspor CSV "
                         "atau XLSX dari formulir.")
    if encoding.lower().replace("-", "") in ("utf8", "utf8sig"):
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A cut in the middle of a multi-byte character at the 1 MiB boundary is fine.
            if exc.start < len(head) - 4:
                raise InputError(
                    f"Berkas {path.name} bukan UTF-8 (byte {exc.start}: "
                    f"{head[exc.start:exc.start + 1]!r}); kemungkinan disimpan Excel sebagai "
                    "Windows-1252. Simpan ulang sebagai 'CSV UTF-8', atau muat dengan "
                    "--encoding cp1252.") from None


def _read_csv(con, path: Path, table: str, encoding: str | None) -> RawTable:
    encoding = encoding or "utf-8"
    _check_text(path, encoding)
    duck_encoding = {"cp1252": "latin-1", "windows-1252": "latin-1", "iso-8859-1": "latin-1",
                     "latin1": "latin-1", "utf8": "utf-8", "utf-8-sig": "utf-8"}.get(
        encoding.lower(), encoding.lower())
    # quote/escape fixed to the CSV standard: DuckDB's sniffer otherwise takes a leading
    # apostrophe ('6311..., typed to keep Excel from eating digits) for the quote character.
    # header=false: the header row is read as data so that no header is renamed or lost (DuckDB
    # would dedupe or invent names); we take it from the first line ourselves. The path is a
    # literal because a view cannot hold a prepared parameter.
    literal = str(path.resolve()).replace("'", "''")
    source = (f"read_csv('{literal}', all_varchar=true, header=false, "
              f"encoding='{duck_encoding}', null_padding=true, strict_mode=false, skip=0, "
              "quote='\"', escape='\"'{parallel})")
    try:
        first = _run_csv(con, "SELECT * FROM {source} LIMIT 1", source).fetchall()
        in_cols = [d[0] for d in con.description]
    except duckdb.Error as exc:
        raise InputError(f"Berkas {path.name} tidak terbaca sebagai CSV: {_first_line(exc)}"
                         ) from None
    if not first:
        raise InputError(f"Berkas {path.name} kosong.")
    headers = [_clean_header(h) for h in first[0]]
    if len(in_cols) == 1 and headers and not _plausible(headers[0]):
        raise InputError(f"Berkas {path.name} tidak tampak seperti CSV: hanya satu kolom "
                         f"'{headers[0][:60]}'.")
    headers, in_cols = _drop_empty_trailing(headers, in_cols)
    _check_headers(path, headers)
    cols = [f"c{i}" for i in range(len(headers))]
    select = ", ".join(f'"{src}" AS {dst}' for src, dst in zip(in_cols, cols))
    # Read once into a temporary table, parsed on both cores with file order kept, so the rowid
    # is the record's number in the file (the header is rowid 0). The loader's several scans then
    # read memory, not the file, and no window is needed to number the rows.
    view = f"""CREATE OR REPLACE TEMP TABLE {table}_lines AS SELECT {select} FROM {{source}};
               CREATE OR REPLACE TEMP VIEW {table} AS
               SELECT rowid::INTEGER AS _row, *, NULL::VARCHAR AS _number_cells
               FROM {table}_lines WHERE rowid > 0;
               SELECT count(*) FROM {table}"""
    try:
        rows = _run_csv(con, view, source).fetchall()[0][0]
    except duckdb.Error as exc:
        raise InputError(f"Berkas {path.name} tidak terbaca sebagai CSV: {_first_line(exc)}"
                         ) from None
    return RawTable(table, headers, cols, rows, is_view=True)


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


def _check_headers(path: Path, headers: list[str]) -> None:
    if not any(headers):
        raise InputError(f"Berkas {path.name} tidak punya baris judul kolom.")
    blanks = [i + 1 for i, h in enumerate(headers) if not h]
    if blanks:
        raise InputError(
            f"Berkas {path.name}: judul kolom ke-{', '.join(map(str, blanks))} kosong (sel judul "
            "tergabung/merged atau kolom tanpa nama). Pisahkan sel judul dan beri nama setiap "
            "kolom.")


def _read_excel(con, path: Path, table: str, sheet: str | None, header_hint) -> RawTable:
    try:
        from python_calamine import CalamineWorkbook
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for broken files
        raise InputError(f"Berkas {path.name} bukan berkas Excel yang bisa dibaca: "
                         f"{_first_line(exc)}") from None
    names = book.sheet_names
    if sheet is not None:
        if sheet not in names:
            raise InputError(f"Sheet '{sheet}' tidak ada di {path.name}; yang ada: "
                             f"{', '.join(names)}.")
        chosen = sheet
    else:
        filled = [n for n in names if _sheet_has_data(book.get_sheet_by_name(n))]
        if len(filled) > 1:
            raise InputError(
                f"Berkas {path.name} punya beberapa sheet berisi data ({', '.join(filled)}). "
                "Pilih satu dengan --sheet NAMA.")
        if not filled:
            raise InputError(f"Berkas {path.name} tidak berisi data.")
        chosen = filled[0]
    ws = book.get_sheet_by_name(chosen)
    merged = [r for r in (ws.merged_cell_ranges or []) if r[0][0] == 0 or r[1][0] == 0]
    values = ws.to_python(skip_empty_area=False)
    if not values:
        raise InputError(f"Sheet '{chosen}' di {path.name} kosong.")
    if merged:
        raise InputError(
            f"Berkas {path.name}, sheet '{chosen}': judul kolom memakai sel tergabung (merged). "
            "Pisahkan sel judul sehingga setiap kolom punya judul sendiri.")
    headers = [_clean_header(h) for h in values[0]]
    width = len(headers)
    while width and not headers[width - 1]:
        width -= 1
    headers = headers[:width]
    _check_headers(path, headers)
    cols = [f"c{i}" for i in range(width)]
    texts: list[list[str | None]] = [[] for _ in range(width)]
    numbers: list[str | None] = []
    for row in values[1:]:
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
    return RawTable(table, headers, cols, n, chosen)


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
