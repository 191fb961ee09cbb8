"""The owner's month in the portal: the figures the agency bills from, invoice lines, economics; CSV and PDF.

Owners only (representatives get the portal's 403 page), their own client only. Each
count links to the portal's conversation list of the same month, narrowed to what it
counts, so the figures trace back to the chats.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from planning import billing, exports
from planning.economics import client_economics
from planning.serializers import current_month, parse_month
from portal.requesters import owner_required
from reports.analytics.periods import period_query


def month_asked(request: HttpRequest):
    try:
        return parse_month(request.GET.get("month") or current_month())
    except ValidationError:
        return parse_month(current_month())


@owner_required
def billing_page(request: HttpRequest, representative) -> HttpResponse:
    client = representative.client
    figures = billing.month_figures(client, month_asked(request))
    conversations = reverse("portal:conversations")
    links = {
        "all": f"{conversations}?{period_query(figures.period)}",
        **{
            measure: f"{conversations}?{period_query(figures.period, measure=measure)}"
            for measure in ("first_response", "missed", "within_sla")
        },
    }
    return render(
        request,
        "portal/portal_billing.html",
        {
            "representative": representative,
            "client": client,
            "figures": figures,
            "month": figures.month,
            "links": links,
            "economics": client_economics(client, now=timezone.now()),
        },
    )


@owner_required
def billing_csv(request: HttpRequest, representative) -> HttpResponse:
    figures = billing.month_figures(representative.client, month_asked(request))
    return exports.csv_response(exports.month_rows(figures), f"{figures.client.slug}-{figures.month:%Y-%m}.csv")


@owner_required
def billing_pdf(request: HttpRequest, representative) -> HttpResponse:
    figures = billing.month_figures(representative.client, month_asked(request))
    return exports.pdf_response(exports.month_pdf(figures), f"{figures.client.slug}-{figures.month:%Y-%m}.pdf")
