"""Who is calling a portal page: the guards of every page of the client portal.

A page gets the caller's `Representative` as its second argument; anything it looks up is scoped to
`representative.client`. Not logged in: the login page. Logged in but no client's representative:
a 403 page. Owner-only pages: a 403 page saying why (dashboards, or settings)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clients.models import Client
from clients.selectors import representative_for
from reports.analytics.periods import PeriodForm
from reports.analytics.selectors import Period


def representative_required(view):
    """Logged in and a client's representative: the view gets `representative` as its 2nd argument."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        representative = representative_for(request.user)
        if representative is None:
            return render(request, "portal/not_a_representative.html", status=403)
        return view(request, representative, *args, **kwargs)

    return wrapped


def owners_only(template: str) -> Callable:
    """A guard for pages only the client's owners see; representatives get `template` (403)."""

    def guard(view):
        @representative_required
        @wraps(view)
        def wrapped(request: HttpRequest, representative, *args, **kwargs) -> HttpResponse:
            if not representative.is_owner:
                return render(request, template, {"representative": representative}, status=403)
            return view(request, representative, *args, **kwargs)

        return wrapped

    return guard


owner_required = owners_only("portal/owners_only.html")  # dashboards, their lists, billing
settings_owner_required = owners_only("portal/settings_owners_only.html")  # briefing, settings, webhooks…


def client_period(request: HttpRequest, client: Client) -> tuple[PeriodForm, Period]:
    """The period a portal page shows: the ?since=&until= form, in whole days of the client's timezone."""
    form = PeriodForm(request.GET or None)
    return form, form.period(zoneinfo.ZoneInfo(client.timezone))
