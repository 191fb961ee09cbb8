"""The agency admins' screens for proactive rules, and the invitations they sent (read-only)."""

from django.contrib import admin

from chats.visits.models import Invitation, ProactiveRule


@admin.register(ProactiveRule)
class ProactiveRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "client", "is_active", "min_seconds_on_page", "min_cart_value", "url_contains"]
    list_filter = ["is_active", "client"]
    search_fields = ["name", "client__name"]
    autocomplete_fields = ["client"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["sent_at", "client", "agent", "rule", "answer", "conversation"]
    list_filter = ["answer", "client"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
