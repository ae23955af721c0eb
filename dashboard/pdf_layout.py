"""PDF layout primitives (fpdf2) shared by every PDF Cakupan prints (the planning brief and the
meeting minutes): the A4 document with its font and footer, text safe for the core font, the
title band, section headings and striped tables. Content lives in the module of each PDF."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
GREEN = (11, 110, 79)
DARK = (33, 37, 41)
GREY = (110, 117, 125)


def add_body_font(pdf: FPDF) -> str:
    """Register DejaVu Sans (regular and bold) as "Body" when the system has it; returns the
    family to use ("Helvetica", the core font, otherwise: latin-1 text only)."""
    if (FONT_DIR / "DejaVuSans.ttf").exists():
        pdf.add_font("Body", "", str(FONT_DIR / "DejaVuSans.ttf"))
        pdf.add_font("Body", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        return "Body"
    return "Helvetica"


class Document(FPDF):
    """An A4 page in millimetres with the DejaVu font (core Helvetica without it) and a footer
    line with page numbers."""

    def __init__(self, footer_text: str):
        super().__init__(format="A4", unit="mm")
        self.footer_text = footer_text
        self.set_auto_page_break(auto=True, margin=16)
        self.set_margins(14, 12, 14)
        self.family = add_body_font(self)  # the core font knows latin-1 only: see safe_text

    def text_font(self, size: float, bold: bool = False, color=DARK):
        self.set_font(self.family, "B" if bold else "", size)
        self.set_text_color(*color)

    def footer(self):
        self.set_y(-12)
        self.text_font(7, color=GREY)
        self.cell(self.epw - 12, 5, safe_text(self, self.footer_text), align="L")
        self.cell(12, 5, f"{self.page_no()}/{{nb}}", align="R")


def safe_text(pdf: Document, text: str) -> str:
    """The text as the document's font can print it (the core font knows latin-1 only)."""
    if pdf.family != "Helvetica":
        return text
    swaps = {"≥": ">=", "≤": "<=", "→": "->", "–": "-", "—": "-", "·": "-"}
    for a, b in swaps.items():
        text = text.replace(a, b)
    return text.encode("latin-1", "replace").decode("latin-1")


def title_band(pdf: Document, title: str, subtitle: str) -> None:
    """The green band across the top of the first page: title and one line under it."""
    pdf.set_fill_color(*GREEN)
    pdf.rect(0, 0, pdf.w, 24, style="F")
    pdf.set_xy(14, 5)
    pdf.text_font(15, bold=True, color=(255, 255, 255))
    pdf.cell(0, 7, safe_text(pdf, title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(14)
    pdf.text_font(9, color=(225, 240, 233))
    pdf.cell(0, 6, safe_text(pdf, subtitle), new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(28)


def cards(pdf: Document, items) -> None:
    """A row of headline cards across the page: (label, value, note) each."""
    gap_count = max(len(items) - 1, 0)
    x0, y0, gap = 14, pdf.get_y(), 3
    width = (pdf.w - 28 - gap * gap_count) / len(items)
    for i, (label, value, note) in enumerate(items):
        x = x0 + i * (width + gap)
        pdf.set_fill_color(243, 247, 245)
        pdf.set_draw_color(220, 228, 224)
        pdf.rect(x, y0, width, 22, style="DF")
        pdf.set_xy(x + 3, y0 + 2)
        pdf.text_font(7.5, color=GREY)
        pdf.cell(width - 6, 4, safe_text(pdf, label))
        pdf.set_xy(x + 3, y0 + 7)
        pdf.text_font(16, bold=True, color=(11, 61, 46))
        pdf.cell(width - 6, 8, safe_text(pdf, value))
        pdf.set_xy(x + 3, y0 + 16)
        pdf.text_font(7.5, color=GREY)
        pdf.cell(width - 6, 4, safe_text(pdf, note))
    pdf.set_y(y0 + 25)


def table(pdf: Document, x: float, header, rows, widths, size: float = 8.0,
          wrap_last: bool = False) -> None:
    """A table at x: a green header row, then striped rows; `wrap_last` wraps the last column."""
    line = size * 0.55
    pdf.set_x(x)
    pdf.set_fill_color(*GREEN)
    pdf.text_font(size, bold=True, color=(255, 255, 255))
    for text, w in zip(header, widths):
        pdf.cell(w, line + 1.2, safe_text(pdf, text), fill=True)
    pdf.ln(line + 1.2)
    pdf.text_font(size)
    for i, row in enumerate(rows):
        pdf.set_x(x)
        fill = i % 2 == 1
        pdf.set_fill_color(243, 247, 245)
        if wrap_last:
            y = pdf.get_y()
            for text, w in zip(row[:-1], widths[:-1]):
                pdf.cell(w, line + 1, safe_text(pdf, text), fill=fill)
            pdf.multi_cell(widths[-1], line + 1, safe_text(pdf, row[-1]), fill=fill, align="L",
                           new_x="LMARGIN", new_y="NEXT")
            if pdf.get_y() < y:  # moved to a new page
                continue
        else:
            for text, w in zip(row, widths):
                pdf.cell(w, line + 1, safe_text(pdf, text), fill=fill)
            pdf.ln(line + 1)


def section(pdf: Document, title: str, note: str = "") -> None:
    """A section heading (on a new page when little room is left) and an optional note."""
    if pdf.get_y() > pdf.h - 50:
        pdf.add_page()
    pdf.text_font(11, bold=True, color=(11, 61, 46))
    pdf.cell(0, 7, safe_text(pdf, title), new_x="LMARGIN", new_y="NEXT")
    if note:
        pdf.text_font(8, color=GREY)
        pdf.multi_cell(0, 4, safe_text(pdf, note), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(0.5)
