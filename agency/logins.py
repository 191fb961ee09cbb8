"""Logins: the page a locked-out login gets (django-axes counts the failures)."""

from __future__ import annotations

import math

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: a translated page saying why and for how long, as a 429 with Retry-After."""
    cool_off_seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    response = render(
        request,
        "registration/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "minutes": math.ceil(cool_off_seconds / 60),
        },
        status=429,
    )
    response["Retry-After"] = str(cool_off_seconds)
    return response
