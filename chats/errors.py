"""Errors of the chat domain: subclasses of core.errors' one hierarchy (same codes, one HTTP mapping).

The shared ones (InvalidInput, NotFound, Forbidden, RateLimited, InternalError, and the frame
errors BadJson, BadFrame, TooLong of core.sockets) are core's own classes and OriginNotAllowed
is clients' (clients.widget_access), named here too so that chat code says `errors.NotFound`.
"""

from django.utils.translation import gettext_lazy as _

from clients.errors import OriginNotAllowed
from core.errors import (
    BadFrame,
    BadJson,
    Forbidden,
    InternalError,
    InvalidInput,
    NotFound,
    RateLimited,
    RelevoError,
    TooLong,
)

__all__ = [
    "BadFrame",
    "BadJson",
    "ConversationClosed",
    "EmptyMessage",
    "Forbidden",
    "InternalError",
    "InvalidInput",
    "NotFound",
    "OriginNotAllowed",
    "RateLimited",
    "TooLong",
]


class EmptyMessage(RelevoError):
    code = "empty"
    default_detail = _("The message is empty.")


class ConversationClosed(RelevoError):
    code = "closed"
    default_detail = _("This conversation has ended.")
