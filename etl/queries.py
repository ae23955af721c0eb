"""The one way SQL files and frames are run on a connection.

``run(con, "coverage", params)`` runs the named query ``etl/sql/queries/coverage.sql`` and
returns a DataFrame; ``run_script(con, "marts/10_monthly.sql")`` runs every statement of a script
file under ``etl/sql`` (schema, marts); ``put_frame`` and ``scalar`` move a DataFrame in and a
single value out. etl.db (files and write sessions) and etl.marts both build on this module, which
imports neither, so the two do not import each other.

Every reader (etl.metrics, the dashboard's public page and data-quality page) runs its SQL
through ``run``, so a query file is found, read and given its parameters the same way
everywhere. A query file names its parameters as ``$name``; ``run`` passes only the parameters
the file uses, so callers can hand over one dictionary of filter values for several queries
(DuckDB refuses a named parameter that the statement does not use).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:  # pandas is imported by DuckDB's .df() when a query needs it, not at import
    import pandas as pd

SQL_DIR = Path(__file__).resolve().parent / "sql"
QUERY_DIR = SQL_DIR / "queries"


def text(name: str, folder: Path = QUERY_DIR) -> str:
    """The SQL text of query ``name`` (``<folder>/<name>.sql``)."""
    return (folder / f"{name}.sql").read_text(encoding="utf-8")


def used_params(sql: str, params: dict | None) -> dict:
    """The subset of ``params`` that ``sql`` refers to as ``$name``."""
    return {k: v for k, v in (params or {}).items() if re.search(rf"\${re.escape(k)}\b", sql)}


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None, *,
        folder: Path = QUERY_DIR) -> pd.DataFrame:
    """Run query ``name`` with the parameters it uses and return the result as a DataFrame."""
    sql = text(name, folder)
    return con.execute(sql, used_params(sql, params)).df()


def sql_text(relative: str) -> str:
    """The text of one SQL file under ``etl/sql``."""
    return (SQL_DIR / relative).read_text(encoding="utf-8")


def run_script(con: duckdb.DuckDBPyConnection, relative: str, params: dict | None = None) -> None:
    """Run every statement of one SQL file, with named parameters ($name) where given."""
    for statement in _split_statements(sql_text(relative)):
        used = used_params(statement, params)
        con.execute(statement, used) if used else con.execute(statement)


def _split_statements(text: str) -> list[str]:
    # Our SQL files separate statements with a semicolon at the end of a line; no statement in
    # them holds a literal ";\n", so this stays simple on purpose.
    lines = [ln for ln in text.splitlines() if not ln.strip().startswith("--")]
    parts = "\n".join(lines).split(";\n")
    return [p.strip().rstrip(";") for p in parts if p.strip().rstrip(";").strip()]


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    """The first column of the first row, with the result fully consumed.

    DuckDB 2.0 refuses other work on a connection (register, ...) while a result is unfinished,
    and a fetchone() that returned a row leaves it unfinished.
    """
    rows = con.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None


def put_frame(con: duckdb.DuckDBPyConnection, table: str, frame, temp: bool = True) -> None:
    """Create or replace a (temporary) table from a pandas DataFrame."""
    view = f"_frame_{table.replace('.', '_')}"
    con.register(view, frame)
    try:
        con.execute(f"CREATE OR REPLACE {'TEMP ' if temp else ''}TABLE {table} AS "
                    f"SELECT * FROM {view}")
    finally:
        con.unregister(view)
