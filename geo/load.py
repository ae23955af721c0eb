"""Loading one boundary file: ``python -m etl load boundaries FILE --level ...`` (geo.boundaries
describes the steps and the rules; this module runs them).

The file is read (geo.reading), its features keyed to codes (geo.matching), repaired, merged per
code and simplified (geo.geometry); then, in one write session, the level's rows of the
kabupaten in core.boundaries are replaced (with kecamatan and kabupaten outlines dissolved from
desa polygons and stored, so readers never dissolve again), rejected features go to
meta.quarantine, and the load is recorded through etl.load_log, the bookkeeping the tabular loads
use too.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from etl import db, gazetteer, identity, load_log, settings
from etl.load_log import LoadSummary
from etl.readers import InputError

from . import geometry
from .codes import LEVEL_DEPTH, code_depth
from .matching import feature_names, key_features
from .reading import read_file

KIND = "boundaries"


def load_boundaries(path: str | Path, level: str | None = None, db_path: str | Path | None = None,
                    kabupaten_code: str | None = None, code_column: str | None = None,
                    name_column: str | None = None, tolerance: float | None = None,
                    layer: str | None = None, options: dict | None = None) -> LoadSummary:
    """Load one boundary file; see the module docstring."""
    path = Path(str(path).removeprefix("zip://"))
    db_path = Path(db_path or settings.get("db"))
    kabupaten_code = kabupaten_code or settings.get("kabupaten")
    gazetteer.kabupaten(kabupaten_code)
    if level is not None and level not in LEVEL_DEPTH:
        raise InputError(f"Level '{level}' tidak dikenal: kabupaten, kecamatan atau desa.")
    tolerance = float(settings.get("simplify_tolerance") if tolerance is None else tolerance)
    if not path.exists():
        raise InputError(f"Berkas tidak ditemukan: {path}")
    sha = load_log.file_sha256(path)
    summary = LoadSummary(kind=KIND, file=path.name, file_sha256=sha, already_loaded=False)

    frame, notes = read_file(path, layer=layer, level=level)
    level, keyed, columns = key_features(frame, level, kabupaten_code, code_column, name_column)
    if load_log.already_loaded(db_path, KIND, sha, _same_load(level, tolerance)):
        summary.already_loaded = True
        return summary
    geoms = np.array([geometry.polygonal(g) if g is not None else None
                      for g in frame.geometry.values], dtype=object)
    raw_geoms = frame.geometry.values
    inside = keyed["status"] != "outside"
    no_geom = np.array([g is None for g in geoms]) & inside.to_numpy()
    keyed.loc[no_geom, ["status", "detail"]] = ["no_geometry", "fitur tanpa poligon"]
    ok = (keyed["status"] == "ok").to_numpy()
    repaired = 0
    if ok.any():
        fixed, repaired = geometry.repair(geoms[ok])
        geoms[ok] = fixed

    # Several features with one code (islands stored apart) become one multipolygon.
    accepted: dict[str, list[int]] = {}
    for i in np.flatnonzero(ok):
        accepted.setdefault(keyed.at[i, "code"], []).append(int(i))
    codes = sorted(accepted)
    merged = np.array([geoms[accepted[c][0]] if len(accepted[c]) == 1
                       else shapely.union_all(geoms[accepted[c]]) for c in codes], dtype=object)
    simplified, repaired_after = geometry.simplify_layer(merged, tolerance)
    names = feature_names(frame, columns, codes, accepted)

    quarantine_rows = []
    for i in np.flatnonzero(((keyed["status"] == "unmatched") | (keyed["status"] == "no_geometry")
                             ).to_numpy()):
        reason = "boundary_no_geometry" if keyed.at[i, "status"] == "no_geometry" else (
            "boundary_unmatched")
        parent = keyed.at[i, "parent"]
        quarantine_rows.append((int(i) + 1, reason, keyed.at[i, "detail"],
                                parent if code_depth(parent) == 3 else None,
                                _original(frame, i, raw_geoms[i])))
    outside = int((keyed["status"] == "outside").sum())
    gaz_codes = [r.code for r in gazetteer.regions(kabupaten_code) if r.level == level]
    missing = [c for c in gaz_codes if c not in accepted]
    payload = sum(len(geometry.geojson_text(g)) for g in simplified if g is not None)

    with db.write_session(db_path) as con:
        identity.check_key(con, kabupaten_code, is_demo=bool((options or {}).get("demo")))
        if load_log.loaded_in(con, KIND, sha, _same_load(level, tolerance)):
            summary.already_loaded = True
            return summary
        load_log.sync_regions(con, kabupaten_code)
        load_id = load_log.new_load_id(con)
        stored, superseded, derived = _store(con, load_id, level, kabupaten_code, codes, names,
                                             simplified, tolerance)
        if quarantine_rows:
            con.executemany(
                "INSERT INTO meta.quarantine VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(load_id, KIND, path.name, row, reason, detail, kec, None, original)
                 for row, reason, detail, kec, original in quarantine_rows])
        accepted_features = int(ok.sum())
        extra = {
            "level": level, "tolerance": tolerance, "features_in_file": len(frame),
            "outside": outside, "repaired": repaired + repaired_after,
            "merged_duplicates": accepted_features - len(codes), "stored": stored,
            "superseded_by_desa": superseded, "derived_from_desa": derived,
            "missing_codes": len(missing), "missing": missing[:50],
            "payload_bytes": payload, **notes,
        }
        summary.load_id = load_id
        summary.rows_read = accepted_features + len(quarantine_rows)
        summary.accepted = accepted_features
        summary.quarantined = len(quarantine_rows)
        summary.reasons = {}
        for _, reason, *_ in quarantine_rows:
            summary.reasons[reason] = summary.reasons.get(reason, 0) + 1
        summary.columns = columns
        summary.extra = extra
        # meta.loads counts the features merged into another of the same code as duplicates.
        load_log.record_load(con, summary, {"columns": columns, "reasons": summary.reasons,
                                            **extra}, duplicates=extra["merged_duplicates"])
    return summary


def _original(frame: gpd.GeoDataFrame, i: int, geom) -> str:
    record = {str(c): (None if pd.isna(v) else str(v))
              for c, v in frame.drop(columns=frame.geometry.name).iloc[i].items()}
    record["geometry"] = None if geom is None else shapely.to_geojson(geom)
    return json.dumps(record, ensure_ascii=False)


def _store(con, load_id: int, level: str, kabupaten_code: str, codes: list[str],
           names: list, geoms: np.ndarray, tolerance: float) -> tuple[int, int, int]:
    """Replace the level's rows of the kabupaten; derive kecamatan/kabupaten from desa.

    Returns (rows stored from the file, features superseded by desa-derived outlines, derived
    outlines stored)."""
    like = kabupaten_code + "%"
    con.execute("DELETE FROM core.boundaries WHERE level = ? AND code LIKE ? "
                "AND derived_from IS NULL", [level, like])
    derived_codes = {r[0] for r in con.execute(
        "SELECT code FROM core.boundaries WHERE level = ? AND code LIKE ? "
        "AND derived_from = 'desa'", [level, like]).fetchall()}
    rows = [(load_id, level, c, n, geometry.geojson_text(g), tolerance, None)
            for c, n, g in zip(codes, names, geoms) if g is not None and c not in derived_codes]
    superseded = sum(1 for c in codes if c in derived_codes)
    derived = 0
    if level == "desa":
        con.execute("DELETE FROM core.boundaries WHERE level IN ('kecamatan', 'kabupaten') AND "
                    "code LIKE ? AND derived_from = 'desa'", [like])
        valid = [i for i, g in enumerate(geoms) if g is not None]
        dcodes, dgeoms = [codes[i] for i in valid], np.array([geoms[i] for i in valid],
                                                              dtype=object)
        kec = geometry.dissolve(dcodes, dgeoms, 3) if dcodes else {}
        kec = {c: g for c, g in kec.items() if g is not None}
        # The kabupaten from its kecamatan outlines: the same shape, far fewer polygons to union.
        kab = geometry.dissolve(list(kec), np.array(list(kec.values()), dtype=object), 2) if kec else {}
        for parent_level, outlines in (("kecamatan", kec), ("kabupaten", kab)):
            for code, geom in outlines.items():
                if geom is None:
                    continue
                con.execute("DELETE FROM core.boundaries WHERE level = ? AND code = ?",
                            [parent_level, code])
                rows.append((load_id, parent_level, code, gazetteer.name_of(code),
                             geometry.geojson_text(geometry.round_coordinates(np.array([geom], dtype=object))[0]),
                             tolerance, "desa"))
                derived += 1
    if rows:
        con.executemany("INSERT INTO core.boundaries VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows) - derived, superseded, derived


def _same_load(level: str, tolerance: float):
    """A boundary file counts as loaded when it was loaded at this level and tolerance."""
    return lambda d: d.get("level") == level and float(d.get("tolerance", -1)) == tolerance
