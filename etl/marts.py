"""Rebuilding the marts: every ``etl/sql/marts/NN_name.sql`` in file-name order, after each load.

Marts are tables (not views) so the dashboard reads small precomputed summaries; they are rebuilt
inside the load's transaction, so readers only ever see marts that match the core tables.
"""

from __future__ import annotations

import duckdb

from . import db


def mart_files() -> list[str]:
    return sorted(f"marts/{p.name}" for p in (db.SQL_DIR / "marts").glob("*.sql"))


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    for relative in mart_files():
        db.run_sql_file(con, relative)
