"""Text a person may send: one rule for chat messages, names, emails and forms of every app.

Nobody types NUL or the other control characters (C0, C1, DEL), and PostgreSQL
refuses NUL in text: such text is refused with a sentence the sender can act on,
never stored altered without saying so. A lone surrogate (invalid UTF-16 from a
JSON escape) cannot be stored either. Tabs are kept; multi-line text keeps its
line breaks, with CR LF and CR made LF.
"""
from __future__ import annotations

import re

from django.utils.translation import gettext as _

from clients.errors import UnprintableText

# Cc (U+0000–U+001F, U+007F–U+009F) and the surrogates; tab and line feed are left to the callers.
UNPRINTABLE_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
UNPRINTABLE_IN_LINE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]")


def has_unprintable(value: str, *, multiline: bool = True) -> bool:
    """Would `checked_text` / `checked_line` refuse this?"""
    pattern = UNPRINTABLE_IN_TEXT if multiline else UNPRINTABLE_IN_LINE
    return bool(pattern.search(value.replace("\r", "\n") if multiline else value))


def checked_text(value: str, *, field: str | None = None) -> str:
    """Multi-line text (a message, a note) as stored: line breaks made LF; raises UnprintableText."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if UNPRINTABLE_IN_TEXT.search(value):
        raise UnprintableText(unprintable_detail(field))
    return value


def checked_line(value: str, *, field: str | None = None) -> str:
    """A single line (a name, an email, a search): no control character but tab; raises UnprintableText."""
    if UNPRINTABLE_IN_LINE.search(value):
        raise UnprintableText(unprintable_detail(field))
    return value


def unprintable_detail(field: str | None) -> str:
    if field:
        return _("The %(field)s contains a control character (such as NUL) that cannot be stored. "
                 "Remove it and try again.") % {"field": field}
    return _("The text contains a control character (such as NUL) that cannot be stored. Remove it and try again.")
