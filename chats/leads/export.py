"""Leads as CSV, for the portal and the API alike (one column list, one writer)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from chats.leads.models import Lead

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A spreadsheet never runs a visitor's text as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def header() -> list[str]:
    return [
        "id",
        _("received"),
        _("client"),
        _("source"),
        _("name"),
        _("email"),
        _("phone"),
        _("consent given"),
        _("consent text shown"),
        _("message"),
        _("conversation"),
    ]


def row(lead: Lead) -> list[str]:
    return [
        cell(v)
        for v in (
            lead.pk,
            lead.created_at.isoformat(),
            lead.client.name,
            lead.get_source_display(),
            lead.name,
            lead.email,
            lead.phone,
            "yes" if lead.has_consent else "no",
            lead.consent_text,
            lead.message,
            lead.conversation_id or "",
        )
    ]


class Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(leads: Iterable[Lead]) -> Iterator[str]:
    writer = csv.writer(Echo())
    yield "\ufeff" + writer.writerow(header())  # a BOM, so spreadsheets read UTF-8
    for lead in leads:
        yield writer.writerow(row(lead))


def csv_response(leads, *, filename: str = "leads.csv") -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(leads.select_related("client").iterator(chunk_size=500)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
