"""Probes of the privacy tests: every personal string a database holds, in the forms a page or a
file could print it, and the measures that are counts of people (suppressed when small)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from etl import db

# Columns of the public long table that count people or claims: small cells of these are hidden.
COUNT_MEASURES = {"peserta_aktif", "aktif_L", "aktif_P", "aktif_?", "jumlah_klaim"}


def personal_strings(path: Path) -> set[str]:
    """Every NIK, KK, name and phone number the database holds, as they could be printed.

    Very short values (a 3-digit 'NIK' typed by mistake, a one-word name like 'Ani') would match
    ordinary numbers and words on any page, so digit strings of fewer than 8 digits and names of
    fewer than 6 letters are left out; every real NIK, KK and phone number is longer.
    """
    con = db.connect_readonly(path)
    try:
        rows = con.execute("SELECT nik, kk, full_name, phone FROM private.persons").fetchall()
        originals = [json.loads(r[0]) for r in
                     con.execute("SELECT original FROM meta.quarantine").fetchall()]
    finally:
        con.close()
    values = {v for row in rows for v in row if v}
    for original in originals:
        for header, value in original.items():
            if value and re.search(r"NIK|KK|KELUARGA|NAMA|HP|WA|TELP", header.upper()):
                values.add(str(value).strip())
    out = set()
    for v in values:
        digits = re.sub(r"\D", "", v)
        if v.replace(" ", "").replace("+", "").replace("-", "").isdigit():
            if len(digits) >= 8:
                out.add(digits)
        elif len(re.sub(r"\W", "", v)) >= 6:
            out.add(v)
    return out


def variants(text: str) -> list[bytes]:
    # Names as typed and as the page might case them; digits also as UTF-16 (XLSX is zipped, so
    # callers search its bytes after unzipping).
    forms = {text, text.upper(), text.title(), text.lower()}
    return [f.encode("utf-8") for f in forms]
