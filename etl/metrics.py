"""The one definition of every figure: coverage, gap, funnel, trend, targets, data freshness.

The CLI export (``python -m etl export coverage``), the dashboard and the tests all call these
functions, so a number on a page, in a CSV and in a test is the same number. They read the marts
(etl/sql/marts, rebuilt after every load) with SQL kept in etl/sql/queries; user values are always
bound as parameters. Every function takes a DuckDB connection, read-only or not.

Definitions (docs/rules.md §5; the dates each person counts at are documented in
etl/sql/marts/10_people.sql):

* The form funnel (FUNNEL_STEPS, the same names on the dashboard and in ``etl status``):
  registered = form registrants by the month end; verified = those with a 'verified' latest
  decision, or enrolled (enrolment implies verification); enrolled_form, active_form = those of
  them with a BPJS membership, and with premium paid through the month. Beside it, its own line:
  other_channel = members enrolled through another channel (their NIK never came through the
  form), other_channel_active of them active. registered >= verified >= enrolled_form >=
  active_form in every place and month.
* enrolled, active (coverage): every member, whatever the channel = enrolled_form +
  other_channel, active_form + other_channel_active; active = enrolled by the month end and
  premium paid through at least that month (marts.is_active). lapsed = enrolled - active.
* coverage_pct = 100 * active / estimated_workers, 1 decimal, NULL without an estimate;
  gap = estimated_workers - active (negative when coverage is above 100%: reported, not clipped;
  see coverage_issues).
* estimated_workers of an area = sum of the estimates of its desa that have one, for the year of
  the month asked (a year without estimates uses the latest earlier year, see
  etl/sql/marts/30_denominators.sql). estimate_desa of desa_total desa have an estimate: when
  fewer than all, the area's coverage reads high (partial_estimates lists such areas).
* as_of: a month 'YYYY-MM'. The months the data can answer run from its first month to its last
  month (marts.data_span: the latest submission, decision, enrolment or membership export date).
  Default: the latest COMPLETE month (the last month while it is still running is provisional,
  "sementara, s.d. <last day>": see data_span and month_note). A month after the last month is
  refused (MonthAfterData, naming the last month), never answered with another month's figures;
  a month before the first one gives zeros, with the estimate.
* lapse_pending: in the provisional month, members whose premium was paid through the month
  before and whose payment for the running month is not recorded yet. They are still counted
  active there, not lapsed (marts.is_active): the month's lapses are not final.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

import duckdb
import pandas as pd

from . import db, queries
from .sectors import SECTOR_LABELS

LEVELS = ("kabupaten", "kecamatan", "desa")
SECTORS = tuple(SECTOR_LABELS)

_COUNT_COLUMNS = ["registered", "verified", "enrolled", "active", "lapsed", "other_channel",
                  "lapse_pending", "other_channel_active"]

# The form funnel and the other channel, named once for the dashboard, the PDF and `etl status`.
FUNNEL_STEPS = (("registered", "Pendaftar formulir"), ("verified", "Lolos verifikasi"),
                ("enrolled_form", "Terdaftar BPJS lewat formulir"),
                ("active_form", "Aktif (iuran dibayar)"))
OTHER_CHANNEL_LABEL = "Terdaftar BPJS lewat jalur lain"
TOTAL_ACTIVE_LABEL = "Peserta aktif, semua jalur"


class DataDate(NamedTuple):
    data_date: str | None    # 'YYYY-MM-DD': the data's last day (marts.data_span.last_day)
    loaded_at: str | None    # 'YYYY-MM-DD HH:MM' of the latest load


class DataSpan(NamedTuple):
    """The months the data answers (marts.data_span), months as 'YYYY-MM', days 'YYYY-MM-DD'."""
    first_month: str | None
    last_month: str | None
    last_day: str | None
    provisional_month: str | None   # the last month while it is still running, else None
    default_month: str | None       # the latest complete month (a page opens on it)
    export_date: str | None         # date of the latest membership export
    export_source: str | None       # how that date was known (etl.loaders.members)


class MonthAfterData(ValueError):
    """A month after the data's last month: refused, never answered with another month."""


# -- helpers -----------------------------------------------------------------------------------

def _query(con: duckdb.DuckDBPyConnection, name: str, params: dict) -> pd.DataFrame:
    return queries.run(con, name, params)


