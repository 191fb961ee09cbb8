"""The planner's and a month's downloads: CSV (UTF-8, one row per hour or line) and a small PDF invoice."""

from __future__ import annotations

import csv
from io import StringIO
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.pdf import text_pdf
from planning.billing import MonthFigures
from planning.planner import ClientPlan, Plan, PlanHour


def csv_response(rows: list[list], filename: str) -> HttpResponse:
    text = StringIO()
    writer = csv.writer(text)
    for row in rows:
        # A cell starting with = + - @ would be a formula in a spreadsheet: names are data here.
        writer.writerow([f"'{cell}" if isinstance(cell, str) and cell and cell[0] in "=+-@" else cell for cell in row])
    response = HttpResponse(text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


PLAN_COLUMNS = [
    "client",
    "starts_at_utc",
    "local_time",
    "forecast_chats",
    "handle_seconds",
    "concurrency",
    "target_seconds",
    "service_level_target",
    "agents_needed",
    "agents_scheduled",
    "gap",
    "service_level_with_needed",
]


def plan_rows(plan: Plan) -> list[list]:
    """One row per client and hour, then the agency's pooled rows (client empty)."""
    rows = [list(PLAN_COLUMNS)]
    for client_plan in plan.clients:
        zone = ZoneInfo(client_plan.client.timezone)
        rows.extend(client_hour_row(client_plan, hour, zone) for hour in client_plan.hours)
    rows.extend(agency_hour_row(hour) for hour in plan.agency)
    return rows


def client_hour_row(client_plan: ClientPlan, hour: PlanHour, zone: ZoneInfo) -> list:
    return [
        client_plan.client.name,
        hour.starts_at.isoformat(),
        hour.starts_at.astimezone(zone).strftime("%a %Y-%m-%d %H:%M"),
        round(hour.forecast, 2),
        round(client_plan.handle_seconds, 1),
        client_plan.concurrency,
        client_plan.target_seconds,
        client_plan.service_level,
        *staffing_cells(hour),
    ]


def agency_hour_row(hour: PlanHour) -> list:
    """The agency's pooled hour: no client, local time or per-client parameters."""
    return ["", hour.starts_at.isoformat(), "", round(hour.forecast, 2), "", "", "", "", *staffing_cells(hour)]


def staffing_cells(hour: PlanHour) -> list:
    """agents_needed, agents_scheduled, gap, service_level_with_needed."""
    return [hour.needed, hour.scheduled, hour.gap, round(hour.service_level, 4)]


def month_rows(figures: MonthFigures) -> list[list]:
    rows = [
        [_("figure"), _("value")],
        [_("client"), figures.client.name],
        [_("month"), figures.month.strftime("%Y-%m")],
        [_("chats"), figures.chats],
        [_("answered"), figures.answered],
        [_("missed"), figures.missed],
        [_("answered within the target"), _share(figures.answered_within_target_share)],
        [_("service level met"), _yes_no(figures.sla_target_met)],
        [_("covered hours"), figures.covered_hours],
        [_("leads"), figures.leads],
        [_("escalations"), figures.escalations],
    ]
    if figures.ratings:
        rows.append([_("ratings"), figures.ratings.get("count")])
    rows.append([])
    rows.append([_("line"), _("quantity"), _("unit price"), _("amount"), _("currency")])
    for line in figures.lines:
        rows.append([line.description, line.quantity, line.unit_price, line.amount, figures.currency])
    rows.append([_("total"), "", "", figures.total, figures.currency])
    return rows


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def _yes_no(value: bool | None) -> str:
    return "—" if value is None else (_("yes") if value else _("no"))


def month_pdf(figures: MonthFigures) -> bytes:
    """The month's figures and invoice lines on one page."""
    title = _("%(client)s · %(month)s") % {
        "client": figures.client.name,
        "month": date_format(figures.month, "YEAR_MONTH_FORMAT"),
    }
    lines: list[tuple[str, int, bool]] = [(title, 16, True), ("", 10, False)]
    for label, value in month_rows(figures)[1:11]:
        lines.append((f"{label}: {value}", 10, False))
    if figures.ratings:
        lines.append((f"{_('ratings')}: {figures.ratings.get('count')}", 10, False))
    lines.append(("", 10, False))
    if figures.lines:
        lines.append((_("Invoice lines"), 12, True))
        for line in figures.lines:
            lines.append(
                (
                    f"{line.description}: {line.quantity} × {line.unit_price} = {line.amount} {figures.currency}",
                    10,
                    False,
                )
            )
        lines.append((f"{_('Total')}: {figures.total} {figures.currency}", 12, True))
    else:
        lines.append((_("No price plan: no invoice lines."), 10, False))
    return text_pdf(lines, title=title)


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
