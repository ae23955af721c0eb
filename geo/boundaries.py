"""Boundaries: official polygons keyed to Kemendagri codes, simplified for the web. This module
is geo's public face: what a boundary load does and the names callers use; each step lives in
its own module (geo.reading, geo.codes, geo.matching, geo.geometry, geo.load, geo.layers).

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

Nesting (docs/rules.md §4): official kecamatan polygons are much coarser than desa polygons, so a map
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

from .codes import LEVEL_DEPTH, detect_code_column, normalise_code
from .geometry import PRECISION, dissolve, geojson_text, simplify_layer
from .layers import feature_collection, read_layer
from .load import KIND, load_boundaries
from .reading import read_file

__all__ = ["KIND", "LEVEL_DEPTH", "PRECISION", "detect_code_column", "dissolve",
           "feature_collection", "geojson_text", "load_boundaries", "normalise_code",
           "read_file", "read_layer", "simplify_layer"]
