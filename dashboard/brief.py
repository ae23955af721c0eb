"""The PDF planning brief: one or two A4 pages for the kabupaten or one kecamatan, made offline.

Owns ``build_pdf(con, kecamatan=None) -> bytes``: headline figures, the coverage map as an image,
target status, the priority desa (largest gaps first), the under-reached sectors, and the data
date. Every figure comes from the same functions as the pages (etl.metrics, dashboard.targets,
dashboard.priority, dashboard.sectors), so the brief and the dashboard never disagree.

The map is drawn with Pillow (already installed with fpdf2) from core.boundaries: desa filled by
coverage class (dashboard.charts.COVERAGE_BREAKS, the classes of the dashboard map), kecamatan
outlines on top, names set as PDF text so they stay sharp. No network, no browser. The brief holds
aggregates by place only: no NIK, name or phone ever enters it.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import pandas as pd
from fpdf import FPDF

from etl import gazetteer, metrics, settings
from etl.formats import fmt_date, fmt_int, fmt_percent

from .charts import COVERAGE_BREAKS, NO_DATA, class_color

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
GREEN = (11, 110, 79)
DARK = (33, 37, 41)
GREY = (110, 117, 125)
STATUS_COLORS = {"sesuai jalur": (26, 150, 65), "berisiko": (230, 140, 20),
                 "tertinggal": (200, 30, 40), "tercapai": (26, 150, 65),
                 "tidak tercapai": (200, 30, 40)}
TOP_DESA = 10


def _hex(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return tuple(int(color[i:i + 2], 16) for i in (0, 2, 4))


# -- the figures ----------------------------------------------------------------------------------

def gather(con, kecamatan: str | None = None, rm_id: str | None = None) -> dict:
    """Everything the brief prints, as plain values and frames (for an RM's area: only that
    area, see _gather_rm)."""
    from . import priority, sectors, targets

    as_of = metrics.default_month(con)   # the latest complete month, as on the pages
    if as_of is None:
        raise ValueError("Belum ada data: muat berkas atau jalankan demo dulu.")
    year = int(as_of[:4])
    if rm_id:
        return _gather_rm(con, rm_id, as_of, year)
    level = "kecamatan" if kecamatan else "kabupaten"
    place = metrics.coverage_table(con, level, as_of=as_of)
    if kecamatan:
        place = place[place["kode"] == kecamatan]
        if place.empty:
            raise ValueError(f"Kecamatan {kecamatan} tidak dikenal.")
    row = place.iloc[0]
    status = targets.target_status(con, year, as_of, kecamatan=kecamatan)
    own = status[status["level"] == level]
    if kecamatan:
        own = own[own["code"] == kecamatan]
    yearly = own[own["granularity"] == "tahun"] if "granularity" in own else own
    target_row = (yearly if len(yearly) else own).head(1)
    children = status[status["level"] == "kecamatan"] if not kecamatan else status.iloc[0:0]
    prio = priority.priority_table(con, year, as_of, kecamatan=kecamatan)
    prio = prio[pd.to_numeric(prio["gap"], errors="coerce").fillna(0) > 0]
    prio = prio.sort_values("gap", ascending=False).head(TOP_DESA)
    report = sectors.sector_report(con, year, as_of, kecamatan=kecamatan)
    flagged = report["sectors"]
    flagged = flagged[flagged["flagged"]].sort_values("gap", ascending=False)
    desa = metrics.coverage_table(con, "desa", as_of=as_of, kecamatan=kecamatan)
    return {
        "as_of": as_of, "year": year, "level": level, "kecamatan": kecamatan,
        "provisional_through": metrics.provisional_through(con, as_of),
        "estimate_note": metrics.estimate_year_note(place),
        "place_name": _place_name(row, level),
        "data_date": metrics.data_date(con).data_date,
        "active": row["active"], "estimated": row["estimated_workers"],
        "coverage_pct": row["coverage_pct"], "gap": row["gap"],
        "target": target_row.iloc[0] if len(target_row) else None,
        "children": children, "priority": prio, "sectors": flagged, "desa": desa,
        "kecamatan_table": metrics.coverage_table(con, "kecamatan", as_of=as_of)
        if not kecamatan else None,
        "map": _map_layers(con, kecamatan),
    }


def _gather_rm(con, rm_id: str, as_of: str, year: int) -> dict:
    """The brief of one RM's area: its desa only (the headline, sectors and desa are
    etl.metrics figures restricted to them, as on the RM's pages; the RM target, the priority
    desa among them, the map of them)."""
    from . import priority, sectors, targets

    areas = targets.rm_areas(con)
    mine = areas[areas["rm_id"] == rm_id]
    if mine.empty:
        raise ValueError(f"Wilayah RM {rm_id} belum dikaitkan dengan desa mana pun.")
    codes = tuple(sorted(mine["desa_code"]))
    desa = metrics.coverage_table(con, "desa", as_of=as_of, desa_codes=codes)
    area = metrics.coverage_table(con, "kabupaten", as_of=as_of, desa_codes=codes).iloc[0]
    report = sectors.sector_report(con, year, as_of, desa_codes=codes)
    flagged = report["sectors"]
    flagged = flagged[flagged["flagged"]].sort_values("gap", ascending=False)
    status = targets.target_status(con, year, as_of, rm_id=rm_id)
    own = status[(status["level"] == "rm") & (status["code"] == rm_id)]
    prio = priority.priority_table(con, year, as_of, desa_codes=codes)
    prio = prio[pd.to_numeric(prio["gap"], errors="coerce").fillna(0) > 0]
    layers = _map_layers(con, None)
    if layers is not None:
        layers = {"desa": layers["desa"][layers["desa"]["code"].isin(codes)],
                  "outline": layers["outline"][layers["outline"]["code"].isin(
                      {c.rsplit(".", 1)[0] for c in codes})]}
        if layers["desa"].empty:
            layers = None
    return {
        "as_of": as_of, "year": year, "level": "rm", "kecamatan": None, "rm_id": rm_id,
        "place_name": f"Wilayah {rm_id}",
        "data_date": metrics.data_date(con).data_date,
        "provisional_through": metrics.provisional_through(con, as_of),
        "estimate_note": metrics.estimate_year_note(desa),
        "active": area["active"], "estimated": area["estimated_workers"],
        "coverage_pct": area["coverage_pct"], "gap": area["gap"],
        "target": own.iloc[0] if len(own) else None,
        "children": status.iloc[0:0],
        "priority": prio.sort_values("gap", ascending=False).head(TOP_DESA),
        "sectors": flagged, "desa": desa, "kecamatan_table": None, "map": layers,
    }


def _place_name(row, level: str) -> str:
    name = str(row["nama"]).title()
    if level == "kecamatan":
        return f"Kecamatan {name}"
    return name if name.lower().startswith(("kab", "kota")) else f"Kabupaten {name}"


def _map_layers(con, kecamatan: str | None) -> dict | None:
    try:
        from geo.boundaries import read_layer
    except ImportError:
        return None
    desa = read_layer(con, "desa", parent=kecamatan)
    if desa.empty:
        return None
    outline = read_layer(con, "kecamatan")
    if kecamatan:
        outline = outline[outline["code"] == kecamatan]
    return {"desa": desa, "outline": outline}


# -- the map image --------------------------------------------------------------------------------

def render_map(layers: dict, coverage: dict[str, float | None], size_px: int = 1400,
               scale: int = 2, hatched=frozenset()):
    """A PNG of desa coloured by coverage class with kecamatan outlines.

    Desa in `hatched` (suppressed on public output) are drawn white with grey diagonal lines,
    never in a coverage colour. Returns (png bytes, aspect ratio h/w, to_unit(lon, lat) -> (u, v) in 0..1 image units) so the
    caller can set labels as text on top.
    """
    from PIL import Image, ImageDraw

    desa, outline = layers["desa"], layers["outline"]
    minx, miny, maxx, maxy = desa.total_bounds
    kx = math.cos(math.radians((miny + maxy) / 2))     # metres per degree of longitude shrink
    width_deg, height_deg = (maxx - minx) * kx, (maxy - miny)
    aspect = height_deg / width_deg if width_deg else 1.0
    w = size_px * scale
    h = max(1, int(round(w * aspect)))
    pad = 0.02

    def to_unit(lon, lat):
        u = pad + (1 - 2 * pad) * ((lon - minx) * kx / width_deg if width_deg else 0.5)
        v = pad + (1 - 2 * pad) * ((maxy - lat) / height_deg if height_deg else 0.5)
        return u, v

    def to_px(coords):
        return [(to_unit(x, y)[0] * w, to_unit(x, y)[1] * h) for x, y in coords]

    image = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(image)
    for code, geom in zip(desa["code"], desa.geometry):
        fill = _hex(class_color(coverage.get(code)))
        for poly in _polygons(geom):
            draw.polygon(to_px(poly.exterior.coords), fill=fill, outline=(255, 255, 255),
                         width=max(1, scale))
            for hole in poly.interiors:
                draw.polygon(to_px(hole.coords), fill=(255, 255, 255))
    if hatched:
        mask = Image.new("L", (w, h), 0)
        mask_draw = ImageDraw.Draw(mask)
        for code, geom in zip(desa["code"], desa.geometry):
            if code in hatched:
                for poly in _polygons(geom):
                    mask_draw.polygon(to_px(poly.exterior.coords), fill=255)
        lines = Image.new("RGB", (w, h), "white")
        lines_draw = ImageDraw.Draw(lines)
        step = 7 * scale
        for x0 in range(-h, w, step):
            lines_draw.line([(x0, h), (x0 + h, 0)], fill=(140, 140, 140), width=scale)
        image.paste(lines, mask=mask)
    for geom in outline.geometry:
        for poly in _polygons(geom):
            draw.line(to_px(poly.exterior.coords), fill=(40, 40, 40), width=3 * scale,
                      joint="curve")
    image = image.resize((w // scale, h // scale), Image.LANCZOS)
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return buf.getvalue(), (h / w), to_unit


def _polygons(geom):
    if geom is None or geom.is_empty:
        return []
    return list(geom.geoms) if hasattr(geom, "geoms") else [geom]


# -- the PDF --------------------------------------------------------------------------------------

class _Brief(FPDF):
    def __init__(self, footer_text: str):
        super().__init__(format="A4", unit="mm")
        self.footer_text = footer_text
        self.set_auto_page_break(auto=True, margin=16)
        self.set_margins(14, 12, 14)
        if (FONT_DIR / "DejaVuSans.ttf").exists():
            self.add_font("Body", "", str(FONT_DIR / "DejaVuSans.ttf"))
            self.add_font("Body", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
            self.family = "Body"
        else:  # core font: latin-1 text only (see _text)
            self.family = "Helvetica"

    def text_font(self, size: float, bold: bool = False, color=DARK):
        self.set_font(self.family, "B" if bold else "", size)
        self.set_text_color(*color)

    def footer(self):
        self.set_y(-12)
        self.text_font(7, color=GREY)
        self.cell(self.epw - 12, 5, _text(self, self.footer_text), align="L")
        self.cell(12, 5, f"{self.page_no()}/{{nb}}", align="R")


def _text(pdf: _Brief, text: str) -> str:
    if pdf.family != "Helvetica":
        return text
    swaps = {"≥": ">=", "≤": "<=", "→": "->", "–": "-", "—": "-", "·": "-"}
    for a, b in swaps.items():
        text = text.replace(a, b)
    return text.encode("latin-1", "replace").decode("latin-1")


def build_pdf(con, kecamatan: str | None = None, rm_id: str | None = None) -> bytes:
    """The planning brief of the kabupaten, of one kecamatan, or of one RM's area (rm_id: then
    nothing outside the area is in it) as PDF bytes."""
    g = gather(con, kecamatan, rm_id)
    kab = gazetteer.kabupaten(metrics.kabupaten_code(con)).name.title()
    pdf = _Brief(f"Cakupan · {kab} · data per {fmt_date(g['data_date'])} · angka agregat per "
                 "wilayah, tanpa data pribadi")
    pdf.alias_nb_pages()
    pdf.add_page()
    _header(pdf, g)
    _headline(pdf, g)
    _estimate_note(pdf, g)
    _target_line(pdf, g)
    _map_block(pdf, g)
    _priority_block(pdf, g)
    _sector_block(pdf, g)
    return bytes(pdf.output())


def _header(pdf: _Brief, g: dict) -> None:
    pdf.set_fill_color(*GREEN)
    pdf.rect(0, 0, pdf.w, 24, style="F")
    pdf.set_xy(14, 5)
    pdf.text_font(15, bold=True, color=(255, 255, 255))
    pdf.cell(0, 7, _text(pdf, f"Ringkasan perencanaan · {g['place_name']}"), new_x="LMARGIN",
             new_y="NEXT")
    pdf.set_x(14)
    pdf.text_font(9, color=(225, 240, 233))
    pdf.cell(0, 6, _text(pdf, f"Jaminan sosial pekerja rentan · data per {fmt_date(g['data_date'])}"
                              f" · {_as_of_phrase(g)}"),
             new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(28)


def _as_of_phrase(g: dict) -> str:
    from .layout import month_phrase

    return month_phrase(g["as_of"], g.get("provisional_through"))


def _estimate_note(pdf: _Brief, g: dict) -> None:
    """A year without its own estimate: the brief says whose year's estimate it used."""
    if g.get("estimate_note"):
        pdf.text_font(8.5, color=GREY)
        pdf.multi_cell(0, 4, _text(pdf, g["estimate_note"]), align="L", new_x="LMARGIN",
                       new_y="NEXT")


