"""Reading a polygon file (GeoJSON, GeoPackage, zipped Shapefile) into lon/lat (EPSG:4326).

A ``x.zip`` is read through ``zip://``; a file with several layers needs the layer named (or one
named after the level); any CRS is reprojected to EPSG:4326, and a file without a CRS is taken as
lon/lat only when its coordinates fit lon/lat ranges, otherwise it is refused.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from etl.readers import InputError


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
