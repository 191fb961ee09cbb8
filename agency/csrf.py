"""CSRF_FAILURE_VIEW: a refused CSRF check answered in the caller's language.

The console's JSON endpoints (`/console/api/…`) and any caller that sends or
accepts JSON get `403 {"code": "csrf_failed", "detail": …}` like every other
Relevo API error; a browser posting a form gets Django's usual page.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views import csrf

from core.errors import CsrfFailed, error_response

JSON_PATHS = ("/console/api/", "/api/")


def wants_json(request: HttpRequest) -> bool:
    return (
        request.path.startswith(JSON_PATHS)
        or request.content_type == "application/json"
        or "application/json" in request.headers.get("Accept", "")
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if wants_json(request):
        return error_response(CsrfFailed())
    return csrf.csrf_failure(request, reason)
