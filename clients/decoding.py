"""Text as a browser or a server shows it, for rules that must see through encodings
(clients.pci: "4111%201111…" and "4111<b>1111</b>…" are card numbers): each character of
the decoded text knows which characters of the written text it came from, so that what is
found in one can be hidden in the other, keeping the written text's form and length."""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import unquote

# What a browser or a server decodes: a percent-escape (an ASCII byte, or the bytes of one
# UTF-8 character), an HTML character reference, a tag or a comment (read as a space).
ENCODED = re.compile(
    r"%[0-7][0-9A-Fa-f]|(?:%[89A-Fa-f][0-9A-Fa-f])+"
    r"|&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
    r"|</?[A-Za-z][^<>]{0,200}>|<!--[^<>]{0,200}-->"
)


class Decoded:
    """`text` as it reads once decoded (`seen`), and for each character of `seen` the span of
    `text` it was written with, so that what is found in one is masked in the other.

    Only what stands for separators is decoded (`_decoded_separator`): "%2C" and "&nbsp;" part
    digit groups as a comma and a space do, but "4111%4111" keeps its digits, as a reader sees them."""

    def __init__(self, text: str):
        self.text = text
        self.spans: list[tuple[int, int]] | None = None  # None: `seen` is `text`
        if not ENCODED.search(text):
            self.seen = text
            return
        pieces, self.spans, position = [], [], 0
        for token in ENCODED.finditer(text):
            decoded = _decoded_separator(token.group())
            if decoded is None:
                continue
            pieces.append(text[position : token.start()])
            self.spans.extend((index, index + 1) for index in range(position, token.start()))
            pieces.append(decoded)
            self.spans.extend([token.span()] * len(decoded))
            position = token.end()
        pieces.append(text[position:])
        self.spans.extend((index, index + 1) for index in range(position, len(text)))
        self.seen = "".join(pieces)

    def masked(self, hidden, mask: str) -> str:
        """`text` with the characters behind these positions of `seen` replaced by `mask`."""
        chars = list(self.text)
        for position in hidden:
            start, end = self.spans[position] if self.spans is not None else (position, position + 1)
            chars[start:end] = mask * (end - start)
        return "".join(chars)


def _decoded_separator(token: str) -> str | None:
    """What an escape, a character reference or a tag reads as, when that parts digit groups."""
    if token.startswith("<"):
        return " "
    decoded = unquote(token, errors="replace") if token.startswith("%") else html.unescape(token)
    if decoded == token or any(char.isalnum() or unicodedata.category(char) == "Cc" for char in decoded):
        return None
    return decoded
