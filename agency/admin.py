"""The agency admins' screens for their people: agents, teams and shifts."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agency.api_tokens import revoke_api_tokens
from agency.models import Agent, ApiToken, Shift, Team


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "presence", "languages", "max_concurrent_chats", "active_chats"]
    list_filter = ["presence", "clients", "teams"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    filter_horizontal = ["clients"]
    readonly_fields = ["active_chats", "last_assigned_at", "last_seen_at"]
    raw_id_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "max_simultaneous_chats"]
    search_fields = ["name"]
    filter_horizontal = ["members"]


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = ["agent", "client", "team", "starts_at", "ends_at"]
    list_filter = ["client", "team", "agent"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["client"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Lists tokens without secrets (only a digest is stored); issue them with `manage.py create_api_token`."""

    list_display = ["key_prefix", "user", "name", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at", "expires_at"]
    search_fields = ["user__username", "name", "key_prefix"]
    fields = ["user", "name", "key_prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "key_prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False  # a key must be shown once to whoever asked: `manage.py create_api_token`

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset) -> None:
        count = revoke_api_tokens(queryset)
        self.message_user(
            request, ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count) % {"count": count}
        )
