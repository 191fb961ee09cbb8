"""The staffing gaps expect the planner's load: its forecast of the hour × the client's measured chat length."""

from datetime import UTC, datetime, time, timedelta

import pytest

from agency.models import Shift
from clients.models import CoverageWindow
from conftest import make_agent, make_client
from planning.gaps import coverage_gaps
from planning.planner import build_plan
from planning.tests.staffing_history import add_chats, weekly

pytestmark = pytest.mark.django_db
MONDAY = datetime(2026, 6, 1, tzinfo=UTC)
MONDAY_9 = timedelta(hours=9)


@pytest.fixture
def shop():
    shop = make_client("Shop", timezone="UTC", is_24_7=False)
    CoverageWindow.objects.create(client=shop, weekday=0, starts_at=time(8), ends_at=time(12))
    Shift.objects.create(
        agent=make_agent("ana", shop, max_chats=1),
        client=shop,
        starts_at=MONDAY.replace(hour=8),
        ends_at=MONDAY.replace(hour=12),
    )
    return shop


def test_the_expected_load_is_the_planners_forecast_times_the_measured_chat_length(shop):
    # 6 chats every Monday 09:00 for 8 weeks, 20 minutes each: the forecast is 6, 6 × 20 / 60 = 2 at once
    add_chats(
        shop, weekly(MONDAY, 8, lambda week: [MONDAY_9 + timedelta(minutes=i) for i in range(6)]), length_seconds=1200
    )
    plan = build_plan([shop], start=MONDAY).clients[0]
    assert plan.hours[9].forecast == pytest.approx(6) and plan.handling.chat_seconds == pytest.approx(1200)
    gaps = coverage_gaps(shop, start=MONDAY)
    assert [(gap.starts_at.hour, gap.capacity) for gap in gaps.hours] == [(9, 1)]
    assert gaps.hours[0].expected_load == pytest.approx(plan.hours[9].forecast * 1200 / 3600) == pytest.approx(2)
    assert gaps.understaffed_hours == 1


def test_a_client_new_last_week_is_not_averaged_with_the_weeks_before_its_first_chat(shop, settings):
    settings.STAFFING_AVERAGE_HANDLE_MINUTES = 30  # no closed chat: 30 minutes of work at 3 at once, 36 minutes
    add_chats(
        shop, [MONDAY - timedelta(weeks=1) + MONDAY_9 + timedelta(minutes=i) for i in range(4)], length_seconds=None
    )
    gaps = coverage_gaps(shop, start=MONDAY)
    assert [(gap.starts_at.hour, gap.capacity, gap.expected_load) for gap in gaps.hours] == [(9, 1, pytest.approx(2.4))]


def test_chats_up_to_8_weeks_ago_are_history(shop):
    add_chats(shop, [MONDAY - timedelta(weeks=7) + MONDAY_9], length_seconds=600)
    Shift.objects.all().delete()
    gaps = coverage_gaps(shop, start=MONDAY)  # the 4-week average knew no load here
    assert gaps.has_history
    assert [gap.expected_load > 0 for gap in gaps.hours] == [False, True, False, False]
    assert coverage_gaps(shop, start=MONDAY + timedelta(weeks=2)).has_history is False


def test_without_history_the_admin_page_says_the_load_is_not_known(admin_client, shop):
    page = admin_client.get(f"/admin/clients/client/{shop.pk}/change/").content.decode()
    assert "No chats in the past 8 weeks: the expected load is not known yet." in page
