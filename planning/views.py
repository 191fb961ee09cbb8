"""The agency's staffing pages under /floor/: the planner (with its "what if" and CSV) and billing.

Agency-wide users only (supervision.views.supervisor_required), like the rest of the floor.
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from clients.models import Client
from clients.requesters import supervisor_required
from core.edges import json_endpoint
from core.errors import InvalidInput
from planning import billing, exports
from planning.economics import client_economics
from planning.planner import Plan, PlanHour, WhatIf, build_plan
from planning.serializers import current_month, parse_month


class WhatIfForm(forms.Form):
    """Overrides for every client's plan; empty fields keep each client's own figures."""

    client = forms.TypedChoiceField(label=_("Client"), required=False, coerce=int, empty_value=None)
    target_seconds = forms.IntegerField(label=_("Answer within (s)"), required=False, min_value=1, max_value=3600)
    service_level = forms.FloatField(label=_("Share answered in time (%)"), required=False, min_value=1, max_value=99.9)
    handle_seconds = forms.IntegerField(label=_("Handle time (s)"), required=False, min_value=1, max_value=36_000)
    concurrency = forms.IntegerField(label=_("Chats at once"), required=False, min_value=1, max_value=10)

    def __init__(self, *args, clients: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].choices = [("", _("All clients"))] + clients

    def what_if(self) -> WhatIf:
        data = self.cleaned_data if self.is_valid() else {}
        level = data.get("service_level")
        return WhatIf(
            target_seconds=data.get("target_seconds"),
            service_level=level / 100 if level else None,
            handle_seconds=data.get("handle_seconds"),
            concurrency=data.get("concurrency"),
        )

    def chosen_client(self) -> int | None:
        return self.cleaned_data.get("client") if self.is_valid() else None


def week_grid(hours: list[PlanHour], zone: ZoneInfo) -> list[dict]:
    """Rows of local days, 24 cells each (None where the week has no such hour)."""
    days: dict = {}
    for hour in hours:
        local = hour.starts_at.astimezone(zone)
        days.setdefault(local.date(), [None] * 24)[local.hour] = hour
    return [{"day": day, "cells": cells} for day, cells in days.items()]


def plan_for(request: HttpRequest) -> tuple[WhatIfForm, Plan, Client | None]:
    clients = list(Client.objects.order_by("name"))
    form = WhatIfForm(request.GET or None, clients=[(client.pk, client.name) for client in clients])
    chosen = form.chosen_client()
    client = next((client for client in clients if client.pk == chosen), None)
    plan = build_plan(clients, start=timezone.now() + timedelta(hours=1), what_if=form.what_if())
    if client is not None:  # its past weeks too: the forecast's error
        detail = build_plan([client], start=plan.starts_at, what_if=form.what_if(), with_backtests=True)
        plan.clients = [detail.clients[0] if item.client.pk == client.pk else item for item in plan.clients]
    return form, plan, client


@supervisor_required
def planner(request: HttpRequest) -> HttpResponse:
    """Next week per hour: forecast, agents needed and scheduled, the gap; agency-wide and per client."""
    form, plan, client = plan_for(request)
    chosen = next((item for item in plan.clients if client and item.client.pk == client.pk), None)
    query = request.GET.urlencode()
    return render(
        request,
        "planning/planner.html",
        {
            "form": form,
            "plan": plan,
            "hours": range(24),
            "chosen": chosen,
            "query": query,
            "agency_grid": week_grid(plan.agency, ZoneInfo(settings.TIME_ZONE)),
            "agency_tz": settings.TIME_ZONE,
            "client_grid": week_grid(chosen.hours, ZoneInfo(chosen.client.timezone)) if chosen else None,
        },
    )


@supervisor_required
def planner_csv(request: HttpRequest) -> HttpResponse:
    _form, plan, _client = plan_for(request)
    return exports.csv_response(exports.plan_rows(plan), f"staffing-plan-{plan.starts_at:%Y-%m-%d}.csv")


def month_of(request: HttpRequest) -> date:
    """The month asked for (YYYY-MM), else this month."""
    try:
        return parse_month(request.GET.get("month") or current_month())
    except ValidationError:
        return parse_month(current_month())


def client_of(request: HttpRequest) -> Client:
    value = request.GET.get("client", "")
    client = Client.objects.filter(pk=int(value)).first() if value.isdigit() else None
    if client is None:
        raise Http404
    return client


@supervisor_required
def billing_page(request: HttpRequest) -> HttpResponse:
    """Every client's month side by side, or one client's figures, invoice lines and economics."""
    month = month_of(request)
    value = request.GET.get("client", "")
    if not value:
        rows = [billing.month_figures(client, month) for client in Client.objects.order_by("name")]
        return render(request, "planning/billing_overview.html", {"rows": rows, "month": month})
    client = client_of(request)
    return render(
        request,
        "planning/billing_client.html",
        {
            "figures": billing.month_figures(client, month),
            "month": month,
            "client": client,
            "economics": client_economics(client, now=timezone.now()),
        },
    )


def exported_client(request: HttpRequest) -> Client:
    """The client a CSV or PDF is for: one file is one client's month, so without `?client=` the
    answer is a 400 saying so (an unknown client is still a 404)."""
    if not request.GET.get("client", "").strip():
        raise InvalidInput(_("Choose a client: add ?client=<id> (and &month=YYYY-MM) to the address."))
    return client_of(request)


@supervisor_required
@json_endpoint
def billing_csv(request: HttpRequest) -> HttpResponse:
    figures = billing.month_figures(exported_client(request), month_of(request))
    return exports.csv_response(exports.month_rows(figures), billing_filename(figures, "csv"))


@supervisor_required
@json_endpoint
def billing_pdf(request: HttpRequest) -> HttpResponse:
    figures = billing.month_figures(exported_client(request), month_of(request))
    return exports.pdf_response(exports.month_pdf(figures), billing_filename(figures, "pdf"))


def billing_filename(figures: billing.MonthFigures, extension: str) -> str:
    return f"{figures.client.slug}-{figures.month:%Y-%m}.{extension}"
