"""Builders for clients with coverage hours, shared by the coverage tests."""

from datetime import UTC, datetime, time

from clients.models import Client, CoverageException, CoverageWindow
from conftest import make_client

EVERY_DAY = range(7)


def hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def client_with_hours(windows, *, tz: str = "Europe/Madrid", name: str = "Shop", **fields) -> Client:
    """windows: [(weekday or iterable of weekdays, "08:00", "20:00"), …]"""
    client = make_client(name, timezone=tz, is_24_7=False, **fields)
    for days, starts_at, ends_at in windows:
        for day in [days] if isinstance(days, int) else days:
            CoverageWindow.objects.create(client=client, weekday=day, starts_at=hhmm(starts_at), ends_at=hhmm(ends_at))
    return client


def add_exception(client: Client, day, starts_at: str | None = None, ends_at: str | None = None) -> None:
    CoverageException.objects.create(
        client=client,
        date=day,
        is_closed=starts_at is None,
        starts_at=hhmm(starts_at) if starts_at else None,
        ends_at=hhmm(ends_at) if ends_at else None,
    )