def _headline(pdf: _Brief, g: dict) -> None:
    t = g["target"]
    cards = [
        ("Pekerja terlindungi (aktif)", fmt_int(g["active"]),
         f"cakupan {fmt_percent(g['coverage_pct'])}"),
        (f"Target {g['year']}", fmt_int(t["target"]) if t is not None else "belum ada",
         f"tercapai {fmt_percent(t['attainment_pct'])}" if t is not None else ""),
        ("Estimasi pekerja rentan", fmt_int(g["estimated"]), "dalam sasaran"),
        ("Belum terlindungi", fmt_int(g["gap"]), "orang (kesenjangan)"),
    ]
    x0, y0, gap = 14, pdf.get_y(), 3
    width = (pdf.w - 28 - gap * 3) / 4
    for i, (label, value, note) in enumerate(cards):
        x = x0 + i * (width + gap)
        pdf.set_fill_color(243, 247, 245)
        pdf.set_draw_color(220, 228, 224)
        pdf.rect(x, y0, width, 22, style="DF")
        pdf.set_xy(x + 3, y0 + 2)
        pdf.text_font(7.5, color=GREY)
        pdf.cell(width - 6, 4, _text(pdf, label))
        pdf.set_xy(x + 3, y0 + 7)
        pdf.text_font(16, bold=True, color=(11, 61, 46))
        pdf.cell(width - 6, 8, _text(pdf, value))
        pdf.set_xy(x + 3, y0 + 16)
        pdf.text_font(7.5, color=GREY)
        pdf.cell(width - 6, 4, _text(pdf, note))
    pdf.set_y(y0 + 25)


