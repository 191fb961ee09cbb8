"""The agency admins' screens for clients: coverage, briefing, representatives, offline messages."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.template.loader import render_to_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clients import coverage, services
from clients.models import (
    Briefing,
    CannedReply,
    Client,
    CoverageException,
    CoverageWindow,
    FaqEntry,
    OfflineMessage,
    PreChatForm,
    QualitySettings,
    Representative,
    Weekday,
)
from clients.webhooks import admin as webhooks_admin  # noqa: F401  (registers the webhooks' screens)


class CoverageWindowFormSet(BaseInlineFormSet):
    """Refuses windows that overlap, naming both (the rule is clients.services.check_coverage_windows)."""

    def clean(self) -> None:
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("starts_at")
            and form.cleaned_data.get("ends_at")
            and form.cleaned_data.get("weekday") is not None
        ]
        services.check_coverage_windows([(int(data["weekday"]), data["starts_at"], data["ends_at"]) for data in kept])


class CoverageWindowInline(admin.TabularInline):
    model = CoverageWindow
    formset = CoverageWindowFormSet
    extra = 0


class CoverageExceptionInline(admin.TabularInline):
    model = CoverageException
    extra = 0
    fields = ["date", "is_closed", "starts_at", "ends_at", "note"]


class BriefingInline(admin.StackedInline):
    model = Briefing
    can_delete = False
    max_num = 1
    exclude = []


class FaqEntryInline(admin.TabularInline):
    model = FaqEntry
    extra = 0


class PreChatFormInline(admin.StackedInline):
    model = PreChatForm
    can_delete = False
    max_num = 1


class CannedReplyInline(admin.TabularInline):
    model = CannedReply
    extra = 0


def of_saved_client(display: Callable[[Any, Client], str]) -> Callable[[Any, Client], str]:
    """A read-only display of the client's page that describes what is saved, not a form's rejected input:
    "—" on the add page."""

    @functools.wraps(display)
    def shown(model_admin: Any, client: Client) -> str:
        saved = Client.objects.filter(pk=client.pk).first() if client.pk else None
        return "—" if saved is None else display(model_admin, saved)

    return shown


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "timezone", "is_24_7", "required_language"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["widget_key", "coverage_picture", "coverage_totals"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "widget_key",
                    "allowed_origins",
                    "required_language",
                    "tracks_visitors_before_chat",
                ]
            },
        ),
        (
            _("Coverage"),
            {
                "fields": [
                    "timezone",
                    "is_24_7",
                    "holiday_country",
                    "holiday_region",
                    "works_on_holidays",
                    "hours_per_fte",
                ]
            },
        ),
        (_("Coverage this week"), {"fields": ["coverage_picture", "coverage_totals"]}),
        (
            _("Service level"),
            {
                "fields": ["sla_target_seconds", "sla_target_share"],
                "description": _("Shown to the client's owners on their dashboard, read-only."),
            },
        ),
        (_("Queue"), {"fields": ["max_queue_wait_seconds"]}),
    ]
    inlines = [
        CoverageWindowInline,
        CoverageExceptionInline,
        BriefingInline,
        FaqEntryInline,
        CannedReplyInline,
        PreChatFormInline,
    ]

    @admin.display(description=_("weekly picture"))
    @of_saved_client
    def coverage_picture(self, client: Client) -> str:
        grid = coverage.weekly_grid(client)
        rows = [
            {
                "day": Weekday(day).label,
                "cells": [{"hour": hour, "minutes": minutes} for hour, minutes in enumerate(hours)],
            }
            for day, hours in enumerate(grid)
        ]
        return render_to_string(
            "clients/admin/coverage_grid.html", {"rows": rows, "hours": range(24), "client": client}
        )

    @admin.display(description=_("hours and staff"))
    @of_saved_client
    def coverage_totals(self, client: Client) -> str:
        summary = coverage.coverage_summary(client)
        return gettext("%(hours)s covered hours a week, %(fte)s FTE at %(per_fte)s hours per FTE.") % {
            "hours": summary["hours_per_week"],
            "fte": summary["fte_needed"],
            "per_fte": summary["hours_per_fte"],
        }


@admin.register(OfflineMessage)
class OfflineMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "client", "name", "email", "is_handled", "notified_at", "is_undeliverable"]
    list_filter = ["is_handled", "is_undeliverable", "client"]
    search_fields = ["email", "name", "message"]
    readonly_fields = [
        "client",
        "name",
        "email",
        "message",
        "language",
        "created_at",
        "notified_at",
        "is_undeliverable",
    ]
    date_hierarchy = "created_at"
    actions = ["mark_handled"]

    @admin.action(description=_("Mark as handled"))
    def mark_handled(self, request, queryset) -> None:
        queryset.update(is_handled=True)

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Representative)
class RepresentativeAdmin(admin.ModelAdmin):
    list_display = ["user", "client", "role", "language", "receives_emails"]
    list_filter = ["role", "client"]
    search_fields = ["user__username", "user__email", "client__name"]
    autocomplete_fields = ["client"]
    raw_id_fields = ["user"]


@admin.register(QualitySettings)
class QualitySettingsAdmin(admin.ModelAdmin):
    """Ratings, NPS surveys and transcripts per client (issue 13; docs/operations.md)."""

    list_display = ("client", "rating_scale", "nps_after_days", "send_transcripts", "reply_to_email")
    list_select_related = ("client",)
    autocomplete_fields = ("client",)
