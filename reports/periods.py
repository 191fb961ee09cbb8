"""The period a dashboard shows: whole local days chosen with two date inputs."""
from __future__ import annotations

import zoneinfo
from datetime import timedelta
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.analytics import Period

DEFAULT_DAYS = 30
# The longest period the portal and the API accept, in whole days (a leap year).
MAX_PERIOD_DAYS = 366


class PeriodForm(forms.Form):
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

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
        return Period(since=since, until=until, tz=tz)


def period_query(period: Period, **extra) -> str:
    """The query string that selects `period` (and `extra` filters) on the dashboards' pages."""
    return urlencode({"since": period.since.isoformat(), "until": period.until.isoformat(),
                      **{key: value for key, value in extra.items() if value is not None and value != ""}})
