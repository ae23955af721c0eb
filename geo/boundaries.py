"""Boundaries: official polygons keyed to Kemendagri codes, simplified for the web.

Owns ``python -m etl load boundaries FILE --level kecamatan|desa|kabupaten`` and the map layers
the dashboard reads (``read_layer``, ``feature_collection``).

A load:

1. reads GeoJSON, GeoPackage or a zipped Shapefile (geopandas/pyogrio; ``x.zip`` is read through
   ``zip://``); any CRS is reprojected to EPSG:4326. A file without a CRS is taken as lon/lat only
   when its coordinates fit lon/lat ranges; otherwise it is refused.
2. keys each feature to a Kemendagri code: a code column (given, or detected among the columns
   whose values look like codes of the level: ``kode``, ``kode_kemendagri``, ``KDEPUM``,
   ``ADM4_PCODE`` "ID6311012001", dotted or not), else names resolved through the gazetteer
   within the configured kabupaten (a desa within its kecamatan, given by a parent code or
   kecamatan name column when there is one).
3. keeps the features of the configured kabupaten. Features of other kabupaten (a province file)
   are counted as ``outside``; features of this kabupaten that match no code, or have no polygon,
   go to meta.quarantine (reason ``boundary_unmatched`` / ``boundary_no_geometry``) with their
   properties and geometry: never silently dropped.
4. repairs invalid polygons (``shapely.make_valid``, counted), simplifies the layer with shared
   edges kept (``shapely.coverage_simplify``, tolerance from the setting ``simplify_tolerance``
   unless given, stored on every row), and rounds coordinates to 5 decimals (about 1 m).
5. replaces the level's rows of the kabupaten in core.boundaries and records the load in
   meta.loads (kind ``boundaries``; the same file at the same level and tolerance loads once).

Nesting (DESIGN.md §4): official kecamatan polygons are much coarser than desa polygons, so a map
that draws both does not nest. Dissolution therefore happens **at load time**: every desa load
also stores kecamatan and kabupaten outlines dissolved from the simplified desa polygons
(``derived_from = 'desa'``), replacing the file polygons of those codes. Gaps between desa
polygons that no other kecamatan covers are filled so the outlines have no pinholes. A kecamatan
or kabupaten file loaded later only fills codes that no desa polygon covers (its other features
are counted ``superseded_by_desa``). Figures are always rolled up by code, never by containment.
core.boundaries thus holds one row per (level, code).

``rows_read`` of a boundary load counts the features of this kabupaten (accepted + quarantined);
the file's total and the ``outside`` count are in the load's details.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.geometry

from etl import db, gazetteer, identity, marts, settings
from etl.loading import LoadSummary, file_sha256, sync_regions
from etl.readers import InputError

KIND = "boundaries"
LEVEL_DEPTH = {"kabupaten": 2, "kecamatan": 3, "desa": 4}
PRECISION = 5                      # decimals kept: about 1.1 m at the equator
# Preferred when several columns hold codes (lower index first). Names are compared lower case.
CODE_COLUMN_HINTS = ("kode", "kode_kemendagri", "kd_kemendagri", "kode_wilayah", "kdepum",
                     "kdcpum", "kdpkab", "kode_desa", "kode_kec", "kode_kab", "adm4_pcode",
                     "adm3_pcode", "adm2_pcode", "pcode", "code", "id")
NAME_COLUMN_HINTS = {
    "desa": ("nama", "name", "namobj", "wadmkd", "nama_desa", "desa", "kelurahan", "desa_kel",
             "adm4_en", "adm4_id"),
    "kecamatan": ("nama", "name", "namobj", "wadmkc", "nama_kec", "kecamatan", "adm3_en",
                  "adm3_id"),
    "kabupaten": ("nama", "name", "namobj", "wadmkk", "nama_kab", "kabupaten", "kab_kota",
                  "adm2_en", "adm2_id"),
}
PARENT_NAME_HINTS = ("kecamatan", "nama_kec", "wadmkc", "kec", "adm3_en", "adm3_id")
# A hole in a dissolved outline is filled when it is this small relative to its polygon and not
# covered by another unit's polygons: a gap between neighbouring desa, not an enclave.
GAP_FILL_RATIO = 0.01


# --- codes -----------------------------------------------------------------------------------

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


def _depth(code: str | None) -> int:
    return 0 if code is None else code.count(".") + 1


def _columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c != frame.geometry.name]


def detect_code_column(frame: pd.DataFrame, depth: int) -> tuple[str | None, float]:
    """The column whose values are codes of the given depth (share of non-empty values >= 0.8),
    preferring the usual names; (None, best share) when none qualifies."""
    best: tuple[float, int, str] | None = None
    for col in _columns(frame):
        values = frame[col].dropna()
        if values.empty:
            continue
        sample = values.iloc[:500]
        share = sum(_depth(normalise_code(v)) == depth for v in sample) / len(sample)
        name = str(col).lower()
        rank = CODE_COLUMN_HINTS.index(name) if name in CODE_COLUMN_HINTS else len(
            CODE_COLUMN_HINTS)
        key = (share, -rank, col)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None or best[0] < 0.8:
        return None, best[0] if best else 0.0
    return best[2], best[0]


def _find_column(frame: pd.DataFrame, hints: tuple[str, ...], exclude: set[str]) -> str | None:
    lower = {str(c).lower(): c for c in _columns(frame) if c not in exclude}
    for hint in hints:
        if hint in lower:
            return lower[hint]
    return None


def _given_column(frame: pd.DataFrame, name: str, what: str) -> str:
    lower = {str(c).lower(): c for c in _columns(frame)}
    if name.lower() not in lower:
        raise InputError(f"Kolom {what} '{name}' tidak ada di berkas. Kolom yang ada: "
                         f"{', '.join(map(str, _columns(frame)))}.")
    return lower[name.lower()]


# --- reading ---------------------------------------------------------------------------------

def read_file(path: str | Path, layer: str | None = None, level: str | None = None
              ) -> tuple[gpd.GeoDataFrame, dict]:
    """Read a polygon file into EPSG:4326; return the frame and notes (crs, layer)."""
    import pyogrio

    text = str(path)
    source = text
    if text.lower().endswith(".zip") and not text.startswith("zip://"):
        source = "zip://" + str(Path(text).resolve())
    notes: dict = {}
    try:
        layers = [row[0] for row in pyogrio.list_layers(source)]
    except Exception as exc:  # pyogrio raises DataSourceError and friends
        raise InputError(f"Berkas batas wilayah {Path(text).name} tidak terbaca "
                         f"(GeoJSON, GeoPackage atau Shapefile dalam .zip): "
                         f"{str(exc).splitlines()[0][:200]}") from None
    if layer is None and len(layers) > 1:
        wanted = [lyr for lyr in layers if level and level in lyr.lower()]
        if len(wanted) != 1:
            raise InputError(f"Berkas {Path(text).name} punya beberapa layer "
                             f"({', '.join(layers)}); sebutkan satu.")
        layer = wanted[0]
    try:
        frame = gpd.read_file(source, layer=layer) if layer else gpd.read_file(source)
    except Exception as exc:
        raise InputError(f"Berkas batas wilayah {Path(text).name} tidak terbaca: "
                         f"{str(exc).splitlines()[0][:200]}") from None
    notes["layer"] = layer or (layers[0] if layers else None)
    if frame.crs is None:
        minx, miny, maxx, maxy = frame.total_bounds if len(frame) else (0, 0, 0, 0)
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise InputError(
                f"Berkas {Path(text).name} tidak menyebut sistem koordinatnya (CRS), dan "
                f"koordinatnya ({minx:.0f}..{maxx:.0f}, {miny:.0f}..{maxy:.0f}) bukan bujur/"
                "lintang. Simpan ulang dengan CRS (mis. sertakan berkas .prj di dalam .zip, "
                "atau ekspor sebagai GeoPackage), lalu muat lagi.")
        notes["crs_in"] = None
        notes["crs_assumed"] = "EPSG:4326"
        frame = frame.set_crs(4326)
    else:
        notes["crs_in"] = frame.crs.to_string()
        if frame.crs.to_epsg() != 4326 or "CRS84" in notes["crs_in"]:
            frame = frame.to_crs(4326)
    return frame, notes


# --- keying ----------------------------------------------------------------------------------

def _key_features(frame: gpd.GeoDataFrame, level: str | None, kabupaten_code: str,
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
            f"{', '.join(map(str, _columns(frame)))}. Sebutkan --code-column atau --name-column.")
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
    if _depth(code) != depth:
        if (code + ".").startswith(prefix) or code.startswith(prefix):
            return (None, "unmatched", f"kode {code} bukan kode tingkat ini", parent)
        return (None, "outside", None, parent)
    if not inside:
        return (None, "outside", None, parent)
    if code not in known:
        hint = " (mungkin kode BPS, bukan Kemendagri)" if depth == 4 and code[-4] == "0" else ""
        return (None, "unmatched", f"kode {code} tidak ada di daftar wilayah{hint}", parent)
    return (code, "ok", None, parent)


# --- geometry --------------------------------------------------------------------------------

def _polygonal(geom):
    """The polygonal part of a geometry (make_valid can return collections), else None."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    if geom.geom_type == "GeometryCollection":
        parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
        return shapely.union_all(parts) if parts else None
    return None


