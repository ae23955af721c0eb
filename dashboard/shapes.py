"""Outline geometry of places (shapely only, no map library): the border of a whole area and
polygons without the sliver holes a union of simplified desa leaves. Used by the data-access
module (kecamatan dissolved from desa) and the map builders alike."""

from __future__ import annotations

import shapely


def without_holes(geom):
    """The polygon(s) without interior rings: the holes a union of desa leaves where their
    simplified edges do not meet exactly (slivers), never real places."""
    parts = shapely.get_parts(geom)
    return shapely.union_all([shapely.Polygon(shapely.get_exterior_ring(p)) for p in parts
                              if p.geom_type == "Polygon"])


def outer_outline(geoms: list):
    """The border of the whole area: union of the places, slivers closed, holes dropped."""
    closed = shapely.union_all(geoms).buffer(0.0005).buffer(-0.0005)
    return without_holes(closed)
