"""Filter fields the REST API lists share, and their base FilterSet: a value a filter cannot
read is a 400 `invalid` (core.api_errors), never silently ignored."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import django_filters
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS

FIRST_YEAR, LAST_YEAR = 1970, 2100


class InstantField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 datetime turned into UTC here, within years PostgreSQL and Python both hold
    (an offset such as +16:31 or a year 7218 is a 400, not a database error)."""

    def to_python(self, value: Any) -> datetime | None:
        moment: datetime | None = super().to_python(value)
        if moment is None:
            return None
        try:
            moment = moment.astimezone(UTC)
        except (OverflowError, ValueError):
            moment = None
        if moment is None or not FIRST_YEAR <= moment.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Give an ISO 8601 datetime between %(first)s and %(last)s."),
                code="invalid",
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
            )
        return moment


class InstantFilter(django_filters.IsoDateTimeFilter):
    """`?requested_after=2026-01-01T00:00:00Z`: an ISO 8601 datetime, naive meaning the server's UTC."""

    field_class = InstantField


class StrictBooleanField(forms.Field):
    """`true`/`false` (also `1`/`0`, any case); empty means no filter; anything else is invalid.
    django-filter's own boolean field reads junk as "no filter", so `?is_handled=ture` listed everything."""

    widget = forms.TextInput
    TRUE, FALSE = {"true", "1"}, {"false", "0"}

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        lowered = str(value).strip().lower()
        if lowered in self.TRUE:
            return True
        if lowered in self.FALSE:
            return False
        raise forms.ValidationError(_("Give true or false."), code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class ApiFilterSet(django_filters.FilterSet):
    """The base of every /api/v1/ FilterSet: boolean model fields get StrictBooleanFilter."""

    FILTER_DEFAULTS = {**FILTER_FOR_DBFIELD_DEFAULTS, models.BooleanField: {"filter_class": StrictBooleanFilter}}
