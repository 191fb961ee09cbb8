"""Frames of the visit socket `/ws/visit/<widget_key>/` (docs/protocol.md, "Live visits")."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from chats import errors
from chats.visits.models import Visit
from clients.text import has_unprintable
from core.sockets import decode_frame

VISIT_FRAME_TYPES = {"hello", "cart", "identify", "conversion", "chat", "accept", "decline", "ping"}
MAX_VALUE = Decimal("9999999999.99")
MAX_ITEMS = 10_000
NAME_CHARS = Visit._meta.get_field("name").max_length


@dataclass(frozen=True, slots=True)
class VisitFrame:
    """A validated frame from a visitor's page."""

    type: str
    fields: dict = field(default_factory=dict)


def parse_visit_frame(raw: str | bytes | None) -> VisitFrame:
    data = decode_frame(raw, allowed=VISIT_FRAME_TYPES)
    frame_type = data["type"]
    parse = PARSERS.get(frame_type)
    return VisitFrame(type=frame_type, fields=parse(data) if parse else {})


def _line(data: dict, name: str, limit: int | None) -> str:
    """Optional text of at most `limit` characters, one line; longer is cut, control characters refused."""
    value = data.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise errors.BadFrame(_("“%(field)s” must be text.") % {"field": name})
    if has_unprintable(value, multiline=False):
        raise errors.BadFrame(_("“%(field)s” holds control characters.") % {"field": name})
    return value.strip()[:limit]


def _amount(data: dict, name: str = "value") -> Decimal:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise errors.BadFrame(_("“%(field)s” must be a number.") % {"field": name})
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise errors.BadFrame(_("“%(field)s” must be a number.") % {"field": name}) from None
    if not amount.is_finite() or not 0 <= amount <= MAX_VALUE:
        raise errors.BadFrame(_("“%(field)s” must be a number from 0 to %(max)s.") % {"field": name, "max": MAX_VALUE})
    return amount


def _currency(data: dict) -> str:
    currency = _line(data, "currency", 10).upper()
    if currency and not (len(currency) == 3 and currency.isascii() and currency.isalpha()):
        raise errors.BadFrame(_("“currency” must be a three-letter code such as EUR."))
    return currency


def _id(data: dict, name: str) -> int:
    value = data.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 2**63:
        raise errors.BadFrame(_("“%(field)s” must be an id.") % {"field": name})
    return value


def _hello(data: dict) -> dict:
    visit = data.get("visit")
    key = None
    if visit is not None:
        try:
            key = uuid.UUID(str(visit))
        except ValueError:
            raise errors.BadFrame(_("“visit” must be a UUID.")) from None
    pages = data.get("pages_seen", 1)
    if not isinstance(pages, int) or isinstance(pages, bool) or not 0 < pages <= 100_000:
        raise errors.BadFrame(_("“pages_seen” must be a whole number of at least 1."))
    return {
        "key": key,
        "url": _line(data, "url", 500),
        "title": _line(data, "title", 200),
        "referrer": _line(data, "referrer", 500),
        "language": _line(data, "language", 10).lower(),
        "returning": data.get("returning") is True,
        "pages_seen": pages,
    }


def _cart(data: dict) -> dict:
    items = data.get("items", 0)
    if isinstance(items, list):
        items = len(items)
    if not isinstance(items, int) or isinstance(items, bool) or not 0 <= items <= MAX_ITEMS:
        raise errors.BadFrame(_("“items” must be a list or a whole number."))
    return {"value": _amount(data), "currency": _currency(data), "items": items}


def _identify(data: dict) -> dict:
    # A name is cut to what a visit stores; an email never (a cut address is another one): too long is refused.
    return {"name": _line(data, "name", NAME_CHARS), "email": _line(data, "email", None)}


def _conversion(data: dict) -> dict:
    return {"value": _amount(data), "currency": _currency(data)}


def _chat(data: dict) -> dict:
    token = data.get("token")
    if not isinstance(token, str) or not 0 < len(token) <= 100:
        raise errors.BadFrame(_("“token” must be the chat's token."))
    return {"conversation_id": _id(data, "conversation"), "token": token}


def _invitation(data: dict) -> dict:
    return {"invitation": _id(data, "invitation")}


PARSERS = {
    "hello": _hello,
    "cart": _cart,
    "identify": _identify,
    "conversion": _conversion,
    "chat": _chat,
    "accept": _invitation,
    "decline": _invitation,
}


def invitation_frame(*, invitation_id: int, text: str, agent_name: str | None) -> dict:
    return {
        "type": "invitation",
        "invitation": invitation_id,
        "text": text,
        "agent": {"name": agent_name} if agent_name else None,
    }
