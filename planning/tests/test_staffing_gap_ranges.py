"""Staffing gaps read as ranges: back-to-back hours of one kind are one line, per local day."""

import re
from datetime import UTC, datetime, time

import pytest

from agency.models import Shift
from clients.models import CoverageWindow
from conftest import make_agent, make_client
from planning.gaps import NO_AGENT, PARTLY_UNSTAFFED, coverage_gaps

pytestmark = pytest.mark.django_db
MONDAY = datetime(2026, 6, 1, tzinfo=UTC)


def spans(gaps) -> list[tuple[str, int, int]]:
    return [(r.kind, r.starts_at.hour, r.ends_at.hour) for r in gaps.ranges]


@pytest.fixture
def shop():
    shop = make_client("Shop", timezone="UTC", is_24_7=False)
    CoverageWindow.objects.create(client=shop, weekday=0, starts_at=time(8), ends_at=time(14))
    return shop


def test_consecutive_hours_with_no_agent_are_one_range(shop):
    gaps = coverage_gaps(shop, start=MONDAY)
    assert spans(gaps) == [(NO_AGENT, 8, 14)]
    assert gaps.ranges[0].unstaffed_minutes == 360
    assert str(gaps.ranges[0].label) == "no agent scheduled"


def test_a_shift_splits_the_range_and_a_half_staffed_hour_is_its_own_kind(shop):
    Shift.objects.create(
        agent=make_agent("ana", shop),
        client=shop,
        starts_at=MONDAY.replace(hour=10),
        ends_at=MONDAY.replace(hour=11, minute=30),
    )
    assert spans(coverage_gaps(shop, start=MONDAY)) == [
        (NO_AGENT, 8, 10),
        (PARTLY_UNSTAFFED, 11, 12),
        (NO_AGENT, 12, 14),
    ]


def test_ranges_stop_at_the_clients_midnight():
    shop = make_client("Round the clock", timezone="Europe/Warsaw", is_24_7=True)
    gaps = coverage_gaps(shop, start=MONDAY)
    assert len(gaps.hours) == 7 * 24
    assert len(gaps.ranges) == 8  # Monday 02:00 Warsaw time to the next Monday 02:00
    assert [r.ends_at_midnight for r in gaps.ranges] == [True] * 7 + [False]


def test_the_admin_client_page_lists_ranges_not_hours(admin_client):
    shop = make_client("Round the clock", timezone="UTC", is_24_7=True)
    page = admin_client.get(f"/admin/clients/client/{shop.pk}/change/").content.decode()
    rows = re.findall(r'<tr data-gap-kind="no_agent"><td[^>]*>([^<]*)</td><td>no agent scheduled</td>', page)
    assert 7 <= len(rows) <= 8
    assert any(row.endswith("00:00–24:00") for row in rows)
