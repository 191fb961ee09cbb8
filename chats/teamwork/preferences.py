"""An agent's console preferences: a desktop notification and a sound for a new chat or
message while the console's tab is hidden."""

from __future__ import annotations

from django.utils.translation import gettext as _

from agency.models import Agent
from chats import errors
from chats.teamwork.models import ConsolePreference

FIELDS = ("desktop_notifications", "sound")


def preferences_of(agent: Agent) -> dict:
    preference = ConsolePreference.objects.filter(agent=agent).first() or ConsolePreference(agent=agent)
    return {field: getattr(preference, field) for field in FIELDS}


def update_preferences(*, agent: Agent, changes: dict) -> dict:
    """Set any of `desktop_notifications`, `sound` (booleans); the others stay."""
    unknown = set(changes) - set(FIELDS)
    if unknown or not all(isinstance(value, bool) for value in changes.values()):
        raise errors.InvalidInput(_("Preferences are desktop_notifications and sound, each true or false."))
    preference, _created = ConsolePreference.objects.get_or_create(agent=agent)
    for field, value in changes.items():
        setattr(preference, field, value)
    preference.save(update_fields=list(changes) or None)
    return preferences_of(agent)
