"""Indonesian number and date formats: the one module that turns figures into text.

Every page, the PDF brief, the public page and site, the CLI's messages and the load reports
format through these functions, so 12.345, 45,6% and "31 Oktober 2026" read the same everywhere.
It lives in etl (the lowest layer) because the CLI and the loaders write Indonesian text too;
dashboard.layout re-exports the names the pages use.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember")

MISSING = "-"


def is_missing(x) -> bool:
    """None, NaN, pandas NA or NaT."""
    if x is None or x is pd.NA or x is pd.NaT:
        return True
    return isinstance(x, float) and math.isnan(x)


def fmt_int(x, missing: str = MISSING) -> str:
    """12345 -> '12.345' (rounded to a whole number); missing -> `missing`."""
    if is_missing(x):
        return missing
    return f"{int(round(float(x))):,}".replace(",", ".")


def fmt_signed(x, missing: str = MISSING) -> str:
    """A change: 1234 -> '+1.234', -5 -> '-5', 0 -> '+0'."""
    if is_missing(x):
        return missing
    return f"{int(round(float(x))):+,}".replace(",", ".")


def fmt_decimal(x, digits: int = 1, missing: str = MISSING) -> str:
    """45.64 -> '45,6' (decimal comma, no thousands separator)."""
    if is_missing(x):
        return missing
    return f"{float(x):.{digits}f}".replace(".", ",")


def fmt_percent(value, digits: int = 1, missing: str = MISSING) -> str:
    """A value already in percent: 45.64 -> '45,6%'."""
    return missing if is_missing(value) else f"{fmt_decimal(value, digits)}%"


def fmt_pct(ratio, digits: int = 1, missing: str = MISSING) -> str:
    """A ratio: 0.456 -> '45,6%'."""
    return missing if is_missing(ratio) else fmt_percent(float(ratio) * 100, digits)


def fmt_rupiah(x, missing: str = MISSING) -> str:
    """568562400 -> 'Rp568.562.400'."""
    return missing if is_missing(x) else f"Rp{fmt_int(x)}"


def fmt_juta(x, missing: str = MISSING) -> str:
    """Rupiah in whole millions: 568562400 -> '569' (for headline cards; tables keep rupiah)."""
    return missing if is_missing(x) else fmt_int(float(x) / 1e6)


def fmt_date(d, missing: str = MISSING) -> str:
    """2026-10-31 (a date, a timestamp or ISO text) -> '31 Oktober 2026'."""
    if is_missing(d) or d == "":
        return missing
    if isinstance(d, str):
        d = dt.date.fromisoformat(d[:10])
    if isinstance(d, pd.Timestamp):
        d = d.date()
    return f"{d.day} {MONTHS_ID[d.month - 1]} {d.year}"


def fmt_month(month, missing: str = MISSING) -> str:
    """'2026-10' (or a date) -> 'Oktober 2026'."""
    if is_missing(month) or month == "":
        return missing
    text = str(month)
    return f"{MONTHS_ID[int(text[5:7]) - 1]} {text[:4]}"
