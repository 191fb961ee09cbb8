"""The forecast of a client's chats per hour: weekday × hour profile, trend, unusual days left out, its error."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from clients.models import CoverageException
from conftest import make_agent, make_client
from core.erlang import effective_concurrency
from planning.forecast import forecast_clients, measure_handling
from planning.tests.staffing_history import add_chats, weekly

MADRID = ZoneInfo("Europe/Madrid")
# A Monday; the 12 weeks before it hold Spain's 8 Dec, 25 Dec, 1 Jan and 6 Jan (a Tuesday).
START = datetime(2026, 2, 16, tzinfo=MADRID)
MONDAY_10 = timedelta(hours=10)
TUESDAY_10 = timedelta(days=1, hours=10)


def hour_of(forecast, moment: datetime) -> float:
    return forecast.expected[int((moment - START).total_seconds() // 3600)]


@pytest.fixture
def shop(db):
    return make_client("Shop", timezone="Europe/Madrid", holiday_country="ES")


def test_each_weekday_hour_gets_its_average(shop):
    add_chats(shop, weekly(START, 12, lambda week: [MONDAY_10] * 4 + [TUESDAY_10] * 2))
    forecast = forecast_clients([shop], start=START)[shop.pk]
    assert hour_of(forecast, START + MONDAY_10) == pytest.approx(4)
    assert hour_of(forecast, START + TUESDAY_10) == pytest.approx(2)
    assert hour_of(forecast, START + timedelta(hours=11)) == 0
    assert hour_of(forecast, START + timedelta(weeks=3) + MONDAY_10) == pytest.approx(4)
    assert len(forecast.expected) == 4 * 168


def test_public_holidays_and_the_clients_exceptions_are_left_out_of_the_history(shop):
    moments = weekly(START, 12, lambda week: [MONDAY_10] * 4 + [TUESDAY_10] * 2)
    epiphany = datetime.combine(date(2026, 1, 6), time(10), MADRID)  # a Tuesday, a public holiday in Spain
    sale_day = datetime.combine(date(2026, 1, 26), time(10), MADRID)  # a Monday with special hours
    CoverageException.objects.create(client=shop, date=sale_day.date(), starts_at=time(8), ends_at=time(23))
    add_chats(shop, moments + [epiphany] * 40 + [sale_day] * 60)
    forecast = forecast_clients([shop], start=START)[shop.pk]
    assert hour_of(forecast, START + MONDAY_10) == pytest.approx(4)
    assert hour_of(forecast, START + TUESDAY_10) == pytest.approx(2)


def test_a_growing_client_is_forecast_with_its_trend(shop):
    add_chats(shop, weekly(START, 8, lambda week: [MONDAY_10] * (10 + week)))  # 10, 11 … 17
    forecast = forecast_clients([shop], start=START, with_backtests=False)[shop.pk]
    assert hour_of(forecast, START + MONDAY_10) == pytest.approx(18)
    assert hour_of(forecast, START + timedelta(weeks=1) + MONDAY_10) == pytest.approx(19)


def test_a_closed_day_ahead_is_forecast_empty(shop):
    add_chats(shop, weekly(START, 12, lambda week: [MONDAY_10] * 4))
    CoverageException.objects.create(client=shop, date=START.date(), is_closed=True)
    forecast = forecast_clients([shop], start=START)[shop.pk]
    assert hour_of(forecast, START + MONDAY_10) == 0
    assert hour_of(forecast, START + timedelta(weeks=1) + MONDAY_10) == pytest.approx(4)


def test_past_weeks_are_forecast_against_what_came_with_their_error(shop):
    add_chats(shop, weekly(START, 12, lambda week: [MONDAY_10] * (2 if week == 10 else 4)))
    forecast = forecast_clients([shop], start=START)[shop.pk]
    assert [test.actual_chats for test in forecast.backtests] == [4, 4, 2, 4]
    third = forecast.backtests[2]
    assert third.week_starts_at == START - timedelta(weeks=2)
    assert third.forecast_chats == pytest.approx(4)
    assert third.mape == pytest.approx(1.0)  # forecast 4, came 2: |2 − 4| / 2
    assert forecast.backtests[0].mape == pytest.approx(0)
    assert 0.25 <= forecast.mape < 0.35  # the mean of the four weeks' errors


def test_handle_time_and_chats_at_once_are_measured_from_closed_chats(shop):
    ana = make_agent("ana", shop)
    begins = START - timedelta(days=3)
    add_chats(shop, [begins, begins + timedelta(seconds=10)], agent=ana, length_seconds=600, first_reply_seconds=0)
    handling = measure_handling([shop.pk], since=START - timedelta(weeks=4), until=START)[shop.pk]
    assert handling.is_measured
    assert handling.chat_seconds == pytest.approx(600)
    assert handling.concurrency == 2  # 1,200 s of chats over the 610 s the agent had one: 1.97
    assert handling.handle_seconds == pytest.approx(600 * effective_concurrency(2) / 2)


def test_without_history_the_settings_are_assumed(shop, settings):
    settings.STAFFING_AVERAGE_HANDLE_MINUTES = 10
    handling = measure_handling([shop.pk], since=START - timedelta(weeks=4), until=START)[shop.pk]
    assert not handling.is_measured
    assert handling.handle_seconds == pytest.approx(600)
