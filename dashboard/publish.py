"""The static transparency site: ``python -m etl publish DIR``.

Owns writing a folder that any web server, CDN or a file manager can open, with no Python and no
internet: ``index.html`` (every figure already written into the page, so it reads even without
JavaScript), the map (Leaflet, copied from static/vendor into ``DIR/vendor``), and the open data
(``DIR/data``: the suppressed figures as JSON and CSV plus the data dictionary).

Every number comes from dashboard.public.build, the function behind the Transparansi page, so the
site and the page cannot disagree; suppressed cells stay suppressed (tables print the page's
marker, the map draws them hatched as "disamarkan", never as zero).

Browsers refuse ``fetch()`` of a JSON file opened from disk (file://), so the map's data is a
script (``data/peta.js``) that sets one global; the JSON and CSV files are for downloading.

The folder is written beside DIR and swapped in at the end, so a reader never meets half a site;
an existing DIR is replaced only when it is a site this command wrote (marker file), never a
folder of someone's other files.
"""

from __future__ import annotations

import html
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from . import datapackage, disclosure, maps, offline, public, public_map, share_image
from .public_text import headline_cards, methodology
from .charts import COVERAGE_BREAKS, NO_DATA
from .layout import fmt_date, fmt_int, fmt_month

SITE_TEMPLATES = Path(__file__).resolve().parent / "site"
MARKER = ".cakupan-situs"
LEAFLET_FILES = ("dist/leaflet.js", "dist/leaflet.css", "dist/images/")
HIDDEN_LABEL = maps.SUPPRESSED_CLASS
SHARE_PNG, SHARE_PDF = "bagikan.png", "bagikan.pdf"     # the one-page share image


class PublishError(ValueError):
    """The site cannot be written (no data yet, a folder that is not ours, no map library)."""


@dataclass
class Site:
    path: Path
    files: dict[str, int]          # relative path -> bytes
    as_of: str

    @property
    def size(self) -> int:
        return sum(self.files.values())


