"""The dashboard's ONE data-access module: the cached read-only connection and cached queries.

* The connection is ``etl.db.connect_readonly`` cached with ``st.cache_resource`` keyed on
  ``etl.db.file_identity`` (inode, mtime) of the database file: a finished load swaps in a new
  file, its identity changes, and the next rerun opens the new version. The open dashboard never
  holds the live file for writing, so it never blocks a load.
* Every query goes through ``_cached`` (``st.cache_data``), keyed on the metric name, its
  arguments (filter values) and the file identity. Results are shared between sessions: callers
  must never mutate a returned DataFrame (copy first).
* ``run_alone`` opens a private read-only connection for long work off the script thread (the
  PDF brief). The public page and the brief read through here, never a connection of their own.
* Metric definitions live in ``etl.metrics`` (one definition for pages, exports and tests);
  boundaries in ``geo.boundaries``; the public page's figures in ``dashboard.public``
  (``public_figures``). Pages never see SQL. Nothing here draws: the map, the place table and
  the headline sentence are dashboard.places and dashboard.headline, built on these results.

One DuckDB connection serves every session; DuckDB connections are not safe for concurrent use
from several threads (Streamlit runs each session in its own thread), so queries run one at a
time under a lock. They are cached and take milliseconds, so the lock costs nothing noticeable.
"""

from __future__ import annotations

import importlib

import threading
from pathlib import Path

import pandas as pd
import streamlit as st

from etl import db, settings

from .shapes import without_holes

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


def run_alone(fn, /, *args, path: str | Path | None = None, **kwargs):
    """fn(con, *args, **kwargs) on a read-only connection of its own, opened and closed here,
    not cached: for work of seconds off the script thread (the PDF brief, made on Streamlit's
    download thread), which must not hold the shared connection's lock meanwhile. `path`: the
    database file, as the page saw it (default: the setting)."""
    con = db.connect_readonly(str(path or db_path()))
    try:
        return fn(con, *args, **kwargs)
    finally:
        con.close()


def _run(fn, *args, **kwargs):
    """Run fn(con, ...) on the current version of the database, one query at a time."""
    ident = identity()
    if ident is None:
        raise db.DatabaseMissing(str(db_path()))
    con = _connection(str(db_path()), ident)
    with _LOCK:
        return fn(con, *args, **kwargs)


def query(fn, /, *args, **kwargs):
    """fn(con, *args, **kwargs) on the current database version, cached per version.

    For the pure data functions of dashboard/ and etl/ (module-level functions taking a
    connection first): pages call ``data.query(targets.target_status, year, as_of, ...)`` and
    never hold a connection or a cache of their own. Arguments must be hashable by Streamlit.
    """
    return _cached(f"{fn.__module__}:{fn.__qualname__}", identity(), str(db_path()), args,
                   tuple(sorted(kwargs.items())))


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(target: str, ident: tuple[int, int] | None, path: str, args: tuple,
            kwargs: tuple):
    # `ident` and `path` are only part of the cache key: a load swaps in a new file version.
    module, name = target.split(":")
    return _run(getattr(importlib.import_module(module), name), *args, **dict(kwargs))


def _metric(name: str, **kwargs):
    from etl import metrics

    return query(getattr(metrics, name), **kwargs)


# --- named queries used by the pages (thin: argument names of etl.metrics) ----------------------

