"""Coverage across the spring and autumn clock changes (Europe/Madrid and Europe/Warsaw).

In 2026 both zones spring forward on Sunday 29 March (02:00 CET → 03:00 CEST,
at 01:00 UTC) and fall back on Sunday 25 October (03:00 CEST → 02:00 CET, at
01:00 UTC).
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clients.coverage import is_covered, next_opening
from clients.tests.coverage_factories import EVERY_DAY, client_with_hours, utc

pytestmark = pytest.mark.django_db
ZONES = ["Europe/Madrid", "Europe/Warsaw"]
SUNDAY = 6


@pytest.mark.parametrize("tz", ZONES)
def test_opening_hours_follow_the_wall_clock_through_the_spring_week(tz):
    shop = client_with_hours([(EVERY_DAY, "08:00", "20:00")], tz=tz)
    assert next_opening(shop, utc(2026, 3, 27, 20, 0)) == utc(2026, 3, 28, 7, 0)  # Saturday 08:00 CET
    assert next_opening(shop, utc(2026, 3, 28, 20, 0)) == utc(2026, 3, 29, 6, 0)  # Sunday 08:00 CEST
    assert is_covered(shop, utc(2026, 3, 29, 17, 59))  # 19:59 CEST
    assert not is_covered(shop, utc(2026, 3, 29, 18, 0))


@pytest.mark.parametrize("tz", ZONES)
def test_opening_hours_follow_the_wall_clock_through_the_autumn_week(tz):
    shop = client_with_hours([(EVERY_DAY, "08:00", "20:00")], tz=tz)
    assert next_opening(shop, utc(2026, 10, 24, 20, 0)) == utc(2026, 10, 25, 7, 0)  # Sunday 08:00 CET
    assert is_covered(shop, utc(2026, 10, 24, 17, 59))  # Saturday 19:59 CEST
    assert is_covered(shop, utc(2026, 10, 25, 18, 59, 59))  # Sunday 19:59:59 CET
    assert not is_covered(shop, utc(2026, 10, 25, 19, 0))


@pytest.mark.parametrize("tz", ZONES)
def test_a_night_window_over_the_spring_change_is_an_hour_shorter(tz):
    shop = client_with_hours([(SUNDAY - 1, "22:00", "06:00")], tz=tz)  # Saturday night
    assert next_opening(shop, utc(2026, 3, 28, 12, 0)) == utc(2026, 3, 28, 21, 0)
    assert is_covered(shop, utc(2026, 3, 29, 3, 59))  # 05:59 CEST
    assert not is_covered(shop, utc(2026, 3, 29, 4, 0))  # 06:00 CEST: 7 real hours


@pytest.mark.parametrize("tz", ZONES)
def test_a_night_window_over_the_autumn_change_is_an_hour_longer(tz):
    shop = client_with_hours([(SUNDAY - 1, "22:00", "06:00")], tz=tz)
    assert is_covered(shop, utc(2026, 10, 25, 4, 59))  # 05:59 CET
    assert not is_covered(shop, utc(2026, 10, 25, 5, 0))  # 06:00 CET: 9 real hours


@pytest.mark.parametrize("tz", ZONES)
def test_a_window_starting_in_the_skipped_hour_starts_at_the_change(tz):
    shop = client_with_hours([(SUNDAY, "02:30", "05:00")], tz=tz)
    assert not is_covered(shop, utc(2026, 3, 29, 0, 59))
    assert next_opening(shop, utc(2026, 3, 29, 0, 0)) == utc(2026, 3, 29, 1, 0)  # 03:00 CEST
    assert is_covered(shop, utc(2026, 3, 29, 2, 59))  # 04:59 CEST


@pytest.mark.parametrize("tz", ZONES)
def test_a_window_wholly_inside_the_skipped_hour_never_opens_that_day(tz):
    shop = client_with_hours([(SUNDAY, "02:10", "02:50")], tz=tz)
    assert next_opening(shop, utc(2026, 3, 29, 0, 0)) == utc(2026, 4, 5, 0, 10)  # next Sunday 02:10 CEST


@pytest.mark.parametrize("tz", ZONES)
def test_a_window_ending_in_the_repeated_hour_ends_the_second_time(tz):
    shop = client_with_hours([(SUNDAY, "00:00", "02:30")], tz=tz)
    assert is_covered(shop, utc(2026, 10, 25, 0, 45))  # 02:45 CEST (first pass)
    assert is_covered(shop, utc(2026, 10, 25, 1, 15))  # 02:15 CET (second pass)
    assert not is_covered(shop, utc(2026, 10, 25, 1, 30))


@pytest.mark.parametrize("tz", ZONES)
def test_a_window_starting_in_the_repeated_hour_starts_the_first_time(tz):
    shop = client_with_hours([(SUNDAY, "02:30", "04:00")], tz=tz)
    assert next_opening(shop, utc(2026, 10, 24, 23, 0)) == utc(2026, 10, 25, 0, 30)  # 02:30 CEST


# --- Properties ---------------------------------------------------------------------

WINDOWS = [
    (EVERY_DAY, "08:00", "14:00"),
    (range(5), "16:00", "20:00"),
    (4, "21:00", "02:30"),
    (SUNDAY, "01:30", "03:30"),
]
moments = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC))
property_settings = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def wall_clock_says_covered(at: datetime, tz: str) -> bool:
    """The plain reading of the windows, right away from the clock changes."""
    local = at.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
    for days, start, end in WINDOWS:
        for day in [days] if isinstance(days, int) else days:
            starts = datetime.combine(local.date(), time.fromisoformat(start))
            ends = datetime.combine(local.date(), time.fromisoformat(end))
            ends += timedelta(days=1) if ends <= starts else timedelta()
            for shift in (0, 1):  # windows that started today, or yesterday and run past midnight
                first = starts - timedelta(days=shift)
                if first.weekday() == day and first <= local < ends - timedelta(days=shift):
                    return True
    return False


def near_a_clock_change(at: datetime, tz: str) -> bool:
    zone = ZoneInfo(tz)
    return any(
        (at + timedelta(hours=h)).astimezone(zone).utcoffset() != at.astimezone(zone).utcoffset() for h in (-12, 12)
    )


@pytest.fixture(params=ZONES)
def property_shop(request, db):
    return client_with_hours(WINDOWS, tz=request.param)


@property_settings
@given(at=moments)
def test_covered_means_the_next_opening_is_now(property_shop, at):
    assert is_covered(property_shop, at) == (next_opening(property_shop, at) == at)


@property_settings
@given(at=moments)
def test_the_next_opening_is_covered_and_follows_a_closed_moment(property_shop, at):
    opening = next_opening(property_shop, at)
    assert opening is not None and opening >= at
    assert is_covered(property_shop, opening)
    if opening > at:
        assert not is_covered(property_shop, opening - timedelta(seconds=1))
        assert not is_covered(property_shop, at + (opening - at) / 2)


@property_settings
@given(at=moments)
def test_away_from_clock_changes_coverage_is_the_wall_clock_reading(property_shop, at):
    if not near_a_clock_change(at, property_shop.timezone):
        assert is_covered(property_shop, at) == wall_clock_says_covered(at, property_shop.timezone)