def _repair(geoms: np.ndarray) -> tuple[np.ndarray, int]:
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        fixed = shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
        geoms = geoms.copy()
        geoms[invalid] = [_polygonal(g) for g in fixed]
    return geoms, int(invalid.sum())


def _round(geoms: np.ndarray) -> np.ndarray:
    """Snap to a 1e-5 degree grid (valid output, shared vertices stay shared), then print-clean."""
    snapped = shapely.set_precision(geoms, 10 ** -PRECISION)
    return shapely.transform(snapped, lambda xy: np.round(xy, PRECISION))


def simplify_layer(geoms: np.ndarray, tolerance: float) -> tuple[np.ndarray, int]:
    """Topology-aware simplification and rounding; returns (geometries, repairs after)."""
    geoms = np.asarray(geoms, dtype=object)
    if tolerance and tolerance > 0 and len(geoms):
        geoms = shapely.coverage_simplify(geoms, tolerance)
    geoms = _round(geoms)
    return _repair(geoms)


def _fill_gaps(geom, tree: shapely.STRtree | None, foreign: set[int]) -> object:
    """Fill the small holes of a dissolved outline that no other unit's polygons cover
    (``foreign``: indices in ``tree`` of polygons belonging to other units)."""
    parts = []
    for poly in shapely.get_parts(geom):
        keep = []
        for ring in poly.interiors:
            hole = shapely.Polygon(ring)
            small = hole.area < GAP_FILL_RATIO * poly.area
            covered = 0.0
            if small and tree is not None:
                for j in tree.query(hole, predicate="intersects"):
                    if int(j) in foreign:
                        covered += shapely.intersection(hole, tree.geometries[j]).area
            if not small or covered > 0.5 * hole.area:
                keep.append(ring)
        parts.append(shapely.Polygon(poly.exterior, keep))
    return shapely.union_all(parts) if len(parts) > 1 else parts[0]


