"""The portal's quality page: CSAT, NPS and the latest ratings of the representative's client, and search."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from chats.search import selectors as search
from core.errors import RelevoError
from portal.requesters import client_period, representative_required
from quality import selectors

SEARCH_RESULTS = 50


@representative_required
def portal_quality(request: HttpRequest, representative) -> HttpResponse:
    """CSAT, share of chats rated and NPS per month for the period, the latest ratings, and search."""
    client = representative.client
    form, period = client_period(request, client)
    context = {
        "representative": representative,
        "form": form,
        "csat": selectors.csat(client_ids=[client.pk], start=period.start, end=period.end),
        "csat_by_month": selectors.csat_by_month(
            client_ids=[client.pk], start=period.start, end=period.end, tz=period.tz
        ),
        "csat_by_agent": selectors.csat_by_agent(client_ids=[client.pk], start=period.start, end=period.end),
        "nps_by_month": selectors.nps_by_month(client_id=client.pk, start=period.start, end=period.end, tz=period.tz),
        "ratings": selectors.recent_ratings(client_id=client.pk),
        "query": request.GET.get("q", ""),
    }
    if context["query"].strip():
        try:
            context["results"] = list(
                search.search_messages(
                    user=request.user, query=context["query"], language=translation.get_language(), client_id=client.pk
                )[:SEARCH_RESULTS]
            )
        except RelevoError as error:
            context["search_error"] = error.detail
    return render(request, "portal/quality.html", context)
