"""The registry of tabular loaders: input kind -> its columns and its validation.

Each module in this package defines FIELDS (etl.columns.Field list, the header aliases it
accepts) and ``load(ctx: LoadContext) -> Counts``. Boundaries are not tabular and are loaded by
``geo.boundaries``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

# kind on the command line -> module name in this package
KINDS: dict[str, str] = {
    "registrations": "registrations",
    "verification": "verification",
    "members": "members",
    "denominators": "denominators",
    "targets": "targets",
    "rm-areas": "rm_areas",
    "claims": "claims",
    "decisions": "decisions",   # decisions of planning meetings (etl.decisions)
}

# What each kind is called for the people who load it (the CLI's load report, the upload page).
LABELS: dict[str, str] = {
    "registrations": "Pendaftaran (ekspor formulir Lindungi Prens)",
    "verification": "Hasil verifikasi",
    "members": "Ekspor kepesertaan BPJS",
    "denominators": "Estimasi pekerja (penyebut)",
    "targets": "Target",
    "rm-areas": "Wilayah RM",
    "claims": "Klaim manfaat (JKM/JKK)",
    "decisions": "Keputusan rapat",
    "boundaries": "Batas wilayah (GeoJSON, GeoPackage, Shapefile zip)",
}


@dataclass(frozen=True)
class LoaderSpec:
    kind: str
    module: ModuleType

    @property
    def fields(self):
        return self.module.FIELDS

    @property
    def load(self):
        return self.module.load


def get(kind: str) -> LoaderSpec:
    if kind not in KINDS:
        raise KeyError(kind)
    return LoaderSpec(kind, importlib.import_module(f"{__name__}.{KINDS[kind]}"))


def available() -> list[str]:
    """Kinds whose module exists (all of KINDS once every loader is written)."""
    out = []
    for kind, module in KINDS.items():
        try:
            importlib.import_module(f"{__name__}.{module}")
        except ModuleNotFoundError:
            continue
        out.append(kind)
    return out


def load_file(kind: str, path, **kwargs):
    """Load one file of one tabular kind (see etl.loading.run_load for the keyword arguments)."""
    from ..loading import run_load

    spec = get(kind)
    return run_load(kind, path, spec.fields, spec.load, **kwargs)
