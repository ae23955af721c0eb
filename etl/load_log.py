"""Load bookkeeping, the same for tabular files (etl.loading) and boundaries (geo.load):
a file's SHA-256, whether it was loaded before, the next load id, the counts of its rejected rows,
the record of the load in meta.loads (after which the marts are rebuilt so readers only see
figures that match the loads), and core.regions, the gazetteer rows every load joins to.

A load is recorded only with its rows in one write session (etl.db.write_session), so a
recorded load always has its rows, and a failed load leaves no record.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import duckdb
import pandas as pd

from . import db, gazetteer, marts


@dataclass
class LoadSummary:
    kind: str
    file: str
    file_sha256: str
    already_loaded: bool
    load_id: int | None = None
    rows_read: int = 0
    accepted: int = 0
    quarantined: int = 0
    duplicates: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, default=str)


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def already_loaded(db_path: str | Path, kind: str, sha: str,
                   same: Callable[[dict], bool] | None = None) -> bool:
    """Read-only check, so a repeated load does not even copy the database."""
    if not Path(db_path).exists():
        return False
    con = db.connect_readonly(db_path)
    try:
        return loaded_in(con, kind, sha, same)
    finally:
        con.close()


def loaded_in(con, kind: str, sha: str, same: Callable[[dict], bool] | None = None) -> bool:
    """Whether meta.loads holds this file for this kind; with ``same``, only loads whose details
    pass it count (a boundary file loads again at another level or tolerance)."""
    try:
        rows = con.execute("SELECT details FROM meta.loads WHERE kind = ? AND file_sha256 = ?",
                           [kind, sha]).fetchall()
    except duckdb.CatalogException:  # no meta.loads yet
        return False
    if same is None:
        return bool(rows)
    return any(same(json.loads(d) if isinstance(d, str) else (d or {})) for (d,) in rows)


def new_load_id(con) -> int:
    return db.scalar(con, "SELECT nextval('meta.load_id_seq')")


def reason_counts(con, load_id: int) -> dict[str, int]:
    """Rejected rows of the load by reason code, the most frequent first."""
    return dict(con.execute(
        "SELECT reason_code, count(*) FROM meta.quarantine WHERE load_id = ? "
        "GROUP BY 1 ORDER BY 2 DESC", [load_id]).fetchall())


def record_load(con, summary: "LoadSummary", details: dict, duplicates: int | None = None,
                touched: str | None = None) -> None:
    """Write the load's row in meta.loads (its duplicates: the summary's unless given), then
    rebuild the marts on the same connection; with `touched` (a temp table of the person keys
    the load changed, nothing else changed) update them for those people when that gives the
    rebuild's result (etl.marts.update), and record which was done in the details and in
    summary.extra["marts"]."""
    con.execute(
        "INSERT INTO meta.loads VALUES (?, ?, ?, ?, now()::TIMESTAMP, ?, ?, ?, ?, ?)",
        [summary.load_id, summary.kind, summary.file, summary.file_sha256, summary.rows_read,
         summary.accepted, summary.quarantined,
         summary.duplicates if duplicates is None else duplicates,
         json.dumps(details, default=str)])
    if touched is None:
        marts.rebuild(con)
        return
    done = marts.update(con, touched)
    summary.extra["marts"] = done
    con.execute("UPDATE meta.loads SET details = ? WHERE load_id = ?",
                [json.dumps({**details, "marts": done}, default=str), summary.load_id])


def sync_regions(con: duckdb.DuckDBPyConnection, kabupaten_code: str) -> None:
    """core.regions: the gazetteer of the kabupaten, so SQL can join names and parents."""
    frame = pd.DataFrame(
        [(r.code, r.name, r.level, r.parent_code, r.kind) for r in gazetteer.regions(kabupaten_code)],
        columns=["code", "name", "level", "parent_code", "kind"])
    db.put_frame(con, "core.regions", frame, temp=False)
