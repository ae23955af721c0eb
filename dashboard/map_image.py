"""The coverage map as a picture (Pillow, no browser, no network): desa filled by coverage class
(dashboard.charts.COVERAGE_BREAKS, the classes of the dashboard map), suppressed desa hatched,
kecamatan outlines on top. Used by the PDF brief and the public share image, which set the place
names as text on top."""

from __future__ import annotations

import io
import math

from .charts import class_color


def hex_rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return tuple(int(color[i:i + 2], 16) for i in (0, 2, 4))


def render_map(layers: dict, coverage: dict[str, float | None], size_px: int = 1400,
               scale: int = 2, hatched=frozenset()):
    """A PNG of desa coloured by coverage class with kecamatan outlines.

    Desa in `hatched` (suppressed on public output) are drawn white with grey diagonal lines,
    never in a coverage colour. Returns (png bytes, aspect ratio h/w, to_unit(lon, lat) -> (u, v)
    in 0..1 image units) so the caller can set labels as text on top.
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
        fill = hex_rgb(class_color(coverage.get(code)))
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