def parse_month(value) -> dt.date | None:
    """'2025-10', '2025-10-31', a date or a Timestamp -> first day of that month (None -> None)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (dt.date, pd.Timestamp)):
        return dt.date(value.year, value.month, 1)
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})(?:-\d{1,2})?\s*", str(value))
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"Bulan '{value}' tidak dikenali: gunakan format TTTT-BB, misal 2025-10.")
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def _month_text(day: dt.date | None) -> str | None:
    return None if day is None else f"{day.year:04d}-{day.month:02d}"


def _day_text(day) -> str | None:
    return None if day is None or pd.isna(day) else pd.Timestamp(day).strftime("%Y-%m-%d")


def data_span(con) -> DataSpan:
    """The first, last, provisional and default months of the data (marts.data_span)."""
    try:
        row = _query(con, "data_span", {}).iloc[0]
    except (duckdb.CatalogException, IndexError):
        return DataSpan(None, None, None, None, None, None, None)

    def month(name):
        value = row[name]
        return None if pd.isna(value) else _month_text(pd.Timestamp(value).date())

    return DataSpan(month("first_month"), month("last_month"), _day_text(row["last_day"]),
                    month("provisional_month"), month("default_month"),
                    _day_text(row["export_date"]),
                    None if pd.isna(row["export_source"]) else str(row["export_source"]))


def check_month(con, as_of) -> str:
    """The month 'YYYY-MM' figures are taken at: `as_of` as asked (default: the latest complete
    month). A month after the data's last month raises MonthAfterData naming that month."""
    span = data_span(con)
    asked = parse_month(as_of)
    if asked is None:
        return span.default_month or _month_text(parse_month(dt.date.today()))
    if span.last_month is not None and _month_text(asked) > span.last_month:
        raise MonthAfterData(
            f"Bulan {_month_text(asked)} sesudah data terakhir: data hanya sampai bulan "
            f"{span.last_month} (tanggal data terakhir {span.last_day}). Pilih bulan "
            f"{span.last_month} atau sebelumnya, atau muat data yang lebih baru.")
    return _month_text(asked)


def _as_of(con, as_of) -> dt.date:
    """The month the figures are taken at, as a date (see check_month)."""
    return parse_month(check_month(con, as_of))


def provisional_through(con, as_of) -> str | None:
    """The data's last day 'YYYY-MM-DD' when `as_of` is the provisional (still running) month,
    else None. Every page, chart, export and the PDF then says "sementara, s.d. <that day>"
    beside the month (dashboard.layout.month_phrase)."""
    span = data_span(con)
    if span.provisional_month is None or check_month(con, as_of) != span.provisional_month:
        return None
    return span.last_day


def _check(level: str, sector: str | None) -> None:
    if level not in LEVELS:
        raise ValueError(f"Tingkat '{level}' tidak dikenal. Pilihan: {', '.join(LEVELS)}.")
    if sector is not None and sector not in SECTORS:
        raise ValueError(f"Sektor '{sector}' tidak dikenal. Pilihan: {', '.join(SECTORS)}.")


def _desa_list(desa_codes) -> list[str] | None:
    """The `desa_codes` parameter of the queries: None (no limit) or the desa codes as a list.
    An empty list limits to no desa at all (an area without desa shows nothing, never all)."""
    if desa_codes is None:
        return None
    if isinstance(desa_codes, str):
        raise TypeError("desa_codes: a list of desa codes, not one string")
    return sorted({str(code) for code in desa_codes})


