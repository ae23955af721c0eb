"""Building the demo database from its generated files, with etl alone: refuse to replace real
data, load the tabular files through the real loaders (``etl.loaders.load_file``, exactly as a
user would) into a new database, and summarise what was built.

The new database is one of etl.db.replacement: built beside the live file and swapped in as a
whole under the live file's write lock. The command line (etl.cli, the composition root)
sequences these steps with the generator and with the boundary load, which is geo's.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from .. import db, loaders

LOAD_ORDER = ("registrations", "verification", "members", "denominators", "targets", "rm-areas",
              "claims")


class RealDatabase(RuntimeError):
    """The database file holds real (non-demo) data; the demo refuses to replace it."""


def check_replaceable(db_path: Path, replace_real: bool = False) -> None:
    """Raise RealDatabase when the file holds real data (unless replace_real is set)."""
    if not replace_real and _is_real_database(db_path):
        raise RealDatabase(
            f"{db_path} berisi data sungguhan (bukan demo); demo tidak menimpanya. Pakai --db "
            "berkas lain, atau --force bila memang ingin menggantinya dengan demo.")


def _is_real_database(db_path: Path) -> bool:
    if not db_path.exists():
        return False
    if db_path.stat().st_size == 0:
        return False
    try:
        con = db.connect_readonly(db_path)
    except Exception:  # not a DuckDB file at all: someone's file, keep it
        return True
    try:
        rows = con.execute("SELECT bool_and(is_demo) FROM meta.database").fetchall()
    except Exception:  # a DuckDB file that is not Cakupan's: keep it
        return True
    finally:
        con.close()
    return rows[0][0] is not True


def load_tabular(files: dict[str, list[Path]], db_path: Path, kabupaten_code: str,
                 as_of: dt.date) -> tuple[list[dict], list[str]]:
    """Load the generated files in LOAD_ORDER; return (brief of each load, kinds not loaded
    because their loader does not exist)."""
    loads, skipped = [], []
    available = loaders.available()
    for kind in LOAD_ORDER:
        if kind not in available:
            skipped.append(kind)
            continue
        for path in files[kind]:
            t0 = time.perf_counter()
            # The membership export is taken on the reference date (its paid-through months
            # are known up to that day).
            options = {"demo": True, **({"export_date": as_of} if kind == "members" else {})}
            s = loaders.load_file(kind, path, db_path=db_path, kabupaten_code=kabupaten_code,
                                  options=options)
            loads.append(load_brief(s, time.perf_counter() - t0))
    return loads, skipped


def load_brief(s, seconds: float | None = None) -> dict:
    """What the demo's summary says of one load (a LoadSummary, tabular or boundaries)."""
    return {"kind": s.kind, "file": s.file, "rows_read": s.rows_read, "accepted": s.accepted,
            "quarantined": s.quarantined, "reasons": s.reasons,
            "seconds": None if seconds is None else round(seconds, 1)}
