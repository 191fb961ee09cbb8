"""Admin of the chat domain: each client's tags, transfers (read only); sub-packages register theirs here."""

from django.contrib import admin

from chats.calls import admin as calls_admin  # noqa: F401
from chats.leads import admin as leads_admin  # noqa: F401
from chats.teamwork.models import Tag, Transfer
from chats.visits import admin as visits_admin  # noqa: F401


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "client")
    list_filter = ("client",)
    search_fields = ("name",)
    fields = ("client", "name")


@admin.register(Transfer)
class TransferAdmin(admin.ModelAdmin):
    list_display = ("conversation", "from_agent", "to_agent", "to_team", "accepted_by", "status", "created_at")
    list_filter = ("status",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
