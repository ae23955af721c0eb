"""Recognising the columns of an input file by keyword, case-insensitively, through aliases.

Real headers are long questions ("NOMOR INDUK KEPENDUDUKAN (16 NIK Sesuai KTP, misal: ...)"),
short codes ("NIK"), or English ("National ID"). A header matches a field when one of the field's
aliases appears in it as whole words after normalisation. Each header serves one field at most;
fields are tried in the order given, so a more specific field (KK, "nomor kartu keluarga") can be
listed before a looser one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Field:
    name: str                 # canonical name used in the staging SQL
    aliases: tuple[str, ...]  # whole-word phrases, normalised (lower case, single spaces)
    required: bool = True
    label: str = ""           # how the error message names it (Indonesian)
    exclude: tuple[str, ...] = ()  # phrases that disqualify a header (e.g. "nik" inside a KK question)
    # Longest plausible value in characters; a longer one quarantines its row (value_too_long):
    # a 10,000-character "name" is a paste gone wrong, not a name. Generous on purpose: a file
    # whose lines are all shorter than the smallest limit needs no per-cell check at all.
    max_length: int = 500


class MissingColumns(ValueError):
    """A required column is not in the file; nothing is loaded."""


def normalise_header(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    # Example values in long questions ("misal: 6311...") say nothing about the column.
    text = re.sub(r"\b(misal|contoh|mis|e\.?g)\b.*$", "", text)
    return " " + re.sub(r"[^a-z0-9]+", " ", text).strip() + " "


def required_found(headers: list[str], fields: list[Field]) -> tuple[int, int]:
    """(required fields a row of headers names, required fields): how etl.readers recognises
    the header row below title rows."""
    required = [f for f in fields if f.required]
    try:
        found = match_columns(headers, fields)
    except MissingColumns:
        found = match_columns(headers, [replace(f, required=False) for f in fields])
    return sum(1 for f in required if f.name in found), len(required)


def match_columns(headers: list[str], fields: list[Field], file_label: str = "berkas"
                  ) -> dict[str, int]:
    """Map each field name to the index of its header; raise MissingColumns naming what lacks."""
    normalised = [normalise_header(h) for h in headers]
    taken: set[int] = set()
    found: dict[str, int] = {}
    for f in fields:
        best: tuple[int, int] | None = None  # (-score, index): exact header first, then longest alias
        for i, h in enumerate(normalised):
            if i in taken or any(f" {x} " in h for x in f.exclude):
                continue
            for alias in f.aliases:
                if f" {alias} " in h:
                    score = 1000 if h.strip() == alias else len(alias)
                    if best is None or -score < best[0]:
                        best = (-score, i)
        if best is not None:
            found[f.name] = best[1]
            taken.add(best[1])
    missing = [f for f in fields if f.required and f.name not in found]
    if missing:
        names = ", ".join(f"{f.label or f.name} (mis. judul '{f.aliases[0].upper()}')"
                          for f in missing)
        raise MissingColumns(
            f"Kolom wajib tidak ditemukan di {file_label}: {names}. Judul kolom yang ada: "
            f"{'; '.join(h[:60] for h in headers)}. Tidak ada data yang dimuat.")
    return found


def same_field_columns(headers: list[str], found: dict[str, int]) -> dict[str, list[int]]:
    """Columns that repeat a matched column's header (KECAMATAN twice; "KECAMATAN.1" as pandas
    names a repeat): field name -> the indices of the repeats. The loader merges them when they
    never disagree (etl.row_checks) instead of silently reading the first."""
    taken = set(found.values())
    keys = [normalise_header(re.sub(r"\.\d+$", "", h)) for h in headers]
    out: dict[str, list[int]] = {}
    for name, i in found.items():
        repeats = [j for j, k in enumerate(keys) if j != i and j not in taken and k == keys[i]]
        if repeats:
            out[name] = repeats
            taken.update(repeats)
    return out
