"""The REST API's one exception handler: every 4xx is `{"code": "...", "detail": "..."}`.

DRF's own exceptions keep their stable codes (`not_authenticated`, `permission_denied`,
`not_found`, `method_not_allowed`, `parse_error`, `throttled`…); a `ValidationError` is
`invalid` with the field errors under `fields`. Domain errors raised by services
(`core.errors.RelevoError`: the same code and status as on every other edge, Django's
`ValidationError` from `full_clean()`) become the same shape, so a view never builds an error body itself.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import set_rollback

from core.errors import RelevoError


class NotARepresentative(exceptions.PermissionDenied):
    default_detail = _("Only the client's owners and representatives may do this.")
    default_code = "not_a_representative"


def first_message(detail: object) -> str:
    """The first human sentence inside DRF's nested error detail."""
    if isinstance(detail, dict):
        for value in detail.values():
            return first_message(value)
    if isinstance(detail, list) and detail:
        return first_message(detail[0])
    return str(detail)


class ApiErrorBody(TypedDict):
    code: str
    detail: str
    fields: NotRequired[object]


def drf_error_body(code: str, detail: object, fields: object = None) -> ApiErrorBody:
    """The same `{"code", "detail"}` body as core.errors.error_body, from DRF's parts (plus `fields`)."""
    body: ApiErrorBody = {"code": code, "detail": str(detail)}
    if fields:
        body["fields"] = fields
    return body


def as_api_exception(exc: Exception) -> exceptions.APIException | None:
    """Turn Django's and the domain's errors into DRF's, or None for a real bug (a 500)."""
    if isinstance(exc, exceptions.APIException):
        return exc
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, RelevoError):
        if exc.code == "invalid":
            return exceptions.ValidationError({"non_field_errors": [exc.detail]})
        return DomainApiError(exc)
    return None


class DomainApiError(exceptions.APIException):
    """A RelevoError as DRF's handler sees it: core.errors' one mapping of its status, its code and detail,
    and `wait` (Retry-After, as DRF's Throttled has it) when the caller should wait."""

    def __init__(self, error: RelevoError) -> None:
        super().__init__(error.detail, error.code)
        self.status_code = error.status
        self.wait = error.retry_after


def handle_api_error(exc: Exception, context: dict[str, Any]) -> Response | None:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: the `{"code", "detail"}` body for every handled error."""
    error = as_api_exception(exc)
    if error is None:
        return None
    headers = {}
    auth_header = getattr(error, "auth_header", None)  # set by DRF's view on NotAuthenticated, AuthenticationFailed
    if auth_header:
        headers["WWW-Authenticate"] = auth_header
    wait = getattr(error, "wait", None)  # Throttled, DomainApiError
    if wait:
        headers["Retry-After"] = str(int(wait))
    if isinstance(error, exceptions.ValidationError):
        fields = error.detail if isinstance(error.detail, dict) else {"non_field_errors": error.detail}
        body = drf_error_body("invalid", first_message(fields), fields)
    else:
        codes = error.get_codes()
        body = drf_error_body(codes if isinstance(codes, str) else "error", error.detail)
    set_rollback()
    return Response(body, status=error.status_code, headers=headers)
