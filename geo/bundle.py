"""Boundaries that ship with the repository, and where the demo finds boundary files.

A clone with nothing beside it must still draw the maps of its default kabupaten, so simplified
desa and kecamatan polygons of Balangan live in ``geo/bundled/`` (about 130 KB), with their
source's attribution and MIT licence. They are generated, never edited by hand::

    python -m geo.bundle [--source ../shared/geo] [--kabupaten 63.11] [--tolerance 0.001]

reads the province's desa file of cahyadsn/wilayah_boundaries (as converted in ../shared/geo),
keeps the kabupaten's desa, repairs and simplifies them with shared edges kept (the loader's own
``simplify_layer``, same tolerance and 5-decimal rounding), dissolves the kecamatan outlines from
those desa (so the two levels nest, docs/rules.md §4), and writes ``<kab>_desa.geojson``,
``<kab>_kecamatan.geojson``, ``LICENSE`` and ``README.md``. The same source gives byte-identical
files (a test regenerates them). The files carry the source's properties (``kode``, ``nama``,
``level``, ``parent``), so ``python -m etl load boundaries`` reads them like any other file.

``files_for(kabupaten, place)`` owns the naming rule of boundary folders: files named for the
kabupaten (``63.11_desa.geojson``) first, else for its province (``63_kalsel_desa.geojson``);
``find_boundaries`` is where the demo looks (configured, else bundled, else ../shared/geo).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

import numpy as np
import shapely

from etl import gazetteer, settings

from . import geometry
from .codes import detect_code_column, normalise_code
from .reading import read_file

BUNDLED_DIR = Path(__file__).resolve().parent / "bundled"
DEFAULT_SOURCE = settings.REPO_ROOT.parent / "shared" / "geo"
LEVELS = ("kecamatan", "desa")
SUFFIXES = (".geojson", ".json", ".gpkg", ".zip", ".shp")
SOURCE_REPO = "https://github.com/cahyadsn/wilayah_boundaries"

MIT_LICENSE = """MIT License

Copyright (c) 2024 Cahya DSN

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""


# --- finding files ---------------------------------------------------------------------------

def files_for(kabupaten_code: str, place: str | Path) -> dict[str, Path]:
    """Boundary files for the kabupaten by level, from a folder or from files separated by
    commas. In a folder: ``<kabupaten>_*<level>.*`` (63.11_desa.geojson), else
    ``<province>_*<level>.*`` (63_kalsel_desa.geojson). A file names its level (``desa``/``kel``
    in the name, else kecamatan). Empty when nothing matches or the path does not exist."""
    province = kabupaten_code.split(".")[0]
    found: dict[str, Path] = {}
    for part in (Path(p.strip()) for p in str(place).split(",") if p.strip()):
        if part.is_dir():
            for level in LEVELS:
                for prefix in (kabupaten_code, province):
                    hits = sorted(h for h in part.glob(f"{prefix}_*{level}.*")
                                  if h.suffix.lower() in SUFFIXES)
                    if hits and level not in found:
                        found[level] = hits[0]
        elif part.is_file():
            name = part.name.lower()
            found.setdefault("desa" if ("desa" in name or "kel" in name) else "kecamatan", part)
    return found


def bundled(kabupaten_code: str) -> dict[str, Path]:
    """The repository's own boundary files of the kabupaten (empty for most kabupaten)."""
    return files_for(kabupaten_code, BUNDLED_DIR) if kabupaten_code.count(".") == 1 else {}



def find_boundaries(kabupaten_code: str, boundaries: str | Path | None = None
                    ) -> dict[str, Path]:
    """Boundary files for the kabupaten, by level (what the demo loads). Configured (the
    argument, else the setting boundaries_path; a folder, or files separated by commas): that
    and nothing else. Otherwise the repository's own (geo/bundled, Balangan), else ../shared/geo
    beside the repository (the test data of two provinces). Empty when none is found."""
    configured = boundaries or settings.get("boundaries_path")
    if configured:
        return files_for(kabupaten_code, configured)
    return bundled(kabupaten_code) or files_for(kabupaten_code, DEFAULT_SOURCE)

# --- generating ------------------------------------------------------------------------------

def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _source_commit(source_dir: Path) -> str | None:
    """The upstream commit the source folder's README names, if it names one."""
    readme = source_dir / "README.md"
    if not readme.exists():
        return None
    m = re.search(r"commit `([0-9a-f]{40})`", readme.read_text(errors="replace"))
    return m.group(1) if m else None


def _desa_of(path: Path, kabupaten_code: str) -> tuple[list[str], list[str], np.ndarray]:
    """(codes, names, geometries) of the kabupaten's desa in a province desa file, one row per
    code (parts stored apart are united), repaired; in code order."""
    frame, _ = read_file(path, level="desa")
    column, _ = detect_code_column(frame, 4)
    if column is None:
        raise SystemExit(f"{path}: no column of desa codes (kode).")
    names_col = next((c for c in frame.columns if str(c).lower() in ("nama", "name")), None)
    parts: dict[str, list[int]] = {}
    for i, value in enumerate(frame[column]):
        code = normalise_code(value)
        if code and code.startswith(kabupaten_code + ".") and code.count(".") == 3:
            parts.setdefault(code, []).append(i)
    if not parts:
        raise SystemExit(f"{path}: no desa of {kabupaten_code}.")
    codes = sorted(parts)
    geoms = np.array([geometry.polygonal(frame.geometry.iloc[parts[c][0]]) if len(parts[c]) == 1 else
                      shapely.union_all(frame.geometry.iloc[parts[c]].values) for c in codes],
                     dtype=object)
    geoms, _ = geometry.repair(geoms)
    names = [str(frame[names_col].iloc[parts[c][0]]) if names_col else gazetteer.name_of(c)
             for c in codes]
    return codes, names, geoms


