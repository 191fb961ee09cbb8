"""A text PDF (A4, top to bottom, pages break when full), enough for an invoice: fpdf2 with DejaVu Sans
embedded, so every character of a client's name prints ("Zażółć gęślą jaźń", not "Za?ó??").

The fonts travel with the code (core/fonts/, their licence beside them): no system font is needed.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVuSans"
MARGIN_MM = 20
LINE_HEIGHT = 1.4  # × the font size


def text_pdf(lines: list[tuple[str, int, bool]], *, title: str = "") -> bytes:
    """The PDF bytes of these (text, size in points, bold) lines, top to bottom; long lines wrap."""
    pdf = FPDF(format="A4", unit="pt")
    pdf.set_margins(MARGIN_MM * 72 / 25.4, MARGIN_MM * 72 / 25.4)
    pdf.set_auto_page_break(True, margin=MARGIN_MM * 72 / 25.4)
    pdf.add_font(FAMILY, "", FONTS / "DejaVuSans.ttf")
    pdf.add_font(FAMILY, "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.set_title(title)
    pdf.set_producer("Relevo")
    pdf.add_page()
    for text, size, bold in lines:
        pdf.set_font(FAMILY, "B" if bold else "", size)
        if not text:
            pdf.ln(size * LINE_HEIGHT)
            continue
        pdf.multi_cell(0, size * LINE_HEIGHT, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