def dissolve(codes: list[str], geoms: np.ndarray, parent_depth: int) -> dict[str, object]:
    """Outlines of the parents (depth 3 kecamatan, 2 kabupaten) of desa polygons."""
    groups: dict[str, list[int]] = {}
    for i, code in enumerate(codes):
        groups.setdefault(".".join(code.split(".")[:parent_depth]), []).append(i)
    tree = shapely.STRtree(geoms) if len(groups) > 1 else None
    out = {}
    for parent, idx in groups.items():
        union = shapely.union_all(geoms[idx], grid_size=10 ** -PRECISION)
        foreign = set(range(len(codes))) - set(idx)
        out[parent] = _polygonal(_fill_gaps(union, tree, foreign))
    return out


def geojson_text(geom) -> str:
    """Compact GeoJSON of a geometry. Python prints the shortest float that round-trips
    (115.56982), where GEOS's writer may print 17 digits (115.56982000000001)."""
    return json.dumps(shapely.geometry.mapping(geom), separators=(",", ":"))


# --- the load --------------------------------------------------------------------------------

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
    sha = file_sha256(path)
    summary = LoadSummary(kind=KIND, file=path.name, file_sha256=sha, already_loaded=False)

    frame, notes = read_file(path, layer=layer, level=level)
    level, keyed, columns = _key_features(frame, level, kabupaten_code, code_column, name_column)
    if _loaded_before(db_path, sha, level, tolerance):
        summary.already_loaded = True
        return summary
    geoms = np.array([_polygonal(g) if g is not None else None for g in frame.geometry.values],
                     dtype=object)
    raw_geoms = frame.geometry.values
    inside = keyed["status"] != "outside"
    no_geom = np.array([g is None for g in geoms]) & inside.to_numpy()
    keyed.loc[no_geom, ["status", "detail"]] = ["no_geometry", "fitur tanpa poligon"]
    ok = (keyed["status"] == "ok").to_numpy()
    repaired = 0
    if ok.any():
        fixed, repaired = _repair(geoms[ok])
        geoms[ok] = fixed

    # Several features with one code (islands stored apart) become one multipolygon.
    accepted: dict[str, list[int]] = {}
    for i in np.flatnonzero(ok):
        accepted.setdefault(keyed.at[i, "code"], []).append(int(i))
    codes = sorted(accepted)
    merged = np.array([geoms[accepted[c][0]] if len(accepted[c]) == 1
                       else shapely.union_all(geoms[accepted[c]]) for c in codes], dtype=object)
    simplified, repaired_after = simplify_layer(merged, tolerance)
    names = _names(frame, columns, codes, accepted)

    quarantine_rows = []
    for i in np.flatnonzero(((keyed["status"] == "unmatched") | (keyed["status"] == "no_geometry")
                             ).to_numpy()):
        reason = "boundary_no_geometry" if keyed.at[i, "status"] == "no_geometry" else (
            "boundary_unmatched")
        parent = keyed.at[i, "parent"]
        quarantine_rows.append((int(i) + 1, reason, keyed.at[i, "detail"],
                                parent if _depth(parent) == 3 else None,
                                _original(frame, i, raw_geoms[i])))
    outside = int((keyed["status"] == "outside").sum())
    gaz_codes = [r.code for r in gazetteer.regions(kabupaten_code) if r.level == level]
    missing = [c for c in gaz_codes if c not in accepted]
    payload = sum(len(geojson_text(g)) for g in simplified if g is not None)

    with db.write_session(db_path) as con:
        identity.check_key(con, kabupaten_code, is_demo=bool((options or {}).get("demo")))
        if _loaded_in(con, sha, level, tolerance):
            summary.already_loaded = True
            return summary
        sync_regions(con, kabupaten_code)
        load_id = db.scalar(con, "SELECT nextval('meta.load_id_seq')")
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
        con.execute(
            "INSERT INTO meta.loads VALUES (?, ?, ?, ?, now()::TIMESTAMP, ?, ?, ?, ?, ?)",
            [load_id, KIND, path.name, sha, summary.rows_read, summary.accepted,
             summary.quarantined, summary.extra["merged_duplicates"],
             json.dumps({"columns": columns, "reasons": summary.reasons, **extra}, default=str)])
        marts.rebuild(con)
    return summary


