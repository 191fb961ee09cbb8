"""Relevo's one error hierarchy and its one HTTP mapping.

Services raise a `RelevoError`: `code` is a stable word for machines (part of the
public protocol), `detail` a translated sentence for people, `status` the HTTP
status every edge answers it with. The widget's and the console's JSON endpoints,
the portal's JSON answers and the CSRF failure view answer with `error_response()`
(views through `core.edges.json_endpoint`); websockets send `chats.protocol.error_frame()`;
the REST API's exception handler (core.api_errors) gives the same code and status. Apps add their own subclasses
(chats.errors, clients.errors) rather than their own base classes.
"""

from __future__ import annotations

import uuid
from typing import NotRequired, TypedDict

from django.http import JsonResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class RelevoError(Exception):
    """Base class: `code` is part of the public protocol, `detail` is shown to users."""

    code = "error"
    status = 400
    default_detail: str | Promise = _("Something went wrong.")
    retry_after: int | None = None

    def __init__(self, detail: str | Promise | None = None, *, client_id: uuid.UUID | None = None):
        self.detail = str(detail or self.default_detail)
        self.client_id = client_id  # the refused message (websocket frames), when known before parsing
        super().__init__(self.detail)


class InvalidInput(RelevoError):
    code = "invalid"
    default_detail = _("The request is not valid.")


class NotAuthenticated(RelevoError):
    code = "not_authenticated"
    status = 401
    default_detail = _("Log in first.")


class Forbidden(RelevoError):
    code = "forbidden"
    status = 403
    default_detail = _("You may not act on this conversation.")


class CsrfFailed(Forbidden):
    code = "csrf_failed"
    default_detail = _("The security token (CSRF) is missing or out of date. Reload the page and try again.")


class NotFound(RelevoError):
    code = "not_found"
    status = 404
    default_detail = _("Not found.")


class RateLimited(RelevoError):
    code = "rate_limited"
    status = 429
    default_detail = _("Too many requests. Please wait a moment.")

    def __init__(self, retry_after: float, detail: str | Promise | None = None):
        self.retry_after = max(1, round(retry_after))
        super().__init__(detail or _("Too many requests. Try again in %(seconds)s s.") % {"seconds": self.retry_after})


class InternalError(RelevoError):
    """Handling the request failed on the server's side (logged); nothing was stored, a retry is safe."""

    code = "internal"
    default_detail = _("Something went wrong on our side. Please try again.")


class BadJson(RelevoError):
    """A websocket frame that is not a JSON object (core.sockets)."""

    code = "bad_json"
    default_detail = _("The frame is not a JSON object.")


class BadFrame(RelevoError):
    """A websocket frame of an unknown type, or with a field missing or of the wrong type."""

    code = "bad_frame"
    default_detail = _("The frame is not understood.")


class TooLong(RelevoError):
    code = "too_long"
    default_detail = _("The message is too long.")


class ErrorBody(TypedDict):
    code: str
    detail: str
    retry_after: NotRequired[int]


def error_body(error: RelevoError) -> ErrorBody:
    """`{"code", "detail"[, "retry_after"]}`: the body of every JSON error answer."""
    body: ErrorBody = {"code": error.code, "detail": error.detail}
    if error.retry_after:
        body["retry_after"] = error.retry_after
    return body


def error_response(error: RelevoError) -> JsonResponse:
    """The JSON answer to a domain error, with `Retry-After` when the caller should wait."""
    response = JsonResponse(error_body(error), status=error.status)
    if error.retry_after:
        response["Retry-After"] = str(error.retry_after)
    return response
