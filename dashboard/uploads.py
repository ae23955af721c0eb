"""Loading an uploaded file from the admin page with the real loaders, one load at a time.

The uploaded bytes are written to a private temporary folder under their original file name (the
loaders record the name and hash the content, so a re-upload of the same file is recognised),
then handed to etl.loaders.load_file or geo.boundaries.load_boundaries exactly as the CLI does.
A process-wide lock refuses a second upload while one is running (a load from the CLI waits on
the database's own write lock instead). The temporary copy is removed afterwards.

Before anything parses the file, ``check_size`` measures it: an XLSX or a zip (Google Forms'
download, a zipped Shapefile) is opened as a zip and every member is *decompressed in a stream
and counted*, not trusted by its declared size (a zip bomb may lie there), with the rows of each
sheet counted on the way (``<row`` elements) and the columns taken from the sheet's dimension;
a CSV's lines and header fields are counted. Past ``upload_max_mb`` (decompressed),
``upload_max_rows`` or ``upload_max_columns`` the upload is refused with a clear message within
seconds (a 10 MB XLSX holding 3 GB of sheet XML: about a second), before the reader would spend
minutes and gigabytes on it. The decompression releases the GIL, so other sessions stay
responsive meanwhile.
"""

from __future__ import annotations

import io
import re
import tempfile
import threading
import zipfile
import zlib
from pathlib import Path

import pandas as pd

from etl import reasons, settings
from etl.loaders import LABELS
from .layout import fmt_int

_BUSY = threading.Lock()

# The kinds the admin may upload here, with their labels (etl.loaders.LABELS); decisions are
# recorded on Rapat by pimpinan, or loaded from the CLI.
KIND_LABELS = {kind: label for kind, label in LABELS.items() if kind != "decisions"}


class Busy(RuntimeError):
    """Another upload is being loaded."""


class TooLarge(ValueError):
    """The upload is bigger than the limits (message in Indonesian); nothing was parsed."""


_CHUNK = 1 << 20
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="[A-Z]+\d+:([A-Z]+)\d+"')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.decode("ascii"):
        n = n * 26 + ord(ch) - 64
    return n


def _limits() -> tuple[int, int, int]:
    return (int(float(settings.get("upload_max_mb")) * (1 << 20)),
            int(settings.get("upload_max_rows")), int(settings.get("upload_max_columns")))


def _mb(n: int) -> str:
    return f"{fmt_int(n / (1 << 20))} MB"


def _check_text(content: bytes, max_rows: int, max_columns: int, label: str) -> None:
    rows = content.count(b"\n") + (0 if content.endswith(b"\n") else 1)
    if rows - 1 > max_rows:
        raise TooLarge(f"{label} berisi {fmt_int(rows - 1)} baris (batas {fmt_int(max_rows)}); "
                       "pecah berkasnya.")
    header = content[:content.find(b"\n")] if b"\n" in content else content[:65536]
    columns = max(header.count(sep) for sep in (b",", b";", b"\t", b"|")) + 1
    if columns > max_columns:
        raise TooLarge(f"{label} berisi {fmt_int(columns)} kolom (batas {fmt_int(max_columns)}).")


def _check_zip(content: bytes, max_bytes: int, max_rows: int, max_columns: int) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise TooLarge("Berkas rusak: bukan XLSX/zip yang utuh.") from None
    members = [m for m in archive.infolist() if not m.is_dir()]
    declared = sum(m.file_size for m in members)
    if declared > max_bytes:
        raise TooLarge(f"Isi berkas setelah dibuka {_mb(declared)} (batas {_mb(max_bytes)}): "
                       "terlalu besar untuk dibaca, kemungkinan 'zip bomb'. Tidak ada yang dimuat.")
    total = 0
    for member in members:
        name = member.filename.lower()
        sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
        text = name.endswith((".csv", ".txt"))
        needle = b"<row" if sheet else b"\n"
        rows, tail, head = 0, b"", b""
        for chunk in _inflate(content, member):
            total += len(chunk)
            if total > max_bytes:
                raise TooLarge(f"Isi berkas setelah dibuka melebihi {_mb(max_bytes)}"
                               + (" (ukuran yang tertulis di dalamnya tidak benar)"
                                  if declared <= max_bytes else "")
                               + ": kemungkinan 'zip bomb'. Tidak ada yang dimuat.")
            if sheet or text:
                window = tail + chunk
                rows += window.count(needle) - tail.count(needle)
                tail = window[-8:]
                if len(head) < 4096:
                    head += chunk[:4096]
                if rows > max_rows + 1:
                    raise TooLarge(f"Lembar {member.filename} berisi lebih dari "
                                   f"{fmt_int(max_rows)} baris (batas).")
        if sheet:
            found = _DIMENSION.search(head)
            if found and _column_number(found.group(1)) > max_columns:
                raise TooLarge(f"Lembar {member.filename} berisi {_column_number(found.group(1))} "
                               f"kolom (batas {max_columns}).")


