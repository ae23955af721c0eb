"""Every CSV and XLSX file Cakupan writes goes through this module (CLI exports, the dashboard's
download buttons, the open data of the transparency page, the quarantine export).

Spreadsheet programs run a text cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula
(tab and carriage return are read the same way by some of them): a form answer such as
``=HYPERLINK("http://evil","klik")`` or ``+cmd|' /C calc'!A0`` in a downloaded file is a live
formula in the data officer's Excel (CSV/formula injection). Following OWASP's guidance, such a
text cell is written with a leading apostrophe, which every spreadsheet shows as text and which
is visibly not part of the data. Numbers stay numbers: only text cells are touched, and a text
that is itself a plain number ("-12", "-3,5") or a lone "-" (our "no value") cannot run and is
left alone. Column headers come from the files too (the quarantine export keeps the original
headers) and get the same treatment.

XLSX files are written by xlsxwriter with ``strings_to_formulas`` off, so no text ever becomes a
formula even when the apostrophe rule would not catch it.
"""

from __future__ import annotations

import io
import re
from typing import IO

import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[-+]?\d+(?:[.,]\d+)*$")


def neutralise_text(value):
    """One cell: a text that a spreadsheet would run gets a leading apostrophe; anything else
    (numbers, dates, missing values, harmless text) is returned unchanged."""
    if not isinstance(value, str) or not value.startswith(TRIGGERS):
        return value
    if value == "-" or _PLAIN_NUMBER.match(value):
        return value
    return "'" + value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of the frame with every text cell and header neutralised; numeric, boolean and
    date columns are not touched, so they stay numbers and dates in the file."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
            continue
        # Element by element with the column's own dtype: Series.map would infer a new dtype and
        # turn a mixed column of whole numbers and decimals (object) into floats ("21.0").
        out[column] = pd.Series([neutralise_text(v) for v in series], index=series.index,
                                dtype=object if isinstance(series.dtype, pd.CategoricalDtype)
                                else series.dtype)
    out.columns = [neutralise_text(str(c)) if isinstance(c, str) else c for c in out.columns]
    return out


def write_csv(frame: pd.DataFrame, target: IO[str] | None = None) -> str | None:
    """The frame as CSV (no index) into a text stream, or as a string when no target is given.

    Lines end in CRLF (RFC 4180) so that a field holding a bare carriage return is quoted: with
    "\n" endings the csv module leaves "a\r=1+1" unquoted, and a reader that splits lines at
    the CR starts a new row with a live "=1+1"."""
    return neutralise(frame).to_csv(target, index=False, lineterminator="\r\n")


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return write_csv(frame).encode("utf-8")


def xlsx_bytes(sheets: dict[str, pd.DataFrame] | pd.DataFrame, sheet: str = "data") -> bytes:
    """One or more frames as an XLSX workbook (sheet name -> frame), no formula from data."""
    if isinstance(sheets, pd.DataFrame):
        sheets = {sheet: sheets}
    buf = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(buf, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        for name, frame in sheets.items():
            neutralise(frame).to_excel(writer, sheet_name=name[:31], index=False)
    return buf.getvalue()
