"""Admin of the call log (read-only) and of callback requests (the agency's tasks)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from chats.calls import callbacks
from chats.calls.models import Call, CallbackRequest, CallbackSettings, CallbackStatus


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "conversation",
        "agent",
        "kind",
        "status",
        "offered_at",
        "connected_at",
        "ended_at",
        "ended_by",
    ]
    list_filter = ["kind", "status", "ended_by"]
    readonly_fields = [field.name for field in Call._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(CallbackSettings)
class CallbackSettingsAdmin(admin.ModelAdmin):
    list_display = ["client", "handled_by"]


@admin.register(CallbackRequest)
class CallbackRequestAdmin(admin.ModelAdmin):
    list_display = ["preferred_at", "client", "phone", "handled_by", "status", "reminded_at", "closed_by"]
    list_filter = ["status", "handled_by", "client"]
    readonly_fields = [
        "client",
        "conversation",
        "phone",
        "preferred_at",
        "visitor_timezone",
        "handled_by",
        "status",
        "created_at",
        "reminded_at",
        "closed_at",
        "closed_by",
    ]
    actions = ["mark_done", "mark_failed"]

    def has_add_permission(self, request) -> bool:
        return False

    def close(self, request, queryset, status: str) -> None:
        closed = sum(
            callbacks.close_callback(callback=callback, status=status, user=request.user) for callback in queryset
        )
        self.message_user(request, _("%(count)s callback(s) closed.") % {"count": closed}, messages.SUCCESS)

    @admin.action(description=_("Mark done"))
    def mark_done(self, request, queryset) -> None:
        self.close(request, queryset, CallbackStatus.DONE)

    @admin.action(description=_("Mark failed"))
    def mark_failed(self, request, queryset) -> None:
        self.close(request, queryset, CallbackStatus.FAILED)
