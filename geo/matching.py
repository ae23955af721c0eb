"""Keying boundary features to Kemendagri codes of the configured kabupaten.

By a code column (given, or detected by geo.codes), else by names resolved through the gazetteer
within the kabupaten (a desa within its kecamatan, given by a parent code or kecamatan name column
when there is one; without one, a desa name must be unambiguous across the kabupaten). Each
feature gets a status: ``ok`` (with its code), ``outside`` (another kabupaten: counted, not
kept), ``unmatched`` (this kabupaten but no known code: quarantined with the detail).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from etl import gazetteer, settings
from etl.readers import InputError

from .codes import LEVEL_DEPTH, code_depth, detect_code_column, normalise_code, property_columns

NAME_COLUMN_HINTS = {
    "desa": ("nama", "name", "namobj", "wadmkd", "nama_desa", "desa", "kelurahan", "desa_kel",
             "adm4_en", "adm4_id"),
    "kecamatan": ("nama", "name", "namobj", "wadmkc", "nama_kec", "kecamatan", "adm3_en",
                  "adm3_id"),
    "kabupaten": ("nama", "name", "namobj", "wadmkk", "nama_kab", "kabupaten", "kab_kota",
                  "adm2_en", "adm2_id"),
}
PARENT_NAME_HINTS = ("kecamatan", "nama_kec", "wadmkc", "kec", "adm3_en", "adm3_id")


def _find_column(frame: pd.DataFrame, hints: tuple[str, ...], exclude: set[str]) -> str | None:
    lower = {str(c).lower(): c for c in property_columns(frame) if c not in exclude}
    for hint in hints:
        if hint in lower:
            return lower[hint]
    return None


def _given_column(frame: pd.DataFrame, name: str, what: str) -> str:
    lower = {str(c).lower(): c for c in property_columns(frame)}
    if name.lower() not in lower:
        raise InputError(f"Kolom {what} '{name}' tidak ada di berkas. Kolom yang ada: "
                         f"{', '.join(map(str, property_columns(frame)))}.")
    return lower[name.lower()]


def key_features(frame: gpd.GeoDataFrame, level: str | None, kabupaten_code: str,
                  code_column: str | None, name_column: str | None
                  ) -> tuple[str, pd.DataFrame, dict]:
    """(level, per-feature table with code/status/detail/parent, columns used)."""
    columns: dict[str, str] = {}
    code_col = None
    if code_column:
        code_col = _given_column(frame, code_column, "kode")
    elif not name_column:
        depths = [LEVEL_DEPTH[level]] if level else [4, 3, 2]
        found = [(detect_code_column(frame, d), d) for d in depths]
        found = [((c, s), d) for (c, s), d in found if c is not None]
        if found:
            (code_col, _), depth = max(found, key=lambda f: f[0][1])
            level = level or next(k for k, v in LEVEL_DEPTH.items() if v == depth)
    if level is None:
        raise InputError("Level batas wilayah tidak dapat ditentukan dari berkas: sebutkan "
                         "--level kecamatan, desa atau kabupaten.")
    depth = LEVEL_DEPTH[level]
    regions = gazetteer.regions(kabupaten_code)
    known = {r.code: r for r in regions}
    prefix = kabupaten_code + "."
    rows = []
    if code_col is not None:
        columns["code"] = str(code_col)
        name_col = _find_column(frame, NAME_COLUMN_HINTS[level], {code_col})
        if name_col is not None:
            columns["name"] = str(name_col)
        for value in frame[code_col].tolist():
            code = normalise_code(value)
            rows.append(_judge_code(code, value, depth, kabupaten_code, prefix, known))
        return level, pd.DataFrame(rows, columns=["code", "status", "detail", "parent"]), columns

    name_col = (_given_column(frame, name_column, "nama") if name_column
                else _find_column(frame, NAME_COLUMN_HINTS[level], set()))
    if name_col is None:
        raise InputError(
            "Tidak ada kolom kode Kemendagri (mis. 'kode', 'KDEPUM', dengan kode seperti "
            f"{kabupaten_code}.01) maupun kolom nama di berkas. Kolom yang ada: "
            f"{', '.join(map(str, property_columns(frame)))}. Sebutkan --code-column atau --name-column.")
    columns["name"] = str(name_col)
    parent_code_col = parent_name_col = None
    if level != "kabupaten":
        parent_code_col, _ = detect_code_column(frame.drop(columns=[name_col]), depth - 1)
        if parent_code_col is None and level == "desa":
            parent_name_col = _find_column(frame, PARENT_NAME_HINTS, {name_col})
    if parent_code_col is not None:
        columns["parent_code"] = str(parent_code_col)
    if parent_name_col is not None:
        columns["parent_name"] = str(parent_name_col)
    resolver = gazetteer.Resolver(kabupaten_code, settings.get("fuzzy_min_score"))
    kab_name = gazetteer.normalise(gazetteer.kabupaten(kabupaten_code).name)
    kecamatan = gazetteer.kecamatan_list(kabupaten_code)
    for i in range(len(frame)):
        name = frame[name_col].iloc[i]
        parent = (normalise_code(frame[parent_code_col].iloc[i]) if parent_code_col is not None
                  else None)
        if level == "kabupaten":
            hit = gazetteer.normalise(name) in (kab_name, gazetteer.normalise(
                str(kab_name).replace("kabupaten ", "")))
            rows.append((kabupaten_code, "ok", None, None) if hit
                        else (None, "outside", None, None))
            continue
        if parent is not None and not (parent + ".").startswith(prefix):
            rows.append((None, "outside", f"induk {parent}", parent))
            continue
        if level == "kecamatan":
            kec, _, _, candidates = resolver.resolve_kecamatan(name)
            rows.append((kec.code, "ok", None, kabupaten_code) if kec
                        else (None, "unmatched", f"nama '{name}' tidak dikenal; terdekat: "
                              f"{candidates}", kabupaten_code))
            continue
        if parent is not None or parent_name_col is not None:
            kec_text = parent if parent is not None else frame[parent_name_col].iloc[i]
            m = resolver.resolve(kec_text, name)
            if m.desa_code:
                rows.append((m.desa_code, "ok", None, m.kecamatan_code))
            elif m.reason in ("kecamatan_unknown", "kecamatan_missing") and parent is None:
                rows.append((None, "outside", f"kecamatan '{kec_text}'", None))
            else:
                rows.append((None, "unmatched", f"desa '{name}' tidak dikenal di kecamatan "
                             f"'{kec_text}'; terdekat: {m.candidates}", m.kecamatan_code))
            continue
        # No parent at all: the name must be unambiguous across the kabupaten.
        hits = {m.desa_code: m for m in (resolver.resolve(k.code, name) for k in kecamatan)
                if m.desa_code}
        if len(hits) == 1:
            m = next(iter(hits.values()))
            rows.append((m.desa_code, "ok", None, m.kecamatan_code))
        else:
            rows.append((None, "unmatched", f"desa '{name}': " + (
                "nama ada di beberapa kecamatan, tambahkan kolom kecamatan" if hits
                else "tidak dikenal di kabupaten ini"), None))
    return level, pd.DataFrame(rows, columns=["code", "status", "detail", "parent"]), columns


def _judge_code(code, value, depth, kabupaten_code, prefix, known) -> tuple:
    if code is None:
        return (None, "unmatched", f"kode '{value}' bukan kode Kemendagri", None)
    parent = code.rsplit(".", 1)[0] if "." in code else None
    inside = code == kabupaten_code if depth == 2 else code.startswith(prefix)
    if code_depth(code) != depth:
        if (code + ".").startswith(prefix) or code.startswith(prefix):
            return (None, "unmatched", f"kode {code} bukan kode tingkat ini", parent)
        return (None, "outside", None, parent)
    if not inside:
        return (None, "outside", None, parent)
    if code not in known:
        hint = " (mungkin kode BPS, bukan Kemendagri)" if depth == 4 and code[-4] == "0" else ""
        return (None, "unmatched", f"kode {code} tidak ada di daftar wilayah{hint}", parent)
    return (code, "ok", None, parent)


def feature_names(frame, columns, codes, accepted) -> list[str | None]:
    """The name of each accepted code: the gazetteer's, else the file's."""
    out = []
    for code in codes:
        if "name" in columns and columns.get("code"):
            out.append(str(frame[columns["name"]].iloc[accepted[code][0]]))
        else:
            out.append(gazetteer.name_of(code))
    return [gazetteer.name_of(c) or n for c, n in zip(codes, out)]
