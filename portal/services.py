"""Writes of the portal's settings: a client's escalation categories, when normal reports go out,
reminders (owners), and each client user's own preferences."""

from __future__ import annotations

from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Value, When
from django.utils.translation import gettext as _

from clients.models import Representative
from core import errors
from reports.models import ClientReportSettings, Escalation, NormalReportTiming

MAX_CATEGORY_CHARS = Escalation._meta.get_field("category").max_length
MAX_REMINDER_HOURS = 7 * 24


class CategoryEdit(NamedTuple):
    """One row of the client's category list: its code before the edit ("" when new) and after."""

    previous: str
    name: str


def check_categories(edits: list[CategoryEdit]) -> list[str]:
    """The new category list, or InvalidInput when it is empty, repeats itself or a name is too long."""
    names = [edit.name.strip() for edit in edits]
    if not names:
        raise errors.InvalidInput(_("Keep at least one category."))
    for name in names:
        if not name:
            raise errors.InvalidInput(_("A category needs a name."))
        if len(name) > MAX_CATEGORY_CHARS:
            raise errors.InvalidInput(
                _("A category name may have at most %(limit)s characters.") % {"limit": MAX_CATEGORY_CHARS}
            )
    seen: set[str] = set()
    for name in names:
        if name.casefold() in seen:
            raise errors.InvalidInput(_("The category “%(name)s” is listed twice.") % {"name": name})
        seen.add(name.casefold())
    return names


def update_report_settings(
    *, client_id: int, categories: list[CategoryEdit], normal_reports: str, reminder_after_hours: int
) -> ClientReportSettings:
    """Change how the client gets escalations.

    A renamed category carries its escalations and its subscribers with it; a
    removed one stays on past escalations and is no longer offered to agents."""
    names = check_categories(categories)
    if normal_reports not in NormalReportTiming.values:
        raise errors.InvalidInput(_("Normal reports are sent immediately or in an hourly digest."))
    if not 1 <= reminder_after_hours <= MAX_REMINDER_HOURS:
        raise errors.InvalidInput(_("Reminders are sent after 1 to %(limit)s hours.") % {"limit": MAX_REMINDER_HOURS})
    with transaction.atomic():
        report_settings = ClientReportSettings.objects.select_for_update().filter(client_id=client_id).first()
        report_settings = report_settings or ClientReportSettings(client_id=client_id)
        current = set(report_settings.categories)
        renames = {
            edit.previous: edit.name.strip()
            for edit in categories
            if edit.previous in current and edit.previous != edit.name.strip()
        }
        report_settings.categories = names
        report_settings.normal_reports = normal_reports
        report_settings.reminder_after_hours = reminder_after_hours
        report_settings.full_clean(exclude=["client"])
        report_settings.save()
        if renames:
            rename_categories(client_id=client_id, renames=renames)
    return report_settings


def rename_categories(*, client_id: int, renames: dict[str, str]) -> None:
    """Move escalations and subscriptions to the new names (one UPDATE, so swapping two names works)."""
    Escalation.objects.filter(client_id=client_id, category__in=renames).update(
        category=Case(*[When(category=old, then=Value(new)) for old, new in renames.items()])
    )
    for representative in Representative.objects.select_for_update().filter(client_id=client_id):
        subscribed = [renames.get(code, code) for code in representative.subscribed_categories]
        if subscribed != representative.subscribed_categories:
            representative.subscribed_categories = subscribed
            representative.save(update_fields=["subscribed_categories"])


def update_preferences(
    *, representative: Representative, language: str, receives_emails: bool, subscribed_categories: list[str]
) -> Representative:
    """A client user's own choices: the language of their emails, whether they get any, and about what."""
    if language not in dict(settings.LANGUAGES):
        raise errors.InvalidInput(_("Choose one of the offered languages."))
    categories = ClientReportSettings.of(representative.client_id).categories
    unknown = [code for code in subscribed_categories if code not in categories]
    if unknown:
        raise errors.InvalidInput(
            _("“%(category)s” is not one of your company's categories.") % {"category": unknown[0]}
        )
    representative.language = language
    representative.receives_emails = receives_emails
    representative.subscribed_categories = [code for code in categories if code in subscribed_categories]
    representative.save(update_fields=["language", "receives_emails", "subscribed_categories"])
    return representative
