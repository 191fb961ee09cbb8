"""The owner's QA month in the portal: the agency's scorecards of their chats per agent and per criterion,
the reviewed chats (their transcripts open on the portal's chat page, internal notes hidden), and CSV."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from clients.local_times import client_time
from planning.billing import month_period
from planning.exports import csv_response
from portal.billing import month_asked
from portal.requesters import owner_required
from quality.scorecards import selectors


def month_qa(client, month: dt.date) -> dict:
    period = month_period(client, month)  # the month's whole days in the client's timezone, as billing's
    start, end = period.start, period.end
    reviews = (
        selectors.reviews_between(client_id=client.pk, start=start, end=end)
        .select_related("agent__user", "conversation")
        .order_by("-created_at", "-pk")
    )
    return {
        "month": month,
        "figures": selectors.month_figures(client_id=client.pk, start=start, end=end),
        "reviews": reviews,
    }


@owner_required
def qa_page(request: HttpRequest, representative) -> HttpResponse:
    context = month_qa(representative.client, month_asked(request))
    return render(request, "portal/qa.html", {"representative": representative, **context})


@owner_required
def qa_csv(request: HttpRequest, representative) -> HttpResponse:
    client = representative.client
    qa = month_qa(client, month_asked(request))
    figures = qa["figures"]
    rows: list[list] = [[_("Agent"), _("Reviews"), _("Average score (%)")]]
    rows += [[row["name"], row["reviews"], round(row["score"], 1)] for row in figures["per_agent"]]
    rows += [[], [_("Criterion"), _("Reviews"), _("Points given (%)")]]
    rows += [[row["label"], row["reviews"], row["share"]] for row in figures["per_criterion"]]
    rows += [
        [],
        [
            _("Reviewed (%(zone)s)") % {"zone": client.timezone},
            _("Chat"),
            _("Agent"),
            _("Score (%)"),
            _("Critical fail"),
        ],
    ]
    rows += [
        [
            client_time(r.created_at, client.timezone, "Y-m-d H:i", with_zone=False),
            r.conversation_id,
            r.agent.display_name,
            r.score,
            r.is_critical_failed,
        ]
        for r in qa["reviews"]
    ]
    return csv_response(rows, f"{client.slug}-qa-{qa['month']:%Y-%m}.csv")