def _ints(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    for column in columns:
        if column in frame:
            frame[column] = frame[column].astype("Int64")
    return frame


# -- which kabupaten -----------------------------------------------------------------------------

def kabupaten_code(con) -> str:
    """The kabupaten the database was built for (meta.database), so that a dashboard started
    without CAKUPAN_KABUPATEN still names and lists the right places; the setting otherwise."""
    from . import settings

    try:
        rows = con.execute("SELECT kabupaten_code FROM meta.database").fetchall()
    except duckdb.CatalogException:
        rows = []
    return rows[0][0] if rows else settings.get("kabupaten")


# -- months and freshness ----------------------------------------------------------------------

def latest_month(con) -> str | None:
    """The data's last month, 'YYYY-MM' (None when nothing is loaded); it may be provisional."""
    return data_span(con).last_month


def default_month(con) -> str | None:
    """The month a page, the public figures and the PDF open on: the latest complete month."""
    return data_span(con).default_month


def months(con) -> list[str]:
    """Every month from the first to the latest month with data, 'YYYY-MM', oldest first."""
    rows = con.execute("SELECT DISTINCT strftime(month, '%Y-%m') AS m FROM marts.monthly "
                       "ORDER BY m").fetchall()
    return [r[0] for r in rows]


def data_date(con) -> DataDate:
    """Freshness of the data: (its last day 'YYYY-MM-DD', latest load time)."""
    try:
        row = _query(con, "data_date", {}).iloc[0]
    except duckdb.CatalogException:  # nothing loaded yet: no marts
        return DataDate(None, None)
    day, loaded = row["data_date"], row["loaded_at"]
    return DataDate(None if pd.isna(day) else pd.Timestamp(day).strftime("%Y-%m-%d"),
                    None if pd.isna(loaded) else pd.Timestamp(loaded).strftime("%Y-%m-%d %H:%M"))


# -- coverage ----------------------------------------------------------------------------------

UNKNOWN_PLACE = "wilayah tidak diketahui"


def coverage_table(con, level: str = "kecamatan", by_sector: bool = False, as_of=None,
                   kecamatan: str | None = None, sector: str | None = None,
                   with_unknown: bool = False, desa_codes=None) -> pd.DataFrame:
    """Coverage per place (and sector) at the end of the month `as_of` (see module docstring).

    Columns: kode, nama, [sektor, sektor_label when by_sector], estimated_workers, registered,
    verified, enrolled, active, coverage_pct, gap, lapsed, other_channel, estimate_desa,
    desa_total. Every place of the level
    in the kabupaten appears (only the desa of `kecamatan` when given at desa level), with zeros
    when it has no data; by sector, every sector appears for every place. People whose desa is
    unknown are always in the kabupaten's row; `with_unknown` adds them as a last row named
    UNKNOWN_PLACE (kode missing) at the other levels, so the rows add up to the kabupaten.
    `desa_codes` (e.g. an RM's area; None = no limit): figures of those desa only, so a
    kabupaten or kecamatan row is the part of it inside them, only kecamatan holding one of them
    are listed, and people whose desa is unknown are in no row (they are in no area).
    """
    _check(level, sector)
    month = _as_of(con, as_of)
    if by_sector:
        sectors = [sector] if sector else list(SECTORS)
    else:
        sectors = [None]
    frame = _query(con, "coverage", {
        "level": level, "as_of": month, "year": month.year, "kecamatan": kecamatan or None,
        "sector": sector or None, "by_sector": bool(by_sector), "sectors": sectors,
        "with_unknown": bool(with_unknown), "desa_codes": _desa_list(desa_codes)})
    frame = _ints(frame, ["estimated_workers", "gap", *_COUNT_COLUMNS, "estimate_desa",
                          "desa_total", "estimate_year", "estimate_year_min"])
    frame["year"] = pd.array([month.year] * len(frame), dtype="Int64")  # the year asked
    frame["coverage_pct"] = frame["coverage_pct"].astype("Float64")
    if by_sector:
        frame.insert(3, "sektor_label", frame["sektor"].map(SECTOR_LABELS).astype("str"))
    else:
        frame = frame.drop(columns=["sektor"])
    return frame.reset_index(drop=True)


def partial_estimates(table: pd.DataFrame) -> pd.DataFrame:
    """Rows of a coverage_table whose estimate covers only some of their desa: people in the
    other desa are counted while their workers are not, so the coverage shown is too high."""
    partial = table["estimated_workers"].notna() & (table["estimate_desa"] < table["desa_total"])
    return table[partial].reset_index(drop=True)


def estimate_year_note(table: pd.DataFrame) -> str | None:
    """When the estimates used are not the year asked's own (a year without its own estimate
    takes the nearest earlier year's), one Indonesian sentence saying which year's were used;
    None when every estimate is of the year asked. `table`: a coverage_table."""
    used = table.dropna(subset=["estimate_year"])
    if used.empty:
        return None
    year = int(used["year"].iloc[0])
    low, high = int(used["estimate_year_min"].min()), int(used["estimate_year"].max())
    if low == high == year:
        return None
    years = str(low) if low == high else f"{low}-{high}"
    if high < year:
        return (f"Perkiraan pekerja tahun {year} belum ada: cakupan dihitung dengan perkiraan "
                f"tahun {years} (tahun terdekat sebelumnya).")
    if low > year:
        return (f"Perkiraan pekerja tahun {year} belum ada: cakupan dihitung dengan perkiraan "
                f"tahun {years} (yang paling awal tersedia).")
    return (f"Sebagian perkiraan pekerja bukan perkiraan tahun {year}: dipakai perkiraan tahun "
            f"{years} (tahun terdekat sebelumnya, atau yang paling awal bila belum ada).")


def coverage_issues(con, as_of=None) -> pd.DataFrame:
    """Desa whose active members exceed the estimated workers (coverage above 100%).

    This is a denominator problem (an old or wrong estimate) to fix at the source: it is reported
    here, never clipped. Columns: kode, nama, kecamatan_kode, kecamatan_nama, estimated_workers,
    active, coverage_pct, excess (active - estimated_workers).
    """
    table = coverage_table(con, level="desa", as_of=as_of)
    over = table[table["estimated_workers"].notna()
                 & (table["active"] > table["estimated_workers"])].copy()
    kec = dict(con.execute(
        "SELECT d.code, k.code || '|' || k.name FROM core.regions AS d "
        "JOIN core.regions AS k ON k.code = d.parent_code WHERE d.level = 'desa'").fetchall())
    parent = over["kode"].map(kec)
    over.insert(2, "kecamatan_kode", parent.str.split("|").str[0])
    over.insert(3, "kecamatan_nama", parent.str.split("|").str[1])
    over["excess"] = (over["active"] - over["estimated_workers"]).astype("Int64")
    columns = ["kode", "nama", "kecamatan_kode", "kecamatan_nama", "estimated_workers", "active",
               "coverage_pct", "excess"]
    return over[columns].sort_values("excess", ascending=False).reset_index(drop=True)


def unplaced(con) -> dict:
    """People counted nowhere because their desa is unknown or outside the kabupaten (members
    whose export has no or a foreign desa code). Reported on the data-quality page."""
    rows = con.execute("SELECT channel, count(*) FROM marts.people WHERE NOT placed "
                       "GROUP BY channel").fetchall()
    return {"total": sum(n for _, n in rows), **{channel: n for channel, n in rows}}


# -- funnel and trend --------------------------------------------------------------------------

def funnel(con, as_of=None, kecamatan: str | None = None, sector: str | None = None,
           desa_codes=None) -> dict:
    """The funnel at the end of `as_of` (see the module docstring): registered (= submitted),
    verified, rejected, enrolled_form, active_form, and beside it other_channel,
    other_channel_active; enrolled, active, lapsed, lapse_pending over every channel; and the
    median days submitted -> verified and verified -> enrolled (form channel, steps completed
    by that month; None without cases). `desa_codes`: only those desa (see coverage_table)."""
    _check("desa", sector)
    params = {"as_of": _as_of(con, as_of), "kecamatan": kecamatan or None,
              "sector": sector or None, "desa_codes": _desa_list(desa_codes)}
    counts = _query(con, "funnel_counts", params).iloc[0]
    durations = _query(con, "funnel_durations", params).iloc[0]
    out = {name: int(counts[name]) for name in
           ("submitted", "verified", "rejected", "enrolled", "active", "lapsed", "other_channel",
            "lapse_pending", "other_channel_active")}
    out["registered"] = out["submitted"]
    out["enrolled_form"] = out["enrolled"] - out["other_channel"]
    out["active_form"] = out["active"] - out["other_channel_active"]
    for name in ("median_days_to_verify", "median_days_to_enrol"):
        value = durations[name]
        out[name] = None if pd.isna(value) else float(value)
    return out


def monthly_trend(con, kecamatan: str | None = None, sector: str | None = None,
                  desa_codes=None) -> pd.DataFrame:
    """One row per month 'YYYY-MM': cumulative registered, verified, enrolled, active at the month
    end, the month's new_registered and new_enrolled, then new_verified, rejected, lapsed,
    other_channel. `desa_codes`: only those desa (see coverage_table)."""
    _check("desa", sector)
    frame = _query(con, "monthly_trend", {"kecamatan": kecamatan or None,
                                          "sector": sector or None,
                                          "desa_codes": _desa_list(desa_codes)})
    return _ints(frame, [c for c in frame.columns if c != "month"])


# -- targets -----------------------------------------------------------------------------------

def targets_for(con, year: int, level: str | None = None) -> pd.DataFrame:
    """Targets of a year: level, code, quarter, month, target (the latest load wins)."""
    frame = _query(con, "targets", {"year": int(year), "level": level or None})
    return _ints(frame, ["quarter", "month", "target"])
