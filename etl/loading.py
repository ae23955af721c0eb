"""What every tabular load does, whatever the file: hash it, skip it if already loaded, read
it, let the kind-specific loader validate it (etl.load_context), quarantine what fails, record
the load (etl.load_log, shared with boundary loads), and swap the new database in atomically
(etl.db.write_session).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from . import db, gazetteer, identity, settings
from .columns import Field, match_columns, required_found, same_field_columns
from .load_context import Counts, LoadContext
from .load_log import LoadSummary, already_loaded, file_sha256, loaded_in, new_load_id, \
    reason_counts, record_load, sync_regions
from .file_refusal import check as refuse_file
from .row_checks import run as run_row_checks
from .readers import read_into


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
            if loaded_in(con, kind, sha):  # another load of the same file won the race
                raise _AlreadyLoaded
            sync_regions(con, kabupaten_code)
            identity.install_macros(con)
            # Read before the transaction opens: a read that DuckDB must retry differently would
            # otherwise abort it (etl.readers._run_csv).
            raw = read_into(con, path, "staging_raw", sheet=sheet, encoding=encoding,
                            header_hint=lambda headers: required_found(headers, fields))
            con.execute("BEGIN TRANSACTION")
            columns = match_columns(raw.headers, fields, file_label=path.name)
            load_id = new_load_id(con)
            ctx = LoadContext(con, kind, load_id, path.name, raw, columns, kabupaten_code,
                              options or {}, fields, same_field_columns(raw.headers, columns))
            checked = run_row_checks(ctx)
            counts = loader(ctx)
            reasons = reason_counts(con, load_id)
            # Most rows failing for one reason of the file itself: refuse the file as a whole.
            refuse_file(ctx, raw.rows, reasons)
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
            raw.drop(con)
            record_load(con, summary, {"columns": summary.columns, "reasons": reasons,
                                       "sheet": raw.sheet, **summary.extra},
                        touched=counts.touched_people)
    except _AlreadyLoaded:
        summary.already_loaded = True
    return summary