def _target_line(pdf: _Brief, g: dict) -> None:
    t = g["target"]
    pdf.text_font(9.5)
    if t is None:
        pdf.multi_cell(0, 5, _text(pdf, f"Belum ada target untuk {g['year']}."),
                       new_x="LMARGIN", new_y="NEXT")
        return
    color = STATUS_COLORS.get(str(t["status"]), DARK)
    pdf.set_fill_color(*color)
    pdf.rect(14, pdf.get_y() + 1, 3, 3, style="F")
    pdf.set_x(19)
    pace = (f"Perlu {fmt_int(t['pace_needed'])} orang per bulan sampai akhir {t['periode']}; "
            f"laju 3 bulan terakhir {fmt_int(t['pace_recent'])} per bulan, proyeksi akhir periode "
            f"{fmt_int(t['projected'])} ({fmt_percent(t['projected_pct'])} dari target)."
            if not t.get("ended", False) and pd.notna(t["pace_needed"]) else
            f"Periode {t['periode']} berakhir: capaian {fmt_percent(t['attainment_pct'])}.")
    if t.get("unreachable", False):
        pace += (f" Target melebihi perkiraan pekerja dalam sasaran ({fmt_int(t['estimated'])}): "
                 "tidak mungkin tercapai.")
    pdf.multi_cell(0, 5, _text(pdf, f"**Status target {t['periode']}: {t['status']}.** {pace}"),
                   markdown=True, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _map_block(pdf: _Brief, g: dict) -> None:
    top = pdf.get_y() + 1
    map_w = 98
    layers = g["map"]
    if layers is None:
        pdf.set_xy(14, top)
        pdf.text_font(9, color=GREY)
        pdf.multi_cell(map_w, 5, _text(pdf, "Peta belum tersedia: batas wilayah belum dimuat "
                                            "(python -m etl load boundaries ...)."))
        map_h = 20
    else:
        coverage = dict(zip(g["desa"]["kode"], g["desa"]["coverage_pct"]))
        png, aspect, to_unit = render_map(layers, coverage)
        map_h = min(map_w * aspect, 118)
        draw_w = map_h / aspect
        x0 = 14 + (map_w - draw_w) / 2
        pdf.image(io.BytesIO(png), x=x0, y=top, w=draw_w, h=map_h)
        labels = layers["outline"] if g["level"] == "kabupaten" else layers["desa"]
        pdf.text_font(6.5 if g["level"] == "kabupaten" else 5, bold=True, color=(20, 20, 20))
        for name, geom in zip(labels["name"], labels.geometry):
            if geom is None or geom.is_empty or not name:
                continue
            point = geom.representative_point()
            u, v = to_unit(point.x, point.y)
            label = _text(pdf, str(name).title())
            pdf.text(x0 + u * draw_w - pdf.get_string_width(label) / 2, top + v * map_h + 1,
                     label)
        _legend(pdf, 14, top + map_h + 2)
        map_h += 8
    _side_table(pdf, g, 14 + map_w + 4, top)
    pdf.set_y(max(pdf.get_y(), top + map_h) + 3)


def _legend(pdf: _Brief, x: float, y: float) -> None:
    pdf.text_font(6, color=GREY)
    pdf.set_xy(x, y)
    pdf.cell(11, 4, "Cakupan:")
    cx = x + 11
    for color, label in [(c, lab) for _, c, lab in COVERAGE_BREAKS] + [(NO_DATA, "tanpa data")]:
        pdf.set_fill_color(*_hex(color))
        pdf.rect(cx, y + 0.8, 3.5, 2.6, style="F")
        text = _text(pdf, label)
        pdf.set_xy(cx + 4, y)
        pdf.cell(pdf.get_string_width(text) + 1, 4, text)
        cx += 4 + pdf.get_string_width(text) + 2.5


SIDE_ROWS = 24


def _side_table(pdf: _Brief, g: dict, x: float, y: float) -> None:
    """Kabupaten: coverage and target status per kecamatan; kecamatan: its desa."""
    width = pdf.w - 14 - x
    pdf.set_xy(x, y)
    if g["level"] == "kabupaten":
        pdf.text_font(10, bold=True)
        pdf.cell(width, 6, "Per kecamatan", new_x="LEFT", new_y="NEXT")
        status = {r.code: r.status for r in g["children"].itertuples()} \
            if len(g["children"]) else {}
        rows = [(str(r.nama).title(), fmt_int(r.active), fmt_percent(r.coverage_pct), fmt_int(r.gap),
                 str(status.get(r.kode, "-"))) for r in g["kecamatan_table"].itertuples()]
        header = ("Kecamatan", "Aktif", "Cakupan", "Belum", "Status")
        widths = (0.29, 0.13, 0.17, 0.14, 0.27)
    else:
        pdf.text_font(10, bold=True)
        pdf.cell(width, 6, "Desa/kelurahan", new_x="LEFT", new_y="NEXT")
        desa = g["desa"].sort_values("gap", ascending=False)
        rows = [(str(r.nama).title(), fmt_int(r.active), fmt_percent(r.coverage_pct), fmt_int(r.gap))
                for r in desa.itertuples()]
        if len(rows) > SIDE_ROWS:  # an RM area spans several kecamatan: the largest gaps
            rows = rows[:SIDE_ROWS - 1] + [(f"{len(rows) - SIDE_ROWS + 1} desa lainnya", "", "",
                                            "")]
        header = ("Desa", "Aktif", "Cakupan", "Belum")
        widths = (0.43, 0.18, 0.21, 0.18)
    _table(pdf, x, header, rows, [w * width for w in widths], size=7.5)


def _table(pdf: _Brief, x: float, header, rows, widths, size: float = 8.0,
           wrap_last: bool = False) -> None:
    line = size * 0.55
    pdf.set_x(x)
    pdf.set_fill_color(*GREEN)
    pdf.text_font(size, bold=True, color=(255, 255, 255))
    for text, w in zip(header, widths):
        pdf.cell(w, line + 1.2, _text(pdf, text), fill=True)
    pdf.ln(line + 1.2)
    pdf.text_font(size)
    for i, row in enumerate(rows):
        pdf.set_x(x)
        fill = i % 2 == 1
        pdf.set_fill_color(243, 247, 245)
        if wrap_last:
            y = pdf.get_y()
            for text, w in zip(row[:-1], widths[:-1]):
                pdf.cell(w, line + 1, _text(pdf, text), fill=fill)
            pdf.multi_cell(widths[-1], line + 1, _text(pdf, row[-1]), fill=fill, align="L",
                           new_x="LMARGIN", new_y="NEXT")
            if pdf.get_y() < y:  # moved to a new page
                continue
        else:
            for text, w in zip(row, widths):
                pdf.cell(w, line + 1, _text(pdf, text), fill=fill)
            pdf.ln(line + 1)


def _section(pdf: _Brief, title: str, note: str = "") -> None:
    if pdf.get_y() > pdf.h - 50:
        pdf.add_page()
    pdf.text_font(11, bold=True, color=(11, 61, 46))
    pdf.cell(0, 7, _text(pdf, title), new_x="LMARGIN", new_y="NEXT")
    if note:
        pdf.text_font(8, color=GREY)
        pdf.multi_cell(0, 4, _text(pdf, note), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(0.5)


def _priority_block(pdf: _Brief, g: dict) -> None:
    _section(pdf, f"Desa prioritas: {TOP_DESA} kesenjangan terbesar",
             "Kesenjangan = estimasi pekerja dalam sasaran dikurangi peserta aktif: jumlah orang "
             "yang masih belum terlindungi. Tindakan menurut kategori cakupan x drop-off.")
    prio = g["priority"]
    if prio.empty:
        pdf.text_font(9)
        pdf.cell(0, 5, "Tidak ada desa dengan kesenjangan.", new_x="LMARGIN", new_y="NEXT")
        return
    rows = [(str(i + 1), str(r.nama).title(), str(r.kecamatan).title(), fmt_int(r.gap),
             fmt_percent(r.coverage_pct), str(r.action).split(";")[0].split(".")[0])
            for i, r in enumerate(prio.itertuples())]
    usable = pdf.w - 28
    _table(pdf, 14, ("#", "Desa", "Kecamatan", "Belum", "Cakupan", "Tindakan utama"), rows,
           [usable * w for w in (0.04, 0.20, 0.15, 0.08, 0.09, 0.44)], size=7.5, wrap_last=True)
    pdf.ln(2)


def _sector_block(pdf: _Brief, g: dict) -> None:
    _section(pdf, "Sektor yang tertinggal",
             "Ditandai bila cakupan sektor jelas di bawah cakupan wilayah atau target sektor "
             "(selang kepercayaan 95%, agar kelompok kecil tidak ditandai karena kebetulan).")
    flagged = g["sectors"]
    pdf.text_font(8.5)
    if flagged.empty:
        pdf.multi_cell(0, 5, "Tidak ada sektor yang jelas tertinggal.", new_x="LMARGIN",
                       new_y="NEXT")
        return
    for r in flagged.itertuples():
        pdf.multi_cell(0, 4.6, _text(pdf, f"**{r.sektor_label}:** {r.reason}"), markdown=True,
                       align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(0.8)


# -- download from a page ---------------------------------------------------------------------

def scope_for(user, kecamatan: str | None = None) -> dict:
    """The brief a user may download: an RM's brief is always of the RM's area (whatever the
    page's filters say); other roles get the kabupaten or the chosen kecamatan."""
    from . import auth

    rm_id = auth.rm_area_filter(user)
    if user.role == "rm":
        return {"kecamatan": None, "rm_id": rm_id or ""}
    return {"kecamatan": kecamatan, "rm_id": None}


def download_button(kecamatan: str | None = None, key: str = "brief_pdf") -> None:
    """A "download the brief" button. The PDF (about 2 s) is made only when clicked, on
    Streamlit's download thread, with its own read-only connection. The scope follows the
    signed-in user (scope_for), so an RM never gets a kabupaten-wide brief."""
    import streamlit as st

    from etl import db

    from . import auth

    path = str(settings.get("db"))
    scope = scope_for(auth.current_user(), kecamatan)
    if scope["rm_id"] == "":
        return  # an RM account without an area: nothing to brief on

    def make() -> bytes:
        con = db.connect_readonly(path)
        try:
            return build_pdf(con, **scope)
        finally:
            con.close()

    stem = "ringkasan_" + (scope["rm_id"] or scope["kecamatan"]
                           or settings.get("kabupaten")).replace(".", "")
    st.download_button("Unduh ringkasan PDF", data=make, file_name=f"{stem}.pdf",
                       mime="application/pdf", key=key, icon=":material/picture_as_pdf:",
                       help="Ringkasan 1-2 halaman untuk rapat: angka utama, peta, status "
                            "target, desa prioritas, sektor tertinggal.")
