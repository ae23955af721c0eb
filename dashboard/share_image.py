"""The one-page share image of the public figures: a PNG sized for WhatsApp and social media
(1080 x 1350, portrait) and the same page as a PDF, made offline (Pillow and fpdf2, as the
planning brief is).

Owns ``png_bytes(data, layers)`` and ``pdf_bytes(data, layers)``. Both draw one layout
(``layout()``: text, boxes and two pictures placed on a 1080 x 1350 grid), so the image and the
PDF cannot differ; in the PDF the text is real text (searchable, and what tests read with
pdftotext). The figures are dashboard.public's, suppressed as on the page: the headline cards
are public_text.headline_cards, the map hatches suppressed desa (dashboard.public_map), the trend
leaves suppressed months out. Nothing but aggregates enters it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd

from . import public, public_map
from .charts import COVERAGE_BREAKS, NO_DATA
from .layout import fmt_date, fmt_int, fmt_month
from .map_image import render_map
from .pdf_layout import FONT_DIR, add_body_font
from .public_text import headline_cards

WIDTH, HEIGHT = 1080, 1350
GREEN, DARK, GREY, RED = (11, 110, 79), (33, 37, 41), (92, 99, 106), (192, 57, 43)
PT_PER_PX = 0.5                      # the PDF page: 540 x 675 pt (19 x 23.8 cm)


@dataclass
class Text:
    x: float
    y: float                         # top of the line
    size: float                      # px
    text: str
    bold: bool = False
    color: tuple = DARK


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float
    fill: tuple
    outline: tuple | None = None


@dataclass
class Picture:
    x: float
    y: float
    w: float
    h: float
    png: bytes


def layers_of(con) -> dict | None:
    """Desa polygons and kecamatan outlines for the map (None without boundaries)."""
    from geo.boundaries import read_layer

    desa = read_layer(con, "desa")
    if desa.empty:
        return None
    return {"desa": desa, "outline": read_layer(con, "kecamatan")}


def layout(data: public.PublicData, layers: dict | None) -> list:
    items: list = [Box(0, 0, WIDTH, 170, GREEN),
                   Text(48, 34, 44, "Perlindungan pekerja rentan", True, (255, 255, 255)),
                   Text(48, 96, 30, data.place, False, (255, 255, 255)),
                   Text(48, 190, 24, f"Keadaan akhir {fmt_month(data.as_of)} · data per "
                                     f"{fmt_date(data.data_date)}", False, GREY)]
    for i, card in enumerate(headline_cards(data)):
        x, y = 48 + (i % 2) * 500, 240 + (i // 2) * 150
        items += [Box(x, y, 484, 134, (255, 255, 255), (222, 226, 230)),
                  Text(x + 20, y + 14, 24, card.label, False, GREY),
                  Text(x + 20, y + 46, 46, card.value, True, DARK)]
        if card.note:
            items.append(Text(x + 20, y + 102, 20, card.note, False, GREY))
    top = 550
    items.append(Text(48, top, 28, "Cakupan per desa/kelurahan", True))
    if layers is not None:
        figures = public_map.map_figures(data, "desa")
        coverage = dict(zip(figures["kode"], figures["coverage_pct"].astype("Float64")
                            .astype(object).where(figures["coverage_pct"].notna(), None)))
        hidden = set(figures.loc[figures[public_map.maps.SUPPRESSED_CLASS], "kode"])
        png, aspect, _ = render_map(layers, coverage, size_px=760, hatched=hidden)
        box_w, box_h = 700, 390
        w = min(box_w, box_h / aspect)
        h = w * aspect
        items.append(Picture(48 + (box_w - w) / 2, top + 44, w, h, png))
    else:
        items.append(Text(48, top + 60, 22, "Batas wilayah belum dimuat.", False, GREY))
    ly = top + 60
    for _, color, label in COVERAGE_BREAKS:
        items += [Box(790, ly, 30, 22, _rgb(color), (150, 150, 150)),
                  Text(832, ly - 2, 22, label)]
        ly += 38
    items += [Picture(790, ly, 30, 22, _hatch_swatch()), Text(832, ly - 2, 22, "disamarkan"),
              Box(790, ly + 38, 30, 22, _rgb(NO_DATA), (150, 150, 150)),
              Text(832, ly + 36, 22, "tidak ada data")]
    ty = 1000
    items += [Text(48, ty, 28, "Peserta aktif pada akhir tiap bulan", True),
              Picture(48, ty + 42, 984, 210, trend_png(data, 984, 210))]
    items += [Text(48, 1276, 19, f"Hanya angka agregat; angka di bawah {data.threshold} orang "
                                 "disamarkan.", False, GREY),
              Text(48, 1302, 19, "Sumber: Lindungi Prens, BPJS Ketenagakerjaan · Data terbuka "
                                 "dan metodologi: halaman Transparansi.", False, GREY)]
    return items


def _rgb(color: str) -> tuple:
    color = color.lstrip("#")
    return tuple(int(color[i:i + 2], 16) for i in (0, 2, 4))


def _font(size: float, bold: bool):
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(str(FONT_DIR / name), int(round(size)))
    except OSError:
        return ImageFont.load_default(size)


def _hatch_swatch() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (60, 44), "white")
    draw = ImageDraw.Draw(image)
    for x0 in range(-44, 60, 10):
        draw.line([(x0, 44), (x0 + 44, 0)], fill=(140, 140, 140), width=2)
    draw.rectangle([0, 0, 59, 43], outline=(150, 150, 150), width=2)
    return _png(image)


def _png(image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def trend_png(data: public.PublicData, w: int, h: int, scale: int = 2) -> bytes:
    """The trend line with the year's target (dashed), axis labels in Indonesian numbers."""
    from PIL import Image, ImageDraw

    pub = data.tables["tren"].published()
    values = [None if pd.isna(v) else float(v) for v in pub["peserta_aktif"]]
    target = data.headline.get("target_tahun")
    W, H = w * scale, h * scale
    image = Image.new("RGB", (W, H), "white")
    draw = ImageDraw.Draw(image)
    known = [v for v in values if v is not None] + ([float(target)] if target else [])
    if not known:
        return _png(image.resize((w, h)))
    step = _nice_step(max(known) / 3)
    top = step * (int(max(known) / step) + 1)
    left, bottom = 110 * scale, 34 * scale
    font = _font(18 * scale, False)

    def x(i):
        return left + (W - left - 10 * scale) * i / max(len(values) - 1, 1)

    def y(v):
        return 8 * scale + (H - bottom - 8 * scale) * (1 - v / top)

    for k in range(int(round(top / step)) + 1):
        v = step * k
        draw.line([(left, y(v)), (W, y(v))], fill=(233, 236, 239), width=scale)
        draw.text((left - 8 * scale, y(v)), fmt_int(v), font=font, fill=GREY, anchor="rm")
    run: list = []
    for i, v in enumerate(values + [None]):
        if v is None:
            if len(run) > 1:
                draw.line(run, fill=GREEN, width=4 * scale, joint="curve")
            run = []
        else:
            run.append((x(i), y(v)))
    if target:
        ty = y(float(target))
        for x0 in range(left, W, 16 * scale):
            draw.line([(x0, ty), (min(x0 + 9 * scale, W), ty)], fill=RED, width=2 * scale)
        draw.text((W - 4 * scale, ty - 6 * scale), f"Target {data.year}: {fmt_int(target)}",
                  font=font, fill=RED, anchor="rb")
    months = list(pub["bulan"])
    for i in sorted({0, len(months) - 1}):
        draw.text((x(i), H - 4 * scale), fmt_month(months[i]), font=font, fill=GREY,
                  anchor="lb" if i == 0 else "rb")
    return _png(image.resize((w, h), Image.LANCZOS))


