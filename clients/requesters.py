"""Who is calling an agency-wide page (the floor, staffing, billing): the one supervisor guard.

Agency-wide users only (`clients.selectors.is_agency_wide`): never anyone linked to a client.
Not logged in: the login page; anyone else: a 403 page that says who the page is for."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clients.selectors import is_agency_wide


def supervisor_required(view):
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_agency_wide(request.user):
            return render(request, "clients/supervisors_only.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped
