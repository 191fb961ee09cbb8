"""The supervisors' pages: the live floor and agents' figures side by side.

Agency-wide users only (clients.selectors.is_agency_wide): never anyone linked to a client.
"""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chats.selectors import floor_snapshot
from clients.requesters import supervisor_required
from clients.selectors import clients_visible_to
from reports.analytics import selectors as analytics
from reports.analytics.periods import PeriodForm


@supervisor_required
def floor(request: HttpRequest) -> HttpResponse:
    """The page renders a first snapshot; supervision/static/supervision/floor.js keeps it live over /ws/floor/."""
    return render(request, "supervision/floor.html", {"snapshot": floor_snapshot()})


@supervisor_required
def agent_report(request: HttpRequest) -> HttpResponse:
    """agent_kpis for a period of the agency's days, for every client or one."""
    form = PeriodForm(request.GET or None)
    period = form.period(zoneinfo.ZoneInfo(settings.TIME_ZONE))
    clients = list(clients_visible_to(request.user).order_by("name").values_list("pk", "name"))
    chosen = request.GET.get("client", "")
    client_ids = [int(chosen)] if chosen.isdigit() and int(chosen) in dict(clients) else None
    rows = analytics.agent_kpis(start=period.start, end=period.end, client_ids=client_ids)
    return render(
        request,
        "supervision/agent_report.html",
        {
            "form": form,
            "period": period,
            "rows": rows,
            "clients": clients,
            "chosen": client_ids[0] if client_ids else None,
        },
    )
