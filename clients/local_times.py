"""Times a client's people see (pages, emails, exports): in the client's timezone, saying which."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.formats import date_format


def client_time(value: datetime | None, zone: str, format: str = "DATETIME_FORMAT", *, with_zone: bool = True) -> str:
    """`value` on the client's wall clock, formatted for the active language, then its zone:
    "Jan. 5, 2026, 1 p.m. (Europe/Madrid)". Empty for no value. `with_zone=False` where a
    heading or column already names the zone."""
    if value is None:
        return ""
    text = date_format(timezone.localtime(value, ZoneInfo(zone)), format)
    return f"{text} ({zone})" if with_zone else text
