"""Errors of the chat domain: a stable code for machines, a translated detail for people."""
from django.utils.translation import gettext_lazy as _


class ChatError(Exception):
    """Base class: `code` is part of the public protocol, `detail` is shown to users."""

    code = "error"
    default_detail = _("Something went wrong.")

    def __init__(self, detail: str | None = None, *, client_id=None):
        self.detail = str(detail or self.default_detail)
        self.client_id = client_id  # the refused message, when known before parsing
        super().__init__(self.detail)


class BadJson(ChatError):
    code = "bad_json"
    default_detail = _("The frame is not a JSON object.")


class BadFrame(ChatError):
    code = "bad_frame"
    default_detail = _("The frame is not understood.")


class TooLong(ChatError):
    code = "too_long"
    default_detail = _("The message is too long.")


class EmptyMessage(ChatError):
    code = "empty"
    default_detail = _("The message is empty.")


class Forbidden(ChatError):
    code = "forbidden"
    default_detail = _("You may not act on this conversation.")


class ConversationClosed(ChatError):
    code = "closed"
    default_detail = _("This conversation has ended.")


class NotFound(ChatError):
    code = "not_found"
    default_detail = _("Not found.")


class OriginNotAllowed(ChatError):
    code = "origin_not_allowed"
    default_detail = _("This website may not use this chat.")


class InvalidInput(ChatError):
    code = "invalid"
    default_detail = _("The request is not valid.")


class InternalError(ChatError):
    """Handling the frame failed on the server's side (logged); it was not acked, a retry is safe."""

    code = "internal"
    default_detail = _("Something went wrong on our side. Please try again.")


class RateLimited(ChatError):
    code = "rate_limited"
    default_detail = _("Too many requests. Please wait a moment.")

    def __init__(self, retry_after: float, detail: str | None = None):
        self.retry_after = max(1, round(retry_after))
        super().__init__(detail or _("Too many requests. Try again in %(seconds)s s.") % {"seconds": self.retry_after})
