"""The client owner's dashboard in the portal and the chats behind each of its figures.

Both pages are scoped to the owner's own client; the period is whole days of the
client's timezone. Every figure links to `/portal/conversations/` with the same
period and a `measure`, so the owner can check what was counted.
"""

from __future__ import annotations

import zoneinfo
from datetime import date

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from chats.calls.selectors import call_figures
from chats.visits.selectors import engagement_summary
from portal.requesters import client_period, owner_required
from portal.views import PAGE_SIZE
from quality import selectors as quality
from reports.analytics import selectors as analytics
from reports.analytics.charts import BarChart, bar_chart, heatmap_rows
from reports.analytics.periods import period_query
from reports.analytics.tags import tag_counts

WEEKDAYS = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]


@owner_required
def dashboard(request: HttpRequest, representative) -> HttpResponse:
    """KPIs, SLA compliance, weekly heatmap and daily trends of the owner's client."""
    client = representative.client
    form, period = client_period(request, client)
    context = {"representative": representative, "client": client, "form": form, "period": period}
    return render(request, "portal/dashboard.html", context | dashboard_figures(client, period))


def dashboard_figures(client, period: analytics.Period) -> dict:
    """Every figure of the dashboard, each with a link to the chats it counts."""
    span = {"start": period.start, "end": period.end}
    kpis = analytics.client_kpis(client_id=client.pk, **span)
    kpis["calls"] = call_figures(client_id=client.pk, **span)
    grid = analytics.volume_heatmap(client_id=client.pk, **span)
    trend = analytics.daily_trend(client_id=client.pk, tz=period.tz, **span)
    conversations_url = reverse("portal:conversations")

    def link(**filters) -> str:
        return f"{conversations_url}?{period_query(period, **filters)}"

    within = kpis["answered_within_sla_share"]
    return {
        "kpis": kpis,
        "links": {"all": link(), **{measure: link(measure=measure) for measure in analytics.COUNTED_BY_MEASURE}},
        "sla_percent": None if within is None else round(within * 100, 1),
        "heatmap": [
            (WEEKDAYS[n], row)
            for n, row in enumerate(heatmap_rows(grid, lambda weekday, hour: link(weekday=weekday, hour=hour)))
        ],
        "hours": range(24),
        "tag_counts": tag_counts(client_id=client.pk, **span),
        "csat": quality.csat(client_ids=[client.pk], **span),
        "engagement": engagement_summary(client=client, **span),
        **trend_charts(trend, tz=period.tz, conversations_url=conversations_url),
    }


def trend_charts(trend: list[dict], *, tz: zoneinfo.ZoneInfo, conversations_url: str) -> dict[str, BarChart]:
    """Chats and median first response per day, each bar linking to that day's chats."""

    def day_link(day: date) -> str:
        return f"{conversations_url}?{period_query(analytics.Period(since=day, until=day, tz=tz))}"

    def bars(measure: str) -> BarChart:
        return bar_chart(
            [(date_format(row["day"], "SHORT_DATE_FORMAT"), row[measure], day_link(row["day"])) for row in trend]
        )

    return {"chats_per_day": bars("chats"), "first_response_per_day": bars("first_response_p50")}


MEASURE_TITLES = {
    "": _("All chats"),
    "missed": _("Missed chats"),
    "within_sla": _("Chats answered within the target"),
    "outside_sla": _("Chats not answered within the target"),
    "queue_wait": _("Chats given to an agent"),
    "first_response": _("Chats with an agent's reply"),
    "duration": _("Chats closed by an agent"),
}


def whole_number(value: str | None, *, low: int, high: int) -> int | None:
    return int(value) if value and value.isdigit() and low <= int(value) <= high else None


@owner_required
def conversation_list(request: HttpRequest, representative) -> HttpResponse:
    """The client's chats of a period, narrowed to what one dashboard figure counts."""
    client = representative.client
    form, period = client_period(request, client)
    measure = request.GET.get("measure", "")
    measure = measure if measure in MEASURE_TITLES else ""
    weekday = whole_number(request.GET.get("weekday"), low=0, high=6)
    hour = whole_number(request.GET.get("hour"), low=0, high=23)
    conversations = analytics.conversations_counted(
        client_id=client.pk, period=period, measure=measure, weekday=weekday, hour=hour
    )
    page = Paginator(conversations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/conversations.html",
        {
            "representative": representative,
            "form": form,
            "period": period,
            "page": page,
            "title": MEASURE_TITLES[measure],
            "weekday": None if weekday is None else WEEKDAYS[weekday],
            "hour": hour,
            "query": period_query(period, measure=measure, weekday=weekday, hour=hour),
            "dashboard_query": period_query(period),
            "tz": client.timezone,
        },
    )