def publish(con, out_dir: Path, limit: int | None = None, title: str | None = None) -> Site:
    """Write the site of the database behind `con` into `out_dir`; returns what was written."""
    out_dir = Path(out_dir)
    data = public.build(con, limit)
    if not data.as_of:
        raise PublishError("Belum ada data yang dapat dipublikasikan: muat berkas atau jalankan "
                           "'python -m etl demo' dulu.")
    _check_target(out_dir)
    leaflet = offline.package_dir("leaflet")
    if not all((leaflet / f).exists() for f in LEAFLET_FILES):
        raise PublishError("Pustaka peta belum terpasang: jalankan "
                           "'python -m dashboard.offline install' dulu.")
    place = title or data.place
    layers = map_layers(con, data)
    share_layers = share_image.layers_of(con)

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    staging.chmod(0o755)              # mkdtemp makes it private; a web server must read it
    try:
        write_site(staging, data, layers, place)
        (staging / SHARE_PNG).write_bytes(share_image.png_bytes(data, share_layers))
        (staging / SHARE_PDF).write_bytes(share_image.pdf_bytes(data, share_layers))
        (staging / MARKER).write_text(f"{data.as_of}\n", encoding="utf-8")
        _swap_in(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    files = {str(p.relative_to(out_dir)): p.stat().st_size
             for p in sorted(out_dir.rglob("*")) if p.is_file()}
    return Site(out_dir, files, data.as_of)


def _check_target(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise PublishError(f"{out_dir} adalah berkas, bukan folder.")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MARKER).exists():
        raise PublishError(f"Folder {out_dir} sudah berisi berkas lain: pilih folder kosong atau "
                           "folder situs yang dulu ditulis perintah ini.")


def _swap_in(staging: Path, out_dir: Path) -> None:
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}-lama")
        if old.exists():
            shutil.rmtree(old)
        out_dir.rename(old)
    staging.rename(out_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


# -- the map's data ---------------------------------------------------------------------------

def map_layers(con, data: public.PublicData) -> dict:
    """Kecamatan and desa as GeoJSON with the page's published figures in the properties.

    A place whose count is suppressed gets ``status: 'disamarkan'`` and no numbers at all; a
    place without an estimate of workers gets 'tidak ada data'. Kecamatan outlines are those
    geo.boundaries dissolves from the desa, so the two levels nest exactly."""
    from geo.boundaries import read_layer

    out = {}
    for level in ("kecamatan", "desa"):
        figures = public_map.map_figures(data, level).set_index("kode")
        features = []
        for row in read_layer(con, level).itertuples():
            if row.code not in figures.index:
                continue
            fig = figures.loc[row.code]
            props = {"kode": row.code, "nama": str(fig["nama"] or row.name).title(),
                     "kecamatan": fig["kecamatan_kode"],
                     "peserta_aktif": _int(fig["active"]),
                     "cakupan_persen": None if pd.isna(fig["coverage_pct"])
                     else float(fig["coverage_pct"]),
                     "estimasi_pekerja": _int(fig["estimated_workers"])}
            props["status"] = (HIDDEN_LABEL if bool(fig[maps.SUPPRESSED_CLASS]) else
                               "ada" if props["cakupan_persen"] is not None else "tidak ada data")
            features.append(maps.feature(row.geometry, props))
        out[level] = {"type": "FeatureCollection", "features": features}
    return out


def _int(value):
    return None if value is None or pd.isna(value) else int(value)


# -- writing ----------------------------------------------------------------------------------

def write_site(root: Path, data: public.PublicData, layers: dict, place: str) -> None:
    (root / "data").mkdir(parents=True)
    (root / "assets").mkdir()
    _copy_leaflet(root / "vendor")
    for name in ("site.css", "site.js"):
        shutil.copyfile(SITE_TEMPLATES / name, root / "assets" / name)
    package = datapackage.files(data)
    for name, blob in package.items():
        (root / "data" / name).write_bytes(blob)
    problems = datapackage.validate(root / "data")
    if problems:
        raise PublishError("Paket data tidak sah menurut frictionless: " + "; ".join(problems))
    zip_name = datapackage.zip_name(data)
    (root / "data" / zip_name).write_bytes(datapackage.zip_bytes(data))
    downloads = {"csv": f"data/{datapackage.LONG_NAME}.csv",
                 "kamus": f"data/{datapackage.DICTIONARY_NAME}.csv",
                 "json": "data/angka_publik.json", "zip": f"data/{zip_name}",
                 "package": "data/datapackage.json", "png": SHARE_PNG, "pdf": SHARE_PDF,
                 "tables": [(f"data/{t.name}.csv", t.title) for t in data.tables.values()]}
    (root / downloads["json"]).write_text(
        json.dumps(figures_json(data, place), ensure_ascii=False, indent=1), encoding="utf-8")
    legend = [{"warna": color, "label": label} for _, color, label in COVERAGE_BREAKS]
    map_data = {"kecamatan": layers["kecamatan"], "desa": layers["desa"],
                "kelas": [{"batas": None if upper == float("inf") else upper, "warna": color}
                          for upper, color, _ in COVERAGE_BREAKS],
                "tanpa_data": NO_DATA, "tanda_samar": disclosure.SUPPRESSED}
    (root / "data" / "peta.js").write_text(
        "window.CAKUPAN_PETA = " + json.dumps(map_data, ensure_ascii=False,
                                              separators=(",", ":")) + ";\n", encoding="utf-8")
    env = Environment(loader=FileSystemLoader(SITE_TEMPLATES),
                      autoescape=select_autoescape(["html", "j2"]))
    page = env.get_template("index.html.j2").render(
        place=place, data=data, cards=headline_cards(data),
        as_of=fmt_month(data.as_of), data_date=fmt_date(data.data_date),
        tables=_html_tables(data), trend_svg=trend_svg(data), legend=legend, no_data=NO_DATA,
        methodology=methodology(data), downloads=downloads,
        leaflet=f"vendor/{offline.package_dir('leaflet').name}/dist",
        suppressed=disclosure.SUPPRESSED)
    (root / "index.html").write_text(page, encoding="utf-8")


def _copy_leaflet(vendor: Path) -> None:
    source = offline.package_dir("leaflet")
    target = vendor / source.name
    for item in LEAFLET_FILES:
        src = source / item
        if item.endswith("/"):
            shutil.copytree(src, target / item)
        else:
            (target / item).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target / item)


