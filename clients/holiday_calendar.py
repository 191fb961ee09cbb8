"""Public holidays of a country (and region) from the `holidays` package."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays
from django.utils.translation import gettext as _


def problem_with(country: str, region: str = "") -> str | None:
    """A sentence saying why the country/region is unknown, or None when it is fine."""
    try:
        holidays.country_holidays(country, subdiv=region or None)
    except NotImplementedError:
        if region:
            return _("“%(region)s” is not a region of %(country)s that has a holiday calendar.") % {
                "region": region,
                "country": country,
            }
        return _("There is no holiday calendar for the country “%(country)s”.") % {"country": country}
    return None


@lru_cache(maxsize=256)
def holidays_of(country: str, region: str, year: int) -> frozenset[date]:
    """The public holidays of one year (cached: calendars do not change while we run)."""
    if not country:
        return frozenset()
    return frozenset(holidays.country_holidays(country, subdiv=region or None, years=year).keys())


def is_holiday(country: str, region: str, day: date) -> bool:
    return day in holidays_of(country, region, day.year)
