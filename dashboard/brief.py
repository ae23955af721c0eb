"""The PDF planning brief: one or two A4 pages for the kabupaten, one kecamatan or an RM's area.

Owns ``build_pdf(con, kecamatan=None, rm_id=None) -> bytes``, the brief's content and its order on
the page: headline cards, target status, the coverage map with its side table, the priority desa
(largest gaps first) and the under-reached sectors. Beside it, one concern each:
dashboard.brief_data (the figures, from the same functions as the pages), dashboard.map_image
(the map picture), dashboard.pdf_layout (the PDF primitives the meeting minutes will share) and
dashboard.brief_download (the page's button). Place names are set as PDF text on the map so they
stay sharp. The brief holds aggregates by place only: no NIK, name or phone ever enters it.
"""

from __future__ import annotations

import io

import pandas as pd

from etl import gazetteer, metrics

from .brief_data import TOP_DESA, gather  # noqa: F401  (gather: the figures, re-exported)
from .charts import COVERAGE_BREAKS, NO_DATA
from .layout import fmt_date, fmt_int, fmt_percent, month_phrase
from .map_image import hex_rgb, render_map  # noqa: F401  (render_map re-exported)
from .pdf_layout import (DARK, FONT_DIR, GREY, Document, cards, safe_text,  # noqa: F401
                         section, table, title_band)

STATUS_COLORS = {"sesuai jalur": (26, 150, 65), "berisiko": (230, 140, 20),
                 "tertinggal": (200, 30, 40), "tercapai": (26, 150, 65),
                 "tidak tercapai": (200, 30, 40)}


def build_pdf(con, kecamatan: str | None = None, rm_id: str | None = None) -> bytes:
    """The planning brief of the kabupaten, of one kecamatan, or of one RM's area (rm_id: then
    nothing outside the area is in it) as PDF bytes."""
    g = gather(con, kecamatan, rm_id)
    kab = gazetteer.kabupaten(metrics.kabupaten_code(con)).name.title()
    pdf = Document(f"Cakupan · {kab} · data per {fmt_date(g['data_date'])} · angka agregat per "
                   "wilayah, tanpa data pribadi")
    pdf.alias_nb_pages()
    pdf.add_page()
    title_band(pdf, f"Ringkasan perencanaan · {g['place_name']}",
               f"Jaminan sosial pekerja rentan · data per {fmt_date(g['data_date'])}"
               f" · {_as_of_phrase(g)}")
    _headline(pdf, g)
    _estimate_note(pdf, g)
    _target_line(pdf, g)
    _map_block(pdf, g)
    _priority_block(pdf, g)
    _sector_block(pdf, g)
    return bytes(pdf.output())


def _as_of_phrase(g: dict) -> str:
    return month_phrase(g["as_of"], g.get("provisional_through"))


def _estimate_note(pdf: Document, g: dict) -> None:
    """A year without its own estimate: the brief says whose year's estimate it used."""
    if g.get("estimate_note"):
        pdf.text_font(8.5, color=GREY)
        pdf.multi_cell(0, 4, safe_text(pdf, g["estimate_note"]), align="L", new_x="LMARGIN",
                       new_y="NEXT")


def _headline(pdf: Document, g: dict) -> None:
    t = g["target"]
    items = [
        ("Pekerja terlindungi (aktif)", fmt_int(g["active"]),
         f"cakupan {fmt_percent(g['coverage_pct'])}"),
        (f"Target {g['year']}", fmt_int(t["target"]) if t is not None else "belum ada",
         f"tercapai {fmt_percent(t['attainment_pct'])}" if t is not None else ""),
        ("Estimasi pekerja rentan", fmt_int(g["estimated"]), "dalam sasaran"),
        ("Belum terlindungi", fmt_int(g["gap"]), "orang (kesenjangan)"),
    ]
    cards(pdf, items)


def _target_line(pdf: Document, g: dict) -> None:
    t = g["target"]
    pdf.text_font(9.5)
    if t is None:
        pdf.multi_cell(0, 5, safe_text(pdf, f"Belum ada target untuk {g['year']}."),
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
    pdf.multi_cell(0, 5, safe_text(pdf, f"**Status target {t['periode']}: {t['status']}.** {pace}"),
                   markdown=True, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _map_block(pdf: Document, g: dict) -> None:
    top = pdf.get_y() + 1
    map_w = 98
    layers = g["map"]
    if layers is None:
        pdf.set_xy(14, top)
        pdf.text_font(9, color=GREY)
        pdf.multi_cell(map_w, 5, safe_text(pdf, "Peta belum tersedia: batas wilayah belum dimuat "
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
            label = safe_text(pdf, str(name).title())
            pdf.text(x0 + u * draw_w - pdf.get_string_width(label) / 2, top + v * map_h + 1,
                     label)
        _legend(pdf, 14, top + map_h + 2)
        map_h += 8
    _side_table(pdf, g, 14 + map_w + 4, top)
    pdf.set_y(max(pdf.get_y(), top + map_h) + 3)


def _legend(pdf: Document, x: float, y: float) -> None:
    pdf.text_font(6, color=GREY)
    pdf.set_xy(x, y)
    pdf.cell(11, 4, "Cakupan:")
    cx = x + 11
    for color, label in [(c, lab) for _, c, lab in COVERAGE_BREAKS] + [(NO_DATA, "tanpa data")]:
        pdf.set_fill_color(*hex_rgb(color))
        pdf.rect(cx, y + 0.8, 3.5, 2.6, style="F")
        text = safe_text(pdf, label)
        pdf.set_xy(cx + 4, y)
        pdf.cell(pdf.get_string_width(text) + 1, 4, text)
        cx += 4 + pdf.get_string_width(text) + 2.5


SIDE_ROWS = 24


def _side_table(pdf: Document, g: dict, x: float, y: float) -> None:
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
    table(pdf, x, header, rows, [w * width for w in widths], size=7.5)


def _priority_block(pdf: Document, g: dict) -> None:
    section(pdf, f"Desa prioritas: {TOP_DESA} kesenjangan terbesar",
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
    table(pdf, 14, ("#", "Desa", "Kecamatan", "Belum", "Cakupan", "Tindakan utama"), rows,
           [usable * w for w in (0.04, 0.20, 0.15, 0.08, 0.09, 0.44)], size=7.5, wrap_last=True)
    pdf.ln(2)


def _sector_block(pdf: Document, g: dict) -> None:
    section(pdf, "Sektor yang tertinggal",
             "Ditandai bila cakupan sektor jelas di bawah cakupan wilayah atau target sektor "
             "(selang kepercayaan 95%, agar kelompok kecil tidak ditandai karena kebetulan).")
    flagged = g["sectors"]
    pdf.text_font(8.5)
    if flagged.empty:
        pdf.multi_cell(0, 5, "Tidak ada sektor yang jelas tertinggal.", new_x="LMARGIN",
                       new_y="NEXT")
        return
    for r in flagged.itertuples():
        pdf.multi_cell(0, 4.6, safe_text(pdf, f"**{r.sektor_label}:** {r.reason}"), markdown=True,
                       align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(0.8)


