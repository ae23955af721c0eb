"""What every load does, whatever the file: hash it, skip it if already loaded, read it, let the
kind-specific loader validate it, quarantine what fails, record the load, rebuild the marts, and
swap the new database in atomically (etl.db.write_session).

A kind-specific loader is a function ``load(ctx) -> Counts`` given a LoadContext: the write
connection, the staging table of the file (all text), the matched columns and the load id.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import duckdb
import pandas as pd

from . import db, gazetteer, identity, marts, settings
from .columns import Field, match_columns, required_found, same_field_columns
from .readers import RawTable, read_into


@dataclass
class Counts:
    accepted: int
    duplicates: int = 0
    extra: dict = field(default_factory=dict)


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


@dataclass
class LoadContext:
    con: duckdb.DuckDBPyConnection
    kind: str
    load_id: int
    source_file: str
    raw: RawTable
    columns: dict[str, int]          # field name -> header index
    kabupaten_code: str
    options: dict
    fields: list[Field] = field(default_factory=list)
    # field name -> indices of columns repeating its header, merged (etl.loaders.row_checks)
    merged: dict[str, list[int]] = field(default_factory=dict)

    def col(self, name: str) -> str:
        """SQL expression of a field's raw text (NULL when the optional column is absent; the
        first filled of its columns when its header is repeated)."""
        if name not in self.columns:
            return "NULL::VARCHAR"
        first = self.raw.columns[self.columns[name]]
        if name not in self.merged:
            return first
        others = ", ".join(self.raw.columns[j] for j in self.merged[name])
        return f"coalesce(nullif(trim({first}), ''), {others})"

    def original_json_sql(self, alias: str = "") -> str:
        """SQL building the JSON of a staging row's original values, keyed by header text."""
        prefix = f"{alias}." if alias else ""
        seen: dict[str, int] = {}
        parts = []
        for header, column in zip(self.raw.headers, self.raw.columns):
            name = header
            if name in seen:
                seen[name] += 1
                name = f"{header} ({seen[header]})"
            else:
                seen[name] = 1
            parts.append(f"'{_sql_str(name)}', {prefix}{column}")
        return f"json_object({', '.join(parts)})"

    def quarantine(self, select_sql: str) -> None:
        """Insert rejected rows. `select_sql` yields (_row, reason_code, reason_detail,
        kecamatan_code, desa_code, original) in that order."""
        self.con.execute(f"""
            INSERT INTO meta.quarantine
            SELECT {self.load_id}, '{self.kind}', '{_sql_str(self.source_file)}', q.* FROM (
            {select_sql}) AS q""")


def _sql_str(text: str) -> str:
    return str(text).replace("'", "''")


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def already_loaded(db_path: str | Path, kind: str, sha: str) -> bool:
    """Read-only check, so a repeated load does not even copy the database."""
    if not Path(db_path).exists():
        return False
    con = db.connect_readonly(db_path)
    try:
        return _loaded_in(con, kind, sha)
    finally:
        con.close()


def _loaded_in(con, kind: str, sha: str) -> bool:
    try:
        return con.execute("SELECT count(*) FROM meta.loads WHERE kind = ? AND file_sha256 = ?",
                           [kind, sha]).fetchall()[0][0] > 0
    except duckdb.CatalogException:
        return False


class _AlreadyLoaded(Exception):
    pass


def run_load(kind: str, path: str | Path, fields: list[Field],
             loader: Callable[[LoadContext], Counts], db_path: str | Path | None = None,
             kabupaten_code: str | None = None, sheet: str | None = None,
             encoding: str | None = None, options: dict | None = None) -> LoadSummary:
    """Load one file of one kind; see the module docstring."""
    path = Path(path)
    db_path = Path(db_path or settings.get("db"))
    kabupaten_code = kabupaten_code or settings.get("kabupaten")
    gazetteer.kabupaten(kabupaten_code)  # fail fast on an unknown kabupaten
    sha = file_sha256(path) if path.exists() else ""
    summary = LoadSummary(kind=kind, file=path.name, file_sha256=sha, already_loaded=False)
    if sha and already_loaded(db_path, kind, sha):
        summary.already_loaded = True
        return summary
    try:
        with db.write_session(db_path, begin=False) as con:
            identity.check_key(con, kabupaten_code, is_demo=bool((options or {}).get("demo")))
            if _loaded_in(con, kind, sha):  # another load of the same file won the race
                raise _AlreadyLoaded
            sync_regions(con, kabupaten_code)
            identity.install_macros(con)
            # Read before the transaction opens: a read that DuckDB must retry differently would
            # otherwise abort it (etl.readers._run_csv).
            raw = read_into(con, path, "staging_raw", sheet=sheet, encoding=encoding,
                            header_hint=lambda headers: required_found(headers, fields))
            con.execute("BEGIN TRANSACTION")
            columns = match_columns(raw.headers, fields, file_label=path.name)
            load_id = con.execute("SELECT nextval('meta.load_id_seq')").fetchall()[0][0]
            ctx = LoadContext(con, kind, load_id, path.name, raw, columns, kabupaten_code,
                              options or {}, fields, same_field_columns(raw.headers, columns))
            checked = row_checks.run(ctx)
            counts = loader(ctx)
            reasons = dict(con.execute(
                "SELECT reason_code, count(*) FROM meta.quarantine WHERE load_id = ? "
                "GROUP BY 1 ORDER BY 2 DESC", [load_id]).fetchall())
            # Most rows failing for one reason of the file itself: refuse the file as a whole.
            file_refusal.check(ctx, raw.rows, reasons)
            summary.load_id = load_id
            summary.rows_read = raw.rows
            summary.accepted = counts.accepted
            summary.duplicates = counts.duplicates
            summary.quarantined = sum(reasons.values())
            summary.reasons = reasons
            summary.columns = {name: raw.headers[i] for name, i in columns.items()}
            summary.extra = {**raw.details, **checked, **counts.extra}
            if summary.accepted + summary.quarantined != summary.rows_read:
                raise AssertionError(
                    f"{kind}: {summary.accepted} diterima + {summary.quarantined} dikarantina "
                    f"!= {summary.rows_read} baris dibaca; pemuatan dibatalkan.")
            con.execute(
                "INSERT INTO meta.loads VALUES (?, ?, ?, ?, now()::TIMESTAMP, ?, ?, ?, ?, ?)",
                [load_id, kind, path.name, sha, raw.rows, summary.accepted, summary.quarantined,
                 summary.duplicates,
                 json.dumps({"columns": summary.columns, "reasons": reasons,
                             "sheet": raw.sheet, **summary.extra}, default=str)])
            raw.drop(con)
            marts.rebuild(con)
    except _AlreadyLoaded:
        summary.already_loaded = True
    return summary


from .loaders import file_refusal, row_checks  # noqa: E402  (they need LoadContext)


def sync_regions(con: duckdb.DuckDBPyConnection, kabupaten_code: str) -> None:
    """core.regions: the gazetteer of the kabupaten, so SQL can join names and parents."""
    frame = pd.DataFrame(
        [(r.code, r.name, r.level, r.parent_code, r.kind) for r in gazetteer.regions(kabupaten_code)],
        columns=["code", "name", "level", "parent_code", "kind"])
    db.put_frame(con, "core.regions", frame, temp=False)
