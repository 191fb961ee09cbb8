"""Leads in the admin: read-only, searchable, by client and source."""

from django.contrib import admin

from chats.leads.models import Lead


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ["created_at", "client", "source", "name", "email", "phone", "has_consent"]
    list_filter = ["source", "has_consent", "client"]
    search_fields = ["name", "email", "phone", "message"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "client",
        "conversation",
        "offline_message",
        "source",
        "name",
        "email",
        "phone",
        "has_consent",
        "consent_text",
        "message",
        "language",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False