def _inflate(content: bytes, member: zipfile.ZipInfo):
    """The member's bytes as they really decompress, chunk by chunk. Deflate is inflated here
    from the raw stream, so the size declared in the headers (which a bomb may understate, and
    which Python's zipfile trusts) plays no part."""
    if member.compress_type != zipfile.ZIP_DEFLATED:
        try:
            with zipfile.ZipFile(io.BytesIO(content)).open(member) as stream:
                while chunk := stream.read(_CHUNK):
                    yield chunk
        except (zipfile.BadZipFile, NotImplementedError, EOFError) as exc:
            raise TooLarge(f"Berkas rusak atau tidak didukung: {exc}") from None
        return
    head = content[member.header_offset:member.header_offset + 30]
    if len(head) < 30 or head[:4] != b"PK\x03\x04":
        raise TooLarge("Berkas rusak: bukan XLSX/zip yang utuh.")
    name_len, extra_len = int.from_bytes(head[26:28], "little"), int.from_bytes(head[28:30], "little")
    start = member.header_offset + 30 + name_len + extra_len
    raw = memoryview(content)[start:]        # to the end: a compressed size may lie too
    inflater = zlib.decompressobj(-15)
    pending = bytes(raw[:_CHUNK])
    offset = len(pending)
    try:
        while not inflater.eof:
            chunk = inflater.decompress(pending, _CHUNK)
            pending = inflater.unconsumed_tail
            if not pending:
                if offset >= len(raw):
                    if not chunk:
                        break
                else:
                    pending = bytes(raw[offset:offset + _CHUNK])
                    offset += len(pending)
            if chunk:
                yield chunk
        rest = inflater.flush()
        if rest:
            yield rest
    except zlib.error as exc:
        raise TooLarge(f"Berkas rusak: {exc}") from None


def check_size(file_name: str, content: bytes) -> None:
    """Refuse an upload over the limits before any reader parses it (raises TooLarge)."""
    max_bytes, max_rows, max_columns = _limits()
    label = f"Berkas {_safe_name(file_name)}"
    if len(content) > max_bytes:
        raise TooLarge(f"{label} {_mb(len(content))} (batas {_mb(max_bytes)}).")
    if content[:4] == b"PK\x03\x04" or content[:4] == b"PK\x05\x06":
        _check_zip(content, max_bytes, max_rows, max_columns)
    elif Path(file_name or "").suffix.lower() in (".csv", ".txt", ".tsv"):
        # (GeoJSON and GeoPackage are not tables: their size is their limit; an old .xls
        # is not compressed, so its size is too.)
        _check_text(content, max_rows, max_columns, label)


def kinds() -> dict[str, str]:
    """Kinds the installation can load now, with their Indonesian labels."""
    from etl import loaders

    available = loaders.available()
    out = {k: v for k, v in KIND_LABELS.items() if k in available}
    try:
        import geo.boundaries  # noqa: F401

        out["boundaries"] = KIND_LABELS["boundaries"]
    except ImportError:
        pass
    return out


def _safe_name(name: str) -> str:
    name = Path(name or "unggahan").name
    return re.sub(r"[^\w.\- ]", "_", name)[:120] or "unggahan"


def load_upload(kind: str, file_name: str, content: bytes, sheet: str | None = None,
                level: str | None = None, db_path=None):
    """Load uploaded bytes as `kind`; the loader's LoadSummary. Raises Busy when a load runs."""
    check_size(file_name, content)
    if not _BUSY.acquire(blocking=False):
        raise Busy("Sedang ada pemuatan lain dari halaman ini; tunggu sampai selesai.")
    try:
        db_path = Path(db_path or settings.get("db"))
        with tempfile.TemporaryDirectory(prefix="cakupan-unggah-") as tmp:  # mode 700
            path = Path(tmp) / _safe_name(file_name)
            path.write_bytes(content)
            if kind == "boundaries":
                from geo.boundaries import load_boundaries

                return load_boundaries(path, level=level or None, db_path=db_path)
            from etl import loaders

            return loaders.load_file(kind, path, db_path=db_path, sheet=sheet or None)
    finally:
        _BUSY.release()


def reasons_table(summary) -> pd.DataFrame:
    """Quarantined rows by reason, with the Indonesian explanation."""
    return pd.DataFrame([{"Alasan": code, "Keterangan": reasons.describe(code), "Baris": n}
                         for code, n in (summary.reasons or {}).items()],
                        columns=["Alasan", "Keterangan", "Baris"])
