"""Geometry of boundaries: repair, topology-aware simplification, rounding, dissolving, GeoJSON.

Invalid polygons are repaired (``shapely.make_valid``), a layer is simplified with shared edges
kept (``shapely.coverage_simplify``) and rounded to 5 decimals (about 1 m). Outlines of kecamatan
and kabupaten are dissolved from desa polygons, with the small gaps between desa that no other
unit covers filled (docs/rules.md §4: the levels must nest on a map).
"""

from __future__ import annotations

import json

import numpy as np
import shapely
import shapely.geometry

PRECISION = 5                      # decimals kept: about 1.1 m at the equator
# A hole in a dissolved outline is filled when it is this small relative to its polygon and not
# covered by another unit's polygons: a gap between neighbouring desa, not an enclave.
GAP_FILL_RATIO = 0.01


def polygonal(geom):
    """The polygonal part of a geometry (make_valid can return collections), else None."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    if geom.geom_type == "GeometryCollection":
        parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
        return shapely.union_all(parts) if parts else None
    return None


def repair(geoms: np.ndarray) -> tuple[np.ndarray, int]:
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        fixed = shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
        geoms = geoms.copy()
        geoms[invalid] = [polygonal(g) for g in fixed]
    return geoms, int(invalid.sum())


def round_coordinates(geoms: np.ndarray) -> np.ndarray:
    """Snap to a 1e-5 degree grid (valid output, shared vertices stay shared), then print-clean."""
    snapped = shapely.set_precision(geoms, 10 ** -PRECISION)
    return shapely.transform(snapped, lambda xy: np.round(xy, PRECISION))


def simplify_layer(geoms: np.ndarray, tolerance: float) -> tuple[np.ndarray, int]:
    """Topology-aware simplification and rounding; returns (geometries, repairs after)."""
    geoms = np.asarray(geoms, dtype=object)
    if tolerance and tolerance > 0 and len(geoms):
        geoms = shapely.coverage_simplify(geoms, tolerance)
    geoms = round_coordinates(geoms)
    return repair(geoms)


def fill_gaps(geom, tree: shapely.STRtree | None, foreign: set[int]) -> object:
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
        out[parent] = polygonal(fill_gaps(union, tree, foreign))
    return out


def geojson_text(geom) -> str:
    """Compact GeoJSON of a geometry. Python prints the shortest float that round-trips
    (115.56982), where GEOS's writer may print 17 digits (115.56982000000001)."""
    return json.dumps(shapely.geometry.mapping(geom), separators=(",", ":"))