def _feature_collection(rows: list[tuple[str, str, str, str, object]]) -> str:
    """GeoJSON text, one feature per line (readable diffs), keys in a fixed order."""
    lines = []
    for code, name, level, parent, geom in rows:
        props = json.dumps({"kode": code, "nama": name, "level": level, "parent": parent},
                           ensure_ascii=False, separators=(",", ":"))
        lines.append(f'{{"type":"Feature","properties":{props},"geometry":{geometry.geojson_text(geom)}}}')
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def generate(source_dir: Path = DEFAULT_SOURCE, kabupaten_code: str = "63.11",
             tolerance: float | None = None, out_dir: Path = BUNDLED_DIR) -> dict[str, Path]:
    """Write the bundled files of one kabupaten into out_dir; return {name: path}."""
    source_dir = Path(source_dir)
    tolerance = float(settings.get("simplify_tolerance") if tolerance is None else tolerance)
    kab = gazetteer.kabupaten(kabupaten_code)
    desa_file = files_for(kabupaten_code, source_dir).get("desa")
    if desa_file is None:
        raise SystemExit(f"No desa file of province {kabupaten_code.split('.')[0]} in "
                         f"{source_dir} (expected e.g. 63_kalsel_desa.geojson).")
    codes, names, geoms = _desa_of(desa_file, kabupaten_code)
    simplified, _ = geometry.simplify_layer(geoms, tolerance)
    kecamatan = geometry.dissolve(codes, simplified, 3)
    kec_codes = sorted(kecamatan)
    kec_geoms = geometry.round_coordinates(np.array([kecamatan[c] for c in kec_codes], dtype=object))
    missing = [r.code for r in gazetteer.regions(kabupaten_code)
               if r.level in LEVELS and r.code not in set(codes) | set(kec_codes)]

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"desa": out_dir / f"{kabupaten_code}_desa.geojson",
             "kecamatan": out_dir / f"{kabupaten_code}_kecamatan.geojson",
             "LICENSE": out_dir / "LICENSE", "README": out_dir / "README.md"}
    paths["desa"].write_text(_feature_collection(
        [(c, n, "desa", c.rsplit(".", 1)[0], g) for c, n, g in zip(codes, names, simplified)]))
    paths["kecamatan"].write_text(_feature_collection(
        [(c, gazetteer.name_of(c) or c, "kecamatan", kabupaten_code, g)
         for c, g in zip(kec_codes, kec_geoms)]))
    paths["LICENSE"].write_text(MIT_LICENSE)
    commit = _source_commit(source_dir)
    snapshot = f",\nsnapshot at commit `{commit}`" if commit else ""
    size = sum(paths[k].stat().st_size for k in LEVELS)
    paths["README"].write_text(f"""# Bundled boundaries: {kab.name} ({kabupaten_code})

Generated by `python -m geo.bundle --kabupaten {kabupaten_code} --tolerance {tolerance:g}`
(see `geo/bundle.py`); do not edit by hand. The demo loads them when no other boundaries are
configured, so a clone with nothing beside it draws its maps. Another kabupaten loads its own
official file: `python -m etl load boundaries FILE --level desa`.

| file | features | bytes |
|---|---:|---:|
| `{paths['kecamatan'].name}` | {len(kec_codes)} kecamatan | {paths['kecamatan'].stat().st_size:,} |
| `{paths['desa'].name}` | {len(codes)} desa/kelurahan | {paths['desa'].stat().st_size:,} |

Total {size:,} bytes.{f" Missing from the source: {', '.join(missing)}." if missing else ""}

## Source and licence

Boundaries: **cahyadsn/wilayah_boundaries**, {SOURCE_REPO},
author Cahya DSN, MIT License (text in `LICENSE` beside this file){snapshot}.
Read from the GeoJSON (EPSG:4326) conversion `shared/geo/{desa_file.name}`,
SHA-256 `{_sha256(desa_file)}`. Region codes are Kemendagri codes.

## Processing

1. The desa of {kabupaten_code} from the province file; parts of one code united; invalid
   polygons repaired (`shapely.make_valid`).
2. Simplified together with shared edges kept (`shapely.coverage_simplify`, tolerance
   {tolerance:g} degrees, about {tolerance * 111_000:.0f} m), coordinates rounded to 5
   decimals (about 1 m): the same steps as `python -m etl load boundaries`.
3. Kecamatan outlines dissolved from those desa polygons, small gaps between desa filled: the
   source's own kecamatan polygons are much coarser and would not nest with the desa.

Properties as in the source: `kode`, `nama`, `level`, `parent`.
""")
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.bundle", description=__doc__.split(
        "\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE,
                        help="folder with the province desa file (default ../shared/geo)")
    parser.add_argument("--kabupaten", default="63.11")
    parser.add_argument("--tolerance", type=float, default=None,
                        help="simplification in degrees (default: the simplify_tolerance setting)")
    parser.add_argument("--out", type=Path, default=BUNDLED_DIR)
    args = parser.parse_args(argv)
    paths = generate(args.source, args.kabupaten, args.tolerance, args.out)
    for path in paths.values():
        print(f"{path} ({path.stat().st_size:,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
