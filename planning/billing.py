"""A client's month: the figures the agency bills from, and the invoice lines its price plan gives.

Every figure counts rows of the month in the client's timezone, as the portal's
dashboard does (reports.analytics.selectors), so each can be traced to its chats:
- chats: requested in the month; answered: with an agent's first reply; missed:
  status missed; SLA met: the share answered within the client's target reaches its
  promised share;
- covered hours: the month's coverage (windows, holidays and exceptions applied);
- leads: leads received (pre-chat form, lead card, offline form, missed chats);
  escalations: questions passed to the client;
- ratings: chats of the month the visitor rated, and the share satisfied (CSAT).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from clients import coverage
from clients.models import Client
from planning.models import PricePlan
from quality import selectors as quality
from reports.analytics import selectors as analytics

CENT = Decimal("0.01")


def next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def month_period(client: Client, first: date) -> analytics.Period:
    """The month's whole days in the client's timezone (the dashboards' Period)."""
    return analytics.Period(since=first, until=next_month(first) - timedelta(days=1), tz=ZoneInfo(client.timezone))


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal


@dataclass(slots=True)
class MonthFigures:
    client: Client
    month: date
    period: analytics.Period
    chats: int
    answered: int
    missed: int
    answered_within_target_share: float | None
    sla_target_share: float
    sla_target_met: bool | None
    covered_hours: Decimal
    leads: int
    escalations: int
    ratings: dict | None = None  # {"count", "csat"} when some chat of the month was rated
    plan: PricePlan | None = None
    lines: list[InvoiceLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def currency(self) -> str:
        return self.plan.currency if self.plan else ""


def covered_hours(client: Client, start: datetime, end: datetime) -> Decimal:
    seconds = sum((e - s).total_seconds() for s, e in coverage.covered_intervals(client, start, end))
    return (Decimal(seconds) / 3600).quantize(CENT, ROUND_HALF_UP)


def invoice_lines(plan: PricePlan | None, *, answered: int, hours: Decimal) -> list[InvoiceLine]:
    """The plan's lines for the month: flat fee, answered chats beyond the included ones, covered hours."""
    if plan is None:
        return []
    lines = []
    if plan.monthly_fee:
        lines.append(InvoiceLine(_("Monthly fee"), Decimal(1), plan.monthly_fee, plan.monthly_fee))
    if plan.price_per_chat:
        billable = Decimal(max(answered - plan.included_chats, 0))
        label = (
            _("Answered chats beyond the %(included)s included") % {"included": plan.included_chats}
            if plan.included_chats
            else _("Answered chats")
        )
        lines.append(
            InvoiceLine(
                label, billable, plan.price_per_chat, (billable * plan.price_per_chat).quantize(CENT, ROUND_HALF_UP)
            )
        )
    if plan.price_per_covered_hour:
        lines.append(
            InvoiceLine(
                _("Covered hours"),
                hours,
                plan.price_per_covered_hour,
                (hours * plan.price_per_covered_hour).quantize(CENT, ROUND_HALF_UP),
            )
        )
    return lines


def month_figures(client: Client, first: date) -> MonthFigures:
    """The client's figures and invoice lines for the month starting on `first`."""
    period = month_period(client, first)
    start, end = period.start, period.end
    kpis = analytics.client_kpis(client_id=client.pk, start=period.start, end=period.end)
    answered = analytics.conversations_counted(client_id=client.pk, period=period, measure="first_response").count()
    hours = covered_hours(client, start, end)
    plan = PricePlan.objects.filter(client=client).first()
    return MonthFigures(
        client=client,
        month=first,
        period=period,
        chats=kpis["chats"],
        answered=answered,
        missed=kpis["missed"],
        answered_within_target_share=kpis["answered_within_sla_share"],
        sla_target_share=kpis["sla_target_share"],
        sla_target_met=kpis["sla_target_met"],
        covered_hours=hours,
        leads=client.leads.filter(created_at__gte=start, created_at__lt=end).count(),
        escalations=client.escalations.filter(created_at__gte=start, created_at__lt=end).count(),
        ratings=rating_figures(client, start, end),
        plan=plan,
        lines=invoice_lines(plan, answered=answered, hours=hours),
    )


def rating_figures(client: Client, start: datetime, end: datetime) -> dict | None:
    figures = quality.csat(client_ids=[client.pk], start=start, end=end)
    return {"count": figures["ratings"], "csat": figures["csat"]} if figures["ratings"] else None


def as_dict(figures: MonthFigures) -> dict:
    """The API's and the CSV's shape of a month."""
    return {
        "client": figures.client.pk,
        "month": figures.month.strftime("%Y-%m"),
        "chats": figures.chats,
        "answered": figures.answered,
        "missed": figures.missed,
        "answered_within_target_share": figures.answered_within_target_share,
        "sla_target_share": figures.sla_target_share,
        "sla_target_met": figures.sla_target_met,
        "covered_hours": str(figures.covered_hours),
        "leads": figures.leads,
        "escalations": figures.escalations,
        "ratings": figures.ratings,
        "currency": figures.currency,
        "lines": [
            {
                "description": line.description,
                "quantity": str(line.quantity),
                "unit_price": str(line.unit_price),
                "amount": str(line.amount),
            }
            for line in figures.lines
        ],
        "total": str(figures.total),
    }