def figures_json(data: public.PublicData, place: str) -> dict:
    """Every published table as records: suppressed cells null, listed by column in 'disamarkan'."""
    tables = {}
    for name, table in data.tables.items():
        pub = table.published()
        records = []
        for i in pub.index:
            rec = {c: _plain(pub.at[i, c]) for c in pub.columns}
            hidden = [c for c in pub.columns if bool(table.hidden.at[i, c])]
            if hidden:
                rec[HIDDEN_LABEL] = hidden
            records.append(rec)
        tables[name] = {"judul": table.title, "kolom": table.columns, "baris": records}
    return {"wilayah": place, "bulan_data": data.as_of, "tanggal_data": data.data_date,
            "ambang_samar": data.threshold, "ringkasan": data.headline, "tabel": tables}


def _plain(value):
    if value is None or pd.isna(value):
        return None
    if isinstance(value, str):
        return value
    f = float(value)
    return int(f) if f.is_integer() else round(f, 1)


def _html_tables(data: public.PublicData) -> dict:
    """name -> (headers, rows of (text, hidden, kecamatan code of the row or ''))."""
    out = {}
    for name, table in data.tables.items():
        shown = table.display()
        drop = [c for c in ("Kode",) if c in shown.columns and name in ("sektor", "sumber_dana")]
        shown = shown.drop(columns=drop)
        hidden = table.hidden.rename(columns=public._HEADERS).drop(columns=drop)
        rows = []
        for i in shown.index:
            kec = table.values.at[i, "kecamatan_kode"] if name == "desa" else ""
            rows.append(([(str(shown.at[i, c]) if pd.notna(shown.at[i, c]) else "",
                           bool(hidden.at[i, c])) for c in shown.columns], kec))
        out[name] = {"title": table.title, "headers": list(shown.columns), "rows": rows}
    return out


def trend_svg(data: public.PublicData, width: int = 640, height: int = 220) -> str:
    """Protected workers per month end as an inline SVG line (suppressed months are gaps), with
    the year's target as a dashed line. Written here, not by plotly, so the site needs no
    charting library."""
    pub = data.tables["tren"].published()
    values = [None if pd.isna(v) else float(v) for v in pub["peserta_aktif"]]
    target = data.headline.get("target_tahun")
    known = [v for v in values if v is not None] + ([float(target)] if target else [])
    if not known:
        return ""
    top = max(known) * 1.08 or 1.0
    left, right, upper, lower = 56, 10, 12, 28
    plot_w, plot_h = width - left - right, height - upper - lower
    n = max(len(values) - 1, 1)

    def x(i):
        return left + plot_w * i / n

    def y(v):
        return upper + plot_h * (1 - v / top)

    parts = [f'<svg class="tren" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="Peserta aktif per akhir bulan">']
    for k in range(5):
        v = top * k / 4
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                     f'class="grid"/><text x="{left - 6}" y="{y(v) + 4:.1f}" '
                     f'text-anchor="end">{fmt_int(v)}</text>')
    path, pen = [], "M"
    for i, v in enumerate(values):
        if v is None:
            pen = "M"
            continue
        path.append(f"{pen}{x(i):.1f},{y(v):.1f}")
        pen = "L"
    parts.append(f'<path d="{" ".join(path)}" class="garis"/>')
    if target:
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(target):.1f}" '
                     f'y2="{y(target):.1f}" class="target"/><text x="{width - right}" '
                     f'y="{y(target) - 5:.1f}" text-anchor="end" class="target-label">'
                     f'Target {data.year}: {fmt_int(target)}</text>')
    months = list(pub["bulan"])
    for i in sorted({0, len(months) - 1, *range(0, len(months), 12)}):
        parts.append(f'<text x="{x(i):.1f}" y="{height - 8}" text-anchor="middle">'
                     f'{html.escape(fmt_month(months[i]))}</text>')
    parts.append("</svg>")
    return "".join(parts)
