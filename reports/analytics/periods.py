"""The period a dashboard shows: whole local days chosen with two date inputs."""

from __future__ import annotations

import zoneinfo
from datetime import timedelta
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.analytics.selectors import Period

DEFAULT_DAYS = 30
# The longest period the portal and the API accept, in whole days (a leap year).
MAX_PERIOD_DAYS = 366


def date_input() -> forms.DateInput:
    # A date input's value is ISO 8601 whatever the page's language.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    since = forms.DateField(label=_("From"), required=False, widget=date_input())
    until = forms.DateField(label=_("Until"), required=False, widget=date_input())

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The period must end on or after the day it starts."))
        if since and until and (until - since).days >= MAX_PERIOD_DAYS:
            raise forms.ValidationError(_("Choose a period of at most %(days)s days.") % {"days": MAX_PERIOD_DAYS})
        return data

    def period(self, tz: zoneinfo.ZoneInfo) -> Period:
        """The chosen days; the last 30 days up to today (local) when missing or invalid."""
        today = timezone.now().astimezone(tz).date()
        data = self.cleaned_data if self.is_valid() else {}
        until = data.get("until") or today
        since = data.get("since") or until - timedelta(days=DEFAULT_DAYS - 1)
        period = Period(since=since, until=until, tz=tz)
        self.show(period)
        return period

    def show(self, period: Period) -> None:
        """The date inputs show the period applied, also when it was defaulted or the input refused."""
        applied = {"since": period.since.isoformat(), "until": period.until.isoformat()}
        if self.is_bound:
            data = self.data.copy()
            for name, value in applied.items():
                data[name] = value
            self.data = data
        else:
            self.initial.update(applied)


def period_query(period: Period, **extra) -> str:
    """The query string that selects `period` (and `extra` filters) on the dashboards' pages."""
    return urlencode(
        {
            "since": period.since.isoformat(),
            "until": period.until.isoformat(),
            **{key: value for key, value in extra.items() if value is not None and value != ""},
        }
    )
