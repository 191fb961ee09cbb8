"""Which client a widget's call or socket speaks for: its widget key and its page's Origin.

One rule for the widget's HTTP endpoints, the visit socket and the visitor's chat socket: a
key that cannot be one (empty, longer than the column, a control character such as NUL, which
PostgreSQL cannot even compare) is refused as unknown without asking the database, and an
Origin the client has not listed is refused (`Client.is_origin_allowed`)."""

from __future__ import annotations

from clients.errors import OriginNotAllowed
from clients.models import Client
from clients.text import has_unprintable
from core.errors import NotFound


def may_be_widget_key(key: str) -> bool:
    """Could `key` be stored as a widget key at all? (Anything else is not worth a query.)"""
    return 0 < len(key) <= Client._meta.get_field("widget_key").max_length and not has_unprintable(key)


def client_for_widget(key: str, origin: str | None, *, may_lack_origin: bool = False) -> Client:
    """The client whose widget key this is, if a page of `origin` may use it: NotFound, else
    OriginNotAllowed. `may_lack_origin`: a call without an Origin passes (an HTTP GET, which
    browsers send without one from the client's own page); sockets always have one."""
    client = Client.objects.filter(widget_key=key).first() if may_be_widget_key(key) else None
    if client is None:
        raise NotFound()
    check_widget_origin(client, origin, may_lack_origin=may_lack_origin)
    return client


def check_widget_origin(client: Client, origin: str | None, *, may_lack_origin: bool = False) -> None:
    """Raise OriginNotAllowed unless a page of `origin` may use `client`'s widget."""
    if (origin or not may_lack_origin) and not client.is_origin_allowed(origin):
        raise OriginNotAllowed()
