"""Reading stored boundaries back: one level's polygons as a GeoDataFrame or a GeoJSON
FeatureCollection, straight from core.boundaries (kecamatan and kabupaten outlines as stored at
load, dissolved from the desa when desa polygons were loaded).
"""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import shapely


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
