"""Coverage gaps for the coming week: covered hours with nobody scheduled, and hours below the load."""

from datetime import UTC, datetime, time, timedelta

import pytest

from agency.models import Shift, Team
from chats.models import Conversation, Visitor
from clients.models import CoverageWindow
from conftest import make_agent, make_client
from planning.forecast import forecast_clients
from planning.gaps import coverage_gaps

pytestmark = pytest.mark.django_db
MONDAY = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.fixture
def shop():
    shop = make_client("Shop", timezone="UTC", is_24_7=False)
    CoverageWindow.objects.create(client=shop, weekday=0, starts_at=time(8), ends_at=time(12))
    return shop


def test_with_no_shifts_every_covered_hour_is_a_gap(shop):
    gaps = coverage_gaps(shop, start=MONDAY)
    assert gaps.unstaffed_hours == 4
    assert [gap.starts_at.hour for gap in gaps.hours] == [8, 9, 10, 11]


def test_a_shift_for_the_client_fills_its_hours(shop):
    Shift.objects.create(
        agent=make_agent("ana", shop),
        client=shop,
        starts_at=MONDAY.replace(hour=8),
        ends_at=MONDAY.replace(hour=10, minute=30),
    )
    gaps = coverage_gaps(shop, start=MONDAY)
    assert gaps.unstaffed_hours == 1.5


def test_a_team_shift_counts_for_the_clients_its_agent_serves(shop):
    ana = make_agent("ana", shop)
    Shift.objects.create(
        agent=ana,
        team=Team.objects.create(name="Day"),
        starts_at=MONDAY.replace(hour=6),
        ends_at=MONDAY.replace(hour=14),
    )
    assert coverage_gaps(shop, start=MONDAY).unstaffed_hours == 0


def test_a_shift_for_another_client_does_not_count(shop):
    other = make_client("Other")
    Shift.objects.create(
        agent=make_agent("ana", shop, other),
        client=other,
        starts_at=MONDAY.replace(hour=8),
        ends_at=MONDAY.replace(hour=12),
    )
    assert coverage_gaps(shop, start=MONDAY).unstaffed_hours == 4


def test_hours_below_the_expected_load_are_reported(shop, settings):
    settings.STAFFING_AVERAGE_HANDLE_MINUTES = 30
    visitor = Visitor.objects.create(client=shop)
    for week in (1, 2, 3, 4):  # 4 chats each Monday 09:xx, none closed: the handling is assumed
        for _ in range(4):
            conversation = Conversation.objects.create(client=shop, visitor=visitor, token_hash="x")
            Conversation.objects.filter(pk=conversation.pk).update(
                requested_at=MONDAY.replace(hour=9, minute=15) - timedelta(weeks=week)
            )
    Shift.objects.create(
        agent=make_agent("ana", shop, max_chats=1),
        client=shop,
        starts_at=MONDAY.replace(hour=8),
        ends_at=MONDAY.replace(hour=12),
    )
    gaps = coverage_gaps(shop, start=MONDAY)
    assert gaps.has_history and gaps.unstaffed_hours == 0
    # The planner's forecast expects the 4 chats. With no closed chat the handling is assumed: 30 minutes of
    # work at 3 chats at once (2.5 chats' worth, core.erlang) is a 36-minute chat, so 4 × 36 / 60 = 2.4 at
    # once (the old 4-week average took the 30 minutes as the chat's length: 2.0).
    assert forecast_clients([shop], start=MONDAY, weeks=1, with_backtests=False)[shop.pk].expected[9] == 4
    assert [(gap.starts_at.hour, gap.capacity, gap.expected_load) for gap in gaps.hours] == [(9, 1, 2.4)]