def _names(frame, columns, codes, accepted) -> list[str | None]:
    out = []
    for code in codes:
        if "name" in columns and columns.get("code"):
            out.append(str(frame[columns["name"]].iloc[accepted[code][0]]))
        else:
            out.append(gazetteer.name_of(code))
    return [gazetteer.name_of(c) or n for c, n in zip(codes, out)]


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
    rows = [(load_id, level, c, n, geojson_text(g), tolerance, None)
            for c, n, g in zip(codes, names, geoms) if g is not None and c not in derived_codes]
    superseded = sum(1 for c in codes if c in derived_codes)
    derived = 0
    if level == "desa":
        con.execute("DELETE FROM core.boundaries WHERE level IN ('kecamatan', 'kabupaten') AND "
                    "code LIKE ? AND derived_from = 'desa'", [like])
        valid = [i for i, g in enumerate(geoms) if g is not None]
        dcodes, dgeoms = [codes[i] for i in valid], np.array([geoms[i] for i in valid],
                                                              dtype=object)
        kec = dissolve(dcodes, dgeoms, 3) if dcodes else {}
        kec = {c: g for c, g in kec.items() if g is not None}
        # The kabupaten from its kecamatan outlines: the same shape, far fewer polygons to union.
        kab = dissolve(list(kec), np.array(list(kec.values()), dtype=object), 2) if kec else {}
        for parent_level, outlines in (("kecamatan", kec), ("kabupaten", kab)):
            for code, geom in outlines.items():
                if geom is None:
                    continue
                con.execute("DELETE FROM core.boundaries WHERE level = ? AND code = ?",
                            [parent_level, code])
                rows.append((load_id, parent_level, code, gazetteer.name_of(code),
                             geojson_text(_round(np.array([geom], dtype=object))[0]),
                             tolerance, "desa"))
                derived += 1
    if rows:
        con.executemany("INSERT INTO core.boundaries VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows) - derived, superseded, derived


def _loaded_before(db_path: Path, sha: str, level: str, tolerance: float) -> bool:
    if not db_path.exists():
        return False
    con = db.connect_readonly(db_path)
    try:
        return _loaded_in(con, sha, level, tolerance)
    finally:
        con.close()


def _loaded_in(con, sha: str, level: str, tolerance: float) -> bool:
    try:
        rows = con.execute(
            "SELECT details FROM meta.loads WHERE kind = ? AND file_sha256 = ?",
            [KIND, sha]).fetchall()
    except Exception:  # no meta.loads yet
        return False
    for (details,) in rows:
        d = json.loads(details) if isinstance(details, str) else (details or {})
        if d.get("level") == level and float(d.get("tolerance", -1)) == tolerance:
            return True
    return False


# --- reading layers back ---------------------------------------------------------------------

def read_layer(con, level: str, parent: str | None = None) -> gpd.GeoDataFrame:
    """Polygons of one level (optionally within a parent code) as a GeoDataFrame in EPSG:4326.

    Columns: code, name, level, parent_code, tolerance, derived_from, geometry. Kecamatan and
    kabupaten rows are outlines dissolved from desa when desa polygons were loaded. Empty (with
    these columns) when nothing was loaded.
    """
    columns = ["code", "name", "level", "parent_code", "tolerance", "derived_from"]
    try:
        rows = con.execute(
            "SELECT code, name, level, tolerance, derived_from, geometry_geojson "
            "FROM core.boundaries WHERE level = ? AND (?::VARCHAR IS NULL OR code LIKE ? || '.%') "
            "ORDER BY code", [level, parent, parent]).fetchall()
    except Exception as exc:
        if "derived_from" not in str(exc) and "boundaries" not in str(exc):
            raise
        rows = []
    records = [{"code": c, "name": n, "level": lv,
                "parent_code": c.rsplit(".", 1)[0] if "." in c else None,
                "tolerance": t, "derived_from": d} for c, n, lv, t, d, _ in rows]
    geoms = shapely.from_geojson([r[5] for r in rows]) if rows else []
    return gpd.GeoDataFrame(pd.DataFrame.from_records(records, columns=columns),
                            geometry=gpd.GeoSeries(geoms, crs=4326), crs=4326)


def feature_collection(con, level: str, parent: str | None = None) -> dict:
    """The same layer as a GeoJSON FeatureCollection (properties code, name), for folium."""
    try:
        rows = con.execute(
            "SELECT code, name, geometry_geojson FROM core.boundaries WHERE level = ? AND "
            "(?::VARCHAR IS NULL OR code LIKE ? || '.%') ORDER BY code",
            [level, parent, parent]).fetchall()
    except Exception:
        rows = []
    return {"type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": {"code": c, "name": n},
                          "geometry": json.loads(g)} for c, n, g in rows]}
