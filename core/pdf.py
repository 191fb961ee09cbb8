"""A one-page-at-a-time text PDF (PDF 1.4, Helvetica, WinAnsi), enough for an invoice: no dependency.

Lines are (text, size, bold); text outside Latin-1 becomes "?". Pages break when full.
"""
from __future__ import annotations

PAGE_WIDTH, PAGE_HEIGHT, MARGIN = 595, 842, 56  # A4 in points


def _escape(text: str) -> str:
    text = "".join(ch if 32 <= ord(ch) < 256 and ord(ch) != 127 else "?" for ch in text)
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _pages(lines: list[tuple[str, int, bool]]) -> list[str]:
    pages, current, y = [], [], PAGE_HEIGHT - MARGIN
    for text, size, bold in lines:
        step = size * 1.4
        if y - step < MARGIN and current:
            pages.append("\n".join(current))
            current, y = [], PAGE_HEIGHT - MARGIN
        y -= step
        font = "F2" if bold else "F1"
        current.append(f"BT /{font} {size} Tf {MARGIN} {y:.1f} Td ({_escape(text)}) Tj ET")
    pages.append("\n".join(current))
    return pages


def text_pdf(lines: list[tuple[str, int, bool]], *, title: str = "") -> bytes:
    """The PDF bytes of these lines, top to bottom."""
    pages = _pages(lines)
    objects: list[bytes] = []
    page_ids = [5 + 2 * index for index in range(len(pages))]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{' '.join(f'{i} 0 R' for i in page_ids)}] /Count {len(pages)} >>"
                   .encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    for index, content in enumerate(pages):
        stream = content.encode("latin-1")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
                       f"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {page_ids[index] + 1} 0 R >>"
                       .encode())
        objects.append(b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream")
    info_id = len(objects) + 1
    objects.append(f"<< /Title ({_escape(title)}) /Producer (Relevo) >>".encode("latin-1"))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {info_id} 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