def _nice_step(raw: float) -> float:
    """1, 2 or 5 times a power of ten, at least `raw` (round axis ticks)."""
    import math

    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def png_bytes(data: public.PublicData, layers: dict | None) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, HEIGHT), (248, 249, 250))
    draw = ImageDraw.Draw(image)
    for item in layout(data, layers):
        if isinstance(item, Box):
            draw.rectangle([item.x, item.y, item.x + item.w, item.y + item.h], fill=item.fill,
                           outline=item.outline, width=2 if item.outline else 0)
        elif isinstance(item, Text):
            draw.text((item.x, item.y), item.text, font=_font(item.size, item.bold),
                      fill=item.color)
        else:
            picture = Image.open(io.BytesIO(item.png)).convert("RGB")
            picture = picture.resize((int(round(item.w)), int(round(item.h))), Image.LANCZOS)
            image.paste(picture, (int(round(item.x)), int(round(item.y))))
    return _png(image)


def pdf_bytes(data: public.PublicData, layers: dict | None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format=(WIDTH * PT_PER_PX, HEIGHT * PT_PER_PX))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    family = add_body_font(pdf)
    pdf.set_title(f"Perlindungan pekerja rentan {data.place}, {fmt_month(data.as_of)}")
    pdf.add_page()
    pdf.set_fill_color(248, 249, 250)
    pdf.rect(0, 0, pdf.w, pdf.h, style="F")
    k = PT_PER_PX
    for item in layout(data, layers):
        if isinstance(item, Box):
            pdf.set_fill_color(*item.fill)
            if item.outline:
                pdf.set_draw_color(*item.outline)
                pdf.set_line_width(1)
            pdf.rect(item.x * k, item.y * k, item.w * k, item.h * k,
                     style="DF" if item.outline else "F")
        elif isinstance(item, Text):
            pdf.set_font(family, "B" if item.bold else "", item.size * k)
            pdf.set_text_color(*item.color)
            text = item.text if family == "Body" else item.text.encode("latin-1", "replace"
                                                                       ).decode("latin-1")
            # Pillow places text by its top; PDF by its baseline (about 0.8 em lower).
            pdf.text(item.x * k, (item.y + item.size * 0.82) * k, text)
        else:
            pdf.image(io.BytesIO(item.png), x=item.x * k, y=item.y * k, w=item.w * k,
                      h=item.h * k)
    return bytes(pdf.output())
