"""The one runner for named SQL queries: ``run(con, "coverage", params)`` runs
``etl/sql/queries/coverage.sql`` and returns a DataFrame.

Every reader (etl.metrics, the dashboard's public page and data-quality page) runs its SQL
through ``run``, so a query file is found, read and given its parameters the same way
everywhere. A query file names its parameters as ``$name``; ``run`` passes only the parameters
the file uses, so callers can hand over one dictionary of filter values for several queries
(DuckDB refuses a named parameter that the statement does not use).
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd

QUERY_DIR = Path(__file__).resolve().parent / "sql" / "queries"


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
