"""Text a person may send: one rule for chat messages, names, emails and forms of every app.

`checked_name`, `checked_email` and `checked_body` are the rules every edge calls (the widget's
conversations, pre-chat and offline forms, leads, the visit's `identify`, transcript requests);
`checked_line` and `checked_text` are what they build on.

Nobody types NUL or the other control characters (C0, C1, DEL), and PostgreSQL
refuses NUL in text: such text is refused with a sentence the sender can act on,
never stored altered without saying so. A lone surrogate (invalid UTF-16 from a
JSON escape) cannot be stored either. Tabs are kept; multi-line text keeps its
line breaks, with CR LF and CR made LF.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from clients.errors import UnprintableText
from clients.pci import mask_card_numbers
from core.errors import InvalidInput, RelevoError

EMAIL_MAX_CHARS = models.EmailField().max_length  # every EmailField's column (254); validate_email allows 320

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
        return _(
            "The %(field)s contains a control character (such as NUL) that cannot be stored. Remove it and try again."
        ) % {"field": field}
    return _("The text contains a control character (such as NUL) that cannot be stored. Remove it and try again.")


def checked_name(value: str, *, model: type[models.Model]) -> str:
    """A person's name as `model` stores it: stripped, one printable line of at most the model's
    `name` max_length (InvalidInput, UnprintableText), a card number in it masked."""
    name = checked_line(value.strip(), field=pgettext("a person's name", "name"))
    if len(name) > model._meta.get_field("name").max_length:
        raise InvalidInput(_("The name is too long."))
    return mask_card_numbers(name)[0]


PHONE = re.compile(r"^\+?\(?[0-9][0-9 ()./-]{4,30}$")  # "+34 600 123 456", "(030) 1234-5678"
MIN_PHONE_DIGITS, MAX_PHONE_DIGITS = 6, 15  # E.164 has at most 15 digits


def checked_phone(value: object, *, required: bool = True) -> str:
    """A phone number a person can call, spaces collapsed: digits with the usual separators, 6 to 15
    digits, never a card number (not stored: InvalidInput), no control character (UnprintableText).
    Empty is allowed unless `required`. The one rule of the callback form and every lead's contact."""
    if not isinstance(value, str):
        raise InvalidInput(_("Enter a phone number."))
    phone = " ".join(checked_line(value, field=_("phone")).split())
    if not phone and not required:
        return ""
    digits = sum(char.isdigit() for char in phone)
    if not PHONE.match(phone) or not MIN_PHONE_DIGITS <= digits <= MAX_PHONE_DIGITS or mask_card_numbers(phone)[1]:
        raise InvalidInput(_("Enter a phone number, such as +34 600 123 456."))
    return phone


def checked_email(value: str) -> str:
    """An email address, stripped ("" when none was given): one printable line that is an address
    and fits the column; never a card number (refused, so it is never stored)."""
    email = checked_line(value.strip(), field=_("email"))
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(_("Enter a valid email address.")) from None
    if len(email) > EMAIL_MAX_CHARS or mask_card_numbers(email)[1]:
        raise InvalidInput(_("Enter a valid email address."))
    return email


def body_too_long_detail(limit: int | None = None, *, field: str | None = None) -> str:
    """What a visitor or agent is told about a message (or the `field` named) over the limit (the widget shows
    it too)."""
    limit = limit or settings.CHAT_MAX_BODY_CHARS
    if field:
        return _("The %(field)s may have at most %(limit)s characters.") % {"field": field, "limit": limit}
    return _("A message may have at most %(limit)s characters.") % {"limit": limit}


def checked_body(
    value: str, *, field: str | None = None, limit: int | None = None, too_long: type[RelevoError] = InvalidInput
) -> str:
    """A message (or the multi-line `field` named, such as a comment) as stored (`checked_text`: line
    breaks made LF, control characters refused) of at most `limit` characters (CHAT_MAX_BODY_CHARS),
    else `too_long` (the chat's socket answers `too_long`, forms `invalid`). Card numbers are left to
    the caller, which masks them."""
    body = checked_text(value, field=field or _("message"))
    limit = limit or settings.CHAT_MAX_BODY_CHARS
    if len(body) > limit:
        raise too_long(body_too_long_detail(limit, field=field))
    return body
