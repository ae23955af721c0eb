"""The public figures as a Frictionless Data Package (https://specs.frictionlessdata.io/), the
format CKAN-based open-data portals (Satu Data Indonesia) take.

Owns ``files(data)``: ``datapackage.json`` and its CSV files, the same ones in the static
site's ``data/`` folder and in the zip behind Transparansi's "Unduh data":

* one CSV per public table (``desa.csv``, ``kecamatan.csv``, ...), numbers as published: a
  suppressed or unavailable cell is empty (``missingValues: [""]``);
* ``cakupan_publik.csv``: the tidy long table of the page's CSV download, which says for every
  empty cell whether it is suppressed ('disamarkan') or not available;
* ``kamus_data.csv``: the data dictionary (columns, tables, measures, methodology).

Each resource has a Table Schema (types, descriptions from dashboard.public, primary keys, the
status enum); the package carries the licence (setting ``open_data_license``), publisher,
sources, the data month and date, and the suppression threshold. ``validate(folder)`` runs the
``frictionless`` package's validator: publishing refuses a package it finds invalid.

Every CSV is written by ``csv_bytes`` (one place to neutralise spreadsheet formulas).
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pandas as pd

from etl import settings, spreadsheets

from . import public, public_files
from .public_text import methodology

LICENSES = {
    "CC-BY-4.0": ("Creative Commons Attribution 4.0",
                  "https://creativecommons.org/licenses/by/4.0/"),
    "CC0-1.0": ("Creative Commons Zero 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODbL-1.0": ("Open Data Commons Open Database License 1.0",
                 "https://opendatacommons.org/licenses/odbl/1-0/"),
    "CC-BY-SA-4.0": ("Creative Commons Attribution-ShareAlike 4.0",
                     "https://creativecommons.org/licenses/by-sa/4.0/"),
}
LONG_NAME = "cakupan_publik"
DICTIONARY_NAME = "kamus_data"
STATUS_VALUES = ["", "disamarkan", "tidak tersedia"]


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The one CSV writer of the package (UTF-8, header row, empty for missing), through
    etl.spreadsheets like every CSV Cakupan writes (text a spreadsheet would run is neutralised;
    such a cell stays a valid string under the package's schema)."""
    return spreadsheets.csv_bytes(frame)


def _field_type(series: pd.Series, column: str) -> str:
    if column == "bulan":
        return "yearmonth"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        return "number"
    return "string"


def _table_schema(table: public.Table) -> dict:
    fields = []
    for column in table.values.columns:
        field = {"name": column, "type": _field_type(table.values[column], column),
                 "description": table.columns.get(column, "")}
        if column in table.ids:
            field["constraints"] = {"required": True}
        elif field["type"] in ("integer", "number"):
            field["constraints"] = {"minimum": 0}
        fields.append(field)
    keys = [c for c in table.ids if c in ("kode", "bulan", "program", "tahun")]
    return {"fields": fields, "missingValues": [""], "primaryKey": keys}


def _long_schema() -> dict:
    types = {"nilai": "number"}
    fields = [{"name": c, "type": types.get(c, "string"), "description": d}
              for c, d in public_files.LONG_COLUMNS.items()]
    for f in fields:
        if f["name"] == "status":
            f["constraints"] = {"enum": STATUS_VALUES}
        if f["name"] in ("tabel", "kode", "ukuran"):
            f["constraints"] = {"required": True}
    return {"fields": fields, "missingValues": [""]}


def _dictionary_schema() -> dict:
    return {"fields": [
        {"name": "bagian", "type": "string", "description": "Bagian kamus: kolom, tabel, "
                                                            "ukuran (per tabel), metodologi."},
        {"name": "nama", "type": "string", "description": "Nama kolom, tabel, atau ukuran."},
        {"name": "keterangan", "type": "string", "description": "Artinya."}],
        "missingValues": [""]}


def descriptor(data: public.PublicData) -> dict:
    """datapackage.json as a dict (resources listed in the order of the files)."""
    place, kabupaten = data.place, data.kabupaten
    license_id = str(settings.get("open_data_license"))
    title, path = LICENSES.get(license_id, (license_id, None))
    license = {"name": license_id, "title": title, **({"path": path} if path else {})}
    resources = []
    for table in data.tables.values():
        resources.append({
            "name": table.name, "path": f"{table.name}.csv", "title": table.title,
            "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "schema": _table_schema(table)})
    resources.append({
        "name": LONG_NAME, "path": f"{LONG_NAME}.csv", "profile": "tabular-data-resource",
        "title": "Semua angka publik dalam satu tabel rapi (dengan status disamarkan)",
        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "schema": _long_schema()})
    resources.append({
        "name": DICTIONARY_NAME, "path": f"{DICTIONARY_NAME}.csv", "profile":
        "tabular-data-resource", "title": "Kamus data", "format": "csv", "mediatype": "text/csv",
        "encoding": "utf-8", "schema": _dictionary_schema()})
    sources = [{"title": "Pendaftaran Lindungi Prens, hasil verifikasi, dan ekspor kepesertaan "
                         "BPJS Ketenagakerjaan"}]
    sources += [{"title": f"Estimasi pekerja rentan: {s}"} for s in data.sources]
    return {
        "profile": "tabular-data-package",
        "name": f"cakupan-publik-{kabupaten.replace('.', '-')}-{data.as_of}",
        "title": f"Perlindungan pekerja rentan {place}, keadaan akhir {data.as_of}",
        "description": " ".join(methodology(data)),
        "version": data.as_of,
        "keywords": ["BPJS Ketenagakerjaan", "pekerja rentan", "jaminan sosial", place],
        "licenses": [license],
        "publisher": f"Pemerintah {place}",
        "sources": sources,
        "bulan_data": data.as_of,
        "tanggal_data": data.data_date,
        "dimuat": data.loaded_at,
        "ambang_samar": data.threshold,
        "resources": resources,
    }


def files(data: public.PublicData) -> dict[str, bytes]:
    """file name -> bytes of the whole package."""
    out = {"datapackage.json": json.dumps(descriptor(data), ensure_ascii=False,
                                          indent=2).encode("utf-8")}
    for table in data.tables.values():
        out[f"{table.name}.csv"] = csv_bytes(table.published())
    out[f"{LONG_NAME}.csv"] = public_files.csv_bytes(data)
    out[f"{DICTIONARY_NAME}.csv"] = public_files.dictionary_csv_bytes(data)
    return out


def zip_bytes(data: public.PublicData) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in files(data).items():
            z.writestr(name, blob)
    return buffer.getvalue()


def zip_name(data: public.PublicData) -> str:
    return f"cakupan_publik_{data.as_of}_datapackage.zip"


def validate(folder: Path) -> list[str]:
    """Problems the frictionless validator finds in folder/datapackage.json (empty: valid)."""
    from frictionless import Package, system

    with system.use_context(trusted=True):
        report = Package(str(Path(folder) / "datapackage.json")).validate()
    if report.valid:
        return []
    return [f"{e.type}: {e.message}" for task in report.tasks for e in task.errors][:20] or \
        [f"{e.type}: {e.message}" for e in report.errors][:20]
