"""Filter fields the REST API lists share."""
from __future__ import annotations

from datetime import UTC

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

FIRST_YEAR, LAST_YEAR = 1970, 2100


class InstantField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 datetime turned into UTC here, within years PostgreSQL and Python both hold
    (an offset such as +16:31 or a year 7218 is a 400, not a database error)."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            moment = moment.astimezone(UTC)
        except (OverflowError, ValueError):
            moment = None
        if moment is None or not FIRST_YEAR <= moment.year <= LAST_YEAR:
            raise forms.ValidationError(_("Give an ISO 8601 datetime between %(first)s and %(last)s."),
                                        code="invalid", params={"first": FIRST_YEAR, "last": LAST_YEAR})
        return moment


class InstantFilter(django_filters.IsoDateTimeFilter):
    """`?requested_after=2026-01-01T00:00:00Z`: an ISO 8601 datetime, naive meaning the server's UTC."""

    field_class = InstantField
