"""The dashboard's ONE data-access module: the cached read-only connection and cached queries.

* The connection is ``etl.db.connect_readonly`` cached with ``st.cache_resource`` keyed on
  ``etl.db.file_identity`` (inode, mtime) of the database file: a finished load swaps in a new
  file, its identity changes, and the next rerun opens the new version. The open dashboard never
  holds the live file for writing, so it never blocks a load.
* Every query goes through ``_cached`` (``st.cache_data``), keyed on the metric name, its
  arguments (filter values) and the file identity. Results are shared between sessions: callers
  must never mutate a returned DataFrame (copy first).
* Metric definitions live in ``etl.metrics`` (one definition for pages, exports and tests);
  boundaries in ``geo.boundaries``. Pages never see SQL.

One DuckDB connection serves every session; DuckDB connections are not safe for concurrent use
from several threads (Streamlit runs each session in its own thread), so queries run one at a
time under a lock. They are cached and take milliseconds, so the lock costs nothing noticeable.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pandas as pd
import streamlit as st

from etl import db, settings

_LOCK = threading.Lock()


def db_path() -> Path:
    return Path(settings.get("db"))


def identity() -> tuple[int, int] | None:
    """Identity of the live database file, or None when it does not exist yet."""
    return db.file_identity(db_path())


def available() -> bool:
    return identity() is not None


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(path: str, ident: tuple[int, int]):
    # `ident` is only part of the cache key: a new file version gets a new connection.
    return db.connect_readonly(path)


def _run(fn, *args, **kwargs):
    """Run fn(con, ...) on the current version of the database, one query at a time."""
    ident = identity()
    if ident is None:
        raise db.DatabaseMissing(str(db_path()))
    con = _connection(str(db_path()), ident)
    with _LOCK:
        return fn(con, *args, **kwargs)


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(name: str, ident: tuple[int, int] | None, path: str, kwargs: tuple):
    from etl import metrics

    return _run(getattr(metrics, name), **dict(kwargs))


def _metric(name: str, **kwargs):
    return _cached(name, identity(), str(db_path()), tuple(sorted(kwargs.items())))


# --- named queries used by the pages (thin: argument names of etl.metrics) ----------------------

def coverage_table(level: str = "kecamatan", as_of: str | None = None,
                   kecamatan: str | None = None, sector: str | None = None,
                   by_sector: bool = False) -> pd.DataFrame:
    """Coverage by place (the same figures as ``python -m etl export coverage``)."""
    return _metric("coverage_table", level=level, as_of=as_of, kecamatan=kecamatan,
                   sector=sector, by_sector=by_sector)


def funnel(as_of: str | None = None, kecamatan: str | None = None,
           sector: str | None = None) -> pd.DataFrame:
    return _metric("funnel", as_of=as_of, kecamatan=kecamatan, sector=sector)


def monthly_trend(year: int, as_of: str | None = None, kecamatan: str | None = None,
                  sector: str | None = None) -> pd.DataFrame:
    return _metric("monthly_trend", year=year, as_of=as_of, kecamatan=kecamatan, sector=sector)


def months() -> list[str]:
    """Months with data, 'YYYY-MM', oldest first."""
    return list(_metric("months"))


def latest_month() -> str | None:
    return _metric("latest_month")


def data_date():
    """Date of the newest data in the database (for 'Data per tanggal ...')."""
    return _metric("data_date")


def targets_for(year: int, level: str = "kabupaten", code: str | None = None):
    return _metric("targets_for", year=year, level=level, code=code)


def coverage_issues(as_of: str | None = None) -> pd.DataFrame:
    return _metric("coverage_issues", as_of=as_of)


# --- boundaries -----------------------------------------------------------------------------------

@st.cache_data(max_entries=64, show_spinner=False)
def _layer(ident, path: str, level: str, parent: str | None):
    from geo import boundaries

    return _run(boundaries.read_layer, level=level, parent_code=parent)


def boundary_layer(level: str, parent: str | None = None):
    """Polygons of one level (kabupaten, kecamatan, desa), optionally within a parent code;
    None when no boundaries of that level were loaded."""
    return _layer(identity(), str(db_path()), level, parent)
