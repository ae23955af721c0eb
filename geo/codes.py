"""Kemendagri codes in boundary files: the ways files write them, and which column holds them.

A code is normalised to its dotted form (``63.11.01.2001``); its depth is its number of parts
(2 kabupaten, 3 kecamatan, 4 desa). A code column is found by its values (most values codes of
the level), preferring the usual column names.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

LEVEL_DEPTH = {"kabupaten": 2, "kecamatan": 3, "desa": 4}
# Preferred when several columns hold codes (lower index first). Names are compared lower case.
CODE_COLUMN_HINTS = ("kode", "kode_kemendagri", "kd_kemendagri", "kode_wilayah", "kdepum",
                     "kdcpum", "kdpkab", "kode_desa", "kode_kec", "kode_kab", "adm4_pcode",
                     "adm3_pcode", "adm2_pcode", "pcode", "code", "id")


def normalise_code(value: object) -> str | None:
    """A Kemendagri code in dotted form from the ways files write it, else None.

    "63.11.01.2001", "6311012001", 6311012001, "6311012001.0", "ID6311012001" (OCHA pcode)
    -> "63.11.01.2001"; "63.11" and "6311" -> "63.11".
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (int, np.integer)):
        text = str(int(value))
    else:
        text = str(value).strip()
    text = re.sub(r"^(?i:id)", "", text)
    text = re.sub(r"\.0+$", "", text) if re.fullmatch(r"\d+\.0+", text) else text
    text = text.replace(" ", "")
    if re.fullmatch(r"\d{2}(\.\d{2}){1,2}(\.\d{4})?", text):
        return text
    if re.fullmatch(r"\d{2}|\d{4}|\d{6}|\d{10}", text):
        parts = [text[0:2], text[2:4], text[4:6], text[6:10]]
        return ".".join(p for p in parts if p)
    return None


def code_depth(code: str | None) -> int:
    return 0 if code is None else code.count(".") + 1


def property_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c != frame.geometry.name]


def detect_code_column(frame: pd.DataFrame, depth: int) -> tuple[str | None, float]:
    """The column whose values are codes of the given depth (share of non-empty values >= 0.8),
    preferring the usual names; (None, best share) when none qualifies."""
    best: tuple[float, int, str] | None = None
    for col in property_columns(frame):
        values = frame[col].dropna()
        if values.empty:
            continue
        sample = values.iloc[:500]
        share = sum(code_depth(normalise_code(v)) == depth for v in sample) / len(sample)
        name = str(col).lower()
        rank = CODE_COLUMN_HINTS.index(name) if name in CODE_COLUMN_HINTS else len(
            CODE_COLUMN_HINTS)
        key = (share, -rank, col)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None or best[0] < 0.8:
        return None, best[0] if best else 0.0
    return best[2], best[0]
