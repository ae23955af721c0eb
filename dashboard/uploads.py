"""Loading an uploaded file from the admin page with the real loaders, one load at a time.

The uploaded bytes are written to a private temporary folder under their original file name (the
loaders record the name and hash the content, so a re-upload of the same file is recognised),
then handed to etl.loaders.load_file or geo.boundaries.load_boundaries exactly as the CLI does.
A process-wide lock refuses a second upload while one is running (a load from the CLI waits on
the database's own write lock instead). The temporary copy is removed afterwards.
"""

from __future__ import annotations

import re
import tempfile
import threading
from pathlib import Path

import pandas as pd

from etl import reasons, settings

_BUSY = threading.Lock()

KIND_LABELS = {
    "registrations": "Pendaftaran (ekspor formulir Lindungi Prens)",
    "verification": "Hasil verifikasi",
    "members": "Ekspor kepesertaan BPJS",
    "denominators": "Estimasi pekerja (penyebut)",
    "targets": "Target",
    "rm-areas": "Wilayah RM",
    "claims": "Klaim manfaat (JKM/JKK)",
    "boundaries": "Batas wilayah (GeoJSON, GeoPackage, Shapefile zip)",
}


class Busy(RuntimeError):
    """Another upload is being loaded."""


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
    if not _BUSY.acquire(blocking=False):
        raise Busy("Sedang ada pemuatan lain dari halaman ini; tunggu sampai selesai.")
    try:
        db_path = Path(db_path or settings.get("db"))
        with tempfile.TemporaryDirectory(prefix="cakupan-unggah-") as tmp:
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