def coverage_table(level: str = "kecamatan", as_of: str | None = None,
                   kecamatan: str | None = None, sector: str | None = None,
                   by_sector: bool = False, with_unknown: bool = False,
                   desa_codes: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Coverage by place (the same figures as ``python -m etl export coverage``); with_unknown
    adds the row "wilayah tidak diketahui" (people whose desa is unknown, kode missing);
    desa_codes (the user's area, filters.Filters.desa_codes): those desa only."""
    return _metric("coverage_table", level=level, as_of=as_of, kecamatan=kecamatan,
                   sector=sector, by_sector=by_sector, with_unknown=with_unknown,
                   desa_codes=desa_codes)


def funnel(as_of: str | None = None, kecamatan: str | None = None,
           sector: str | None = None, desa_codes: tuple[str, ...] | None = None) -> dict:
    """Funnel counts at the month end (dict: submitted, verified, enrolled, active, ...)."""
    return _metric("funnel", as_of=as_of, kecamatan=kecamatan, sector=sector,
                   desa_codes=desa_codes)


def monthly_trend(kecamatan: str | None = None, sector: str | None = None,
                  desa_codes: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Cumulative funnel counts per month 'YYYY-MM' for the whole history."""
    return _metric("monthly_trend", kecamatan=kecamatan, sector=sector, desa_codes=desa_codes)


def public_figures():
    """dashboard.public.build of the live database (the Transparansi page's figures, suppressed
    with the current threshold), or None when there is no database yet."""
    from . import disclosure, public

    if not available():
        return None
    return query(public.build, disclosure.threshold(),
                 premium=int(settings.get("premium_per_month")))


def rm_desa_codes(rm_id: str | None) -> tuple[str, ...]:
    """The desa of one RM's area (core.rm_areas), sorted; empty for an RM without an area."""
    from . import targets

    if not rm_id or not available():
        return ()
    areas = query(targets.rm_areas)
    return tuple(sorted(areas.loc[areas["rm_id"] == rm_id, "desa_code"]))


def kabupaten_code() -> str:
    """The database's kabupaten (the setting when there is no database yet)."""
    from etl import settings

    if not available():
        return settings.get("kabupaten")
    return _metric("kabupaten_code")


def months() -> list[str]:
    """Months with data, 'YYYY-MM', oldest first."""
    return list(_metric("months"))


def latest_month() -> str | None:
    """The data's last month (it may be provisional: still running)."""
    return _metric("latest_month")


def default_month() -> str | None:
    """The month pages open on: the latest complete month."""
    return _metric("default_month")


def data_span():
    """etl.metrics.DataSpan of the database (all None when nothing is loaded)."""
    from etl import metrics

    if not available():
        return metrics.DataSpan(None, None, None, None, None, None, None)
    return _metric("data_span")


def provisional_through(as_of: str | None) -> str | None:
    """The data's last day when `as_of` is the running (provisional) month, else None."""
    return _metric("provisional_through", as_of=as_of)


def data_date():
    """etl.metrics.DataDate(data_date 'YYYY-MM-DD', loaded_at) of the database."""
    return _metric("data_date")


def targets_for(year: int, level: str | None = None) -> pd.DataFrame:
    return _metric("targets_for", year=int(year), level=level)


def year_target(year: int, kecamatan: str | None = None, sector: str | None = None,
                rm_id: str | None = None) -> int | None:
    """The target for the whole `year` of the area in view: the kabupaten's, a kecamatan's, a
    sector's or (rm_id) an RM area's (the latest load wins, etl.metrics.targets_for); None when
    there is none, or for two of them together (targets are not set at that grain)."""
    if sum(bool(x) for x in (kecamatan, sector, rm_id)) > 1:
        return None
    level, code = (("rm", rm_id) if rm_id else ("kecamatan", kecamatan) if kecamatan
                   else ("sektor", sector) if sector else ("kabupaten", None))
    rows = targets_for(year, level)
    rows = rows[rows["quarter"].isna() & rows["month"].isna()]
    if code is not None:
        rows = rows[rows["code"] == code]
    return int(rows["target"].iloc[0]) if len(rows) else None


def coverage_issues(as_of: str | None = None) -> pd.DataFrame:
    return _metric("coverage_issues", as_of=as_of)


def place_figures(level: str, as_of: str | None, kecamatan: str | None = None,
                  sector: str | None = None, growth_months: int = 3,
                  with_unknown: bool = False,
                  desa_codes: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Coverage per place plus the two map-only ratios, derived from etl.metrics figures:

    * lapse_pct = 100 * lapsed / enrolled (members whose premium stopped), NULL without members;
    * growth_pp = coverage_pct now - coverage_pct `growth_months` months earlier (percentage
      points), NULL without an estimate of workers.
    `with_unknown`: also the row "wilayah tidak diketahui" (for the table; it has no polygon).
    `desa_codes`: the places and figures of those desa only (an RM's area).
    A new frame: the caller may modify it.
    """
    from etl import metrics

    month = as_of or latest_month()
    now = coverage_table(level=level, as_of=month, kecamatan=kecamatan, sector=sector,
                         with_unknown=with_unknown, desa_codes=desa_codes).copy()
    before_month = _shift_month(metrics.parse_month(month), -growth_months)
    before = coverage_table(level=level, as_of=before_month, kecamatan=kecamatan, sector=sector,
                            desa_codes=desa_codes)
    previous = before.dropna(subset=["kode"]).set_index("kode")["coverage_pct"]
    now["growth_pp"] = (now["coverage_pct"] - now["kode"].map(previous)).astype("Float64")
    enrolled = now["enrolled"].astype("Float64")
    now["lapse_pct"] = (100 * now["lapsed"].astype("Float64")
                        / enrolled.where(enrolled > 0)).round(1)
    return now


def _shift_month(first_day, months: int) -> str:
    index = first_day.year * 12 + first_day.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


# --- boundaries -----------------------------------------------------------------------------------

def _read_boundaries(con, level: str) -> pd.DataFrame:
    """kode, nama, geometry (shapely) of one level: geo.boundaries.read_layer when available,
    else straight from core.boundaries (the latest load of that level)."""
    try:
        from geo import boundaries
    except ImportError:
        boundaries = None
    if boundaries is not None and hasattr(boundaries, "read_layer"):
        layer = boundaries.read_layer(con, level)
    else:
        import shapely

        rows = con.execute(
            "SELECT code, name, geometry_geojson FROM core.boundaries WHERE level = ? "
            "QUALIFY row_number() OVER (PARTITION BY code ORDER BY load_id DESC) = 1 "
            "ORDER BY code", [level]).fetchall()
        layer = pd.DataFrame({"kode": [r[0] for r in rows], "nama": [r[1] for r in rows],
                              "geometry": shapely.from_geojson([r[2] for r in rows])
                              if rows else []})
    layer = layer.rename(columns={"code": "kode", "name": "nama"})
    return pd.DataFrame({"kode": layer["kode"].astype(str), "nama": layer["nama"],
                         "geometry": list(layer["geometry"])})


@st.cache_data(max_entries=16, show_spinner=False)
def _layer(ident, path: str, level: str) -> pd.DataFrame:
    # Kecamatan outlines are the ones stored at load, dissolved from their desa so the two
    # levels nest (geo.load, docs/rules.md §4): read as stored, never dissolved again.
    return _run(_read_boundaries, level)


def boundary_layer(level: str, parent: str | None = None,
                   desa_codes: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Polygons of one level (kabupaten, kecamatan, desa): kode, nama, geometry; only those
    under `parent` when given, only the desa of `desa_codes` (an RM's area) when given;
    empty when no boundaries of that level were loaded. Shared cached frame: do not modify it."""
    layer = _layer(identity(), str(db_path()), level)
    if parent:
        layer = layer[layer["kode"].str.startswith(parent + ".")]
    if desa_codes is not None:
        if level != "desa":
            raise ValueError("desa_codes: only desa polygons are limited to an area")
        layer = layer[layer["kode"].isin(desa_codes)]
    return layer
