"""is_covered and next_opening: windows, midnight, exceptions, holidays and 24/7."""

from datetime import date, timedelta

import pytest

from clients.coverage import is_covered, next_opening
from clients.tests.coverage_factories import EVERY_DAY, add_exception, client_with_hours, utc
from conftest import make_client

pytestmark = pytest.mark.django_db

# 2026-06-01 is a Monday; Madrid is UTC+2 in June.


def test_a_client_is_covered_inside_its_window_and_not_outside():
    shop = client_with_hours([(0, "08:00", "20:00")])
    assert is_covered(shop, utc(2026, 6, 1, 6, 0))  # 08:00 Madrid
    assert is_covered(shop, utc(2026, 6, 1, 17, 59, 59))  # 19:59:59
    assert not is_covered(shop, utc(2026, 6, 1, 18, 0))  # 20:00: the end is open
    assert not is_covered(shop, utc(2026, 6, 1, 5, 59))
    assert not is_covered(shop, utc(2026, 6, 2, 10, 0))  # Tuesday has no window


def test_several_windows_a_day_leave_the_lunch_break_uncovered():
    shop = client_with_hours([(0, "09:00", "13:00"), (0, "15:00", "19:00")])
    assert not is_covered(shop, utc(2026, 6, 1, 12, 0))  # 14:00
    assert next_opening(shop, utc(2026, 6, 1, 12, 0)) == utc(2026, 6, 1, 13, 0)


def test_a_window_crossing_midnight_belongs_to_the_day_it_starts():
    shop = client_with_hours([(4, "20:00", "02:00")])  # Friday 20:00 → Saturday 02:00
    assert is_covered(shop, utc(2026, 6, 5, 23, 30))  # Saturday 01:30 Madrid
    assert not is_covered(shop, utc(2026, 6, 6, 0, 0))  # Saturday 02:00
    assert not is_covered(shop, utc(2026, 6, 6, 18, 30))  # Saturday 20:30


def test_a_window_ending_at_midnight_runs_to_the_end_of_the_day():
    shop = client_with_hours([(0, "18:00", "00:00")])
    assert is_covered(shop, utc(2026, 6, 1, 21, 59))
    assert not is_covered(shop, utc(2026, 6, 1, 22, 0))


def test_sunday_night_windows_reach_into_monday():
    shop = client_with_hours([(6, "22:00", "03:00")])
    assert is_covered(shop, utc(2026, 6, 8, 0, 30))  # Monday 02:30


def test_next_opening_is_the_start_of_the_next_window():
    shop = client_with_hours([(2, "10:00", "12:00")])
    assert next_opening(shop, utc(2026, 6, 1, 15, 0)) == utc(2026, 6, 3, 8, 0)


def test_next_opening_is_now_when_covered():
    shop = client_with_hours([(0, "08:00", "20:00")])
    assert next_opening(shop, utc(2026, 6, 1, 9, 0)) == utc(2026, 6, 1, 9, 0)


def test_adjacent_windows_across_midnight_are_one_opening():
    shop = client_with_hours([(0, "20:00", "00:00"), (1, "00:00", "02:00")])
    assert is_covered(shop, utc(2026, 6, 1, 22, 0))  # Tuesday 00:00
    assert next_opening(shop, utc(2026, 6, 1, 21, 59)) == utc(2026, 6, 1, 21, 59)


def test_a_client_with_no_hours_has_no_next_opening():
    shop = client_with_hours([])
    assert not is_covered(shop, utc(2026, 6, 1, 9, 0))
    assert next_opening(shop, utc(2026, 6, 1, 9, 0)) is None


def test_a_24_7_client_is_always_covered():
    shop = make_client("Always", is_24_7=True)
    assert is_covered(shop, utc(2026, 12, 25, 3, 0))


def test_a_24_7_client_still_closes_on_a_closed_exception():
    shop = make_client("Always", is_24_7=True, timezone="Europe/Madrid")
    add_exception(shop, date(2026, 12, 25))
    assert not is_covered(shop, utc(2026, 12, 25, 11, 0))
    assert next_opening(shop, utc(2026, 12, 25, 11, 0)) == utc(2026, 12, 25, 23, 0)  # 26th 00:00 CET


def test_a_closed_exception_closes_the_date():
    shop = client_with_hours([(EVERY_DAY, "08:00", "20:00")])
    add_exception(shop, date(2026, 6, 3))
    assert not is_covered(shop, utc(2026, 6, 3, 10, 0))
    assert next_opening(shop, utc(2026, 6, 3, 10, 0)) == utc(2026, 6, 4, 6, 0)


def test_special_hours_replace_the_weekly_windows_of_that_date():
    shop = client_with_hours([(EVERY_DAY, "08:00", "20:00")])
    add_exception(shop, date(2026, 6, 3), "10:00", "14:00")
    assert not is_covered(shop, utc(2026, 6, 3, 7, 0))  # 09:00
    assert is_covered(shop, utc(2026, 6, 3, 9, 0))  # 11:00
    assert not is_covered(shop, utc(2026, 6, 3, 13, 0))  # 15:00


def test_special_hours_open_a_day_that_is_normally_closed():
    shop = client_with_hours([(0, "08:00", "20:00")])
    add_exception(shop, date(2026, 6, 6), "10:00", "13:00")  # a Saturday
    assert next_opening(shop, utc(2026, 6, 2, 10, 0)) == utc(2026, 6, 6, 8, 0)


def test_public_holidays_are_closed():
    shop = client_with_hours([(EVERY_DAY, "08:00", "20:00")], holiday_country="ES", holiday_region="MD")
    assert not is_covered(shop, utc(2026, 5, 1, 10, 0))  # Labour Day
    assert not is_covered(shop, utc(2026, 5, 2, 10, 0))  # Madrid Day
    assert next_opening(shop, utc(2026, 5, 1, 10, 0)) == utc(2026, 5, 3, 6, 0)


def test_regional_holidays_count_only_in_their_region():
    madrid = client_with_hours([(EVERY_DAY, "08:00", "20:00")], holiday_country="ES", holiday_region="MD")
    catalonia = client_with_hours([(EVERY_DAY, "08:00", "20:00")], holiday_country="ES", holiday_region="CT")
    diada = utc(2026, 9, 11, 10, 0)
    assert is_covered(madrid, diada)
    assert not is_covered(catalonia, diada)


def test_a_client_that_works_holidays_keeps_its_windows():
    shop = client_with_hours([(EVERY_DAY, "08:00", "20:00")], holiday_country="ES", works_on_holidays=True)
    assert is_covered(shop, utc(2026, 5, 1, 10, 0))


def test_special_hours_win_over_a_holiday():
    shop = client_with_hours([(EVERY_DAY, "08:00", "20:00")], holiday_country="PL", tz="Europe/Warsaw")
    add_exception(shop, date(2026, 11, 11), "10:00", "12:00")  # Independence Day
    assert is_covered(shop, utc(2026, 11, 11, 9, 30))


def test_next_opening_skips_a_run_of_closed_days():
    shop = client_with_hours([(EVERY_DAY, "08:00", "20:00")])
    for offset in range(10):
        add_exception(shop, date(2026, 8, 1) + timedelta(days=offset))
    assert next_opening(shop, utc(2026, 8, 1, 0, 0)) == utc(2026, 8, 11, 6, 0)


def test_naive_datetimes_are_refused_with_the_fix():
    shop = client_with_hours([(0, "08:00", "20:00")])
    with pytest.raises(ValueError, match="aware"):
        is_covered(shop, utc(2026, 6, 1, 9, 0).replace(tzinfo=None))
