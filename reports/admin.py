"""Agency admins see every escalation, report and delivery (leads' included); undeliverable reports
and failed deliveries are one filter away, and failed deliveries can be put back in line."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from reports.delivery import deliveries
from reports.models import AuditEntry, ClientReportSettings, Delivery, Escalation, Feedback, Report


@admin.register(ClientReportSettings)
class ClientReportSettingsAdmin(admin.ModelAdmin):
    list_display = ["client", "normal_reports", "reminder_after_hours"]
    autocomplete_fields = ["client"]


@admin.register(Escalation)
class EscalationAdmin(admin.ModelAdmin):
    list_display = ["question", "client", "category", "urgency", "status", "created_at", "answered_at"]
    list_filter = ["status", "urgency", "category", "client"]
    search_fields = ["question", "answer"]
    date_hierarchy = "created_at"
    raw_id_fields = ["conversation", "agent", "acknowledged_by", "answered_by"]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["text", "kind", "client", "created_at"]
    list_filter = ["kind", "client"]
    raw_id_fields = ["conversation", "agent"]


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ["address", "status", "attempts", "next_attempt_at", "sent_at", "last_error"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "client", "is_urgent", "is_undeliverable", "created_at"]
    list_filter = ["is_undeliverable", "is_urgent", "client"]
    search_fields = ["visitor_email", "visitor_name"]
    readonly_fields = ["undeliverable_categories"]
    raw_id_fields = ["conversation"]
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "client", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "kind", "client"]
    search_fields = ["address", "key"]
    readonly_fields = ["key", "attempts", "claimed_at", "claim_token", "last_error", "sent_at", "created_at"]
    raw_id_fields = ["user", "report", "escalation", "offline_message", "lead"]
    actions = ["retry_now"]

    @admin.action(description=_("Retry the selected failed deliveries"))
    def retry_now(self, request, queryset):
        count = deliveries.retry_now(queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("%(count)d delivery will be retried.", "%(count)d deliveries will be retried.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log of exports, erasures and retention deletions is written by privacy.services."""

    list_display = ["created_at", "action", "client", "requested_by", "counts"]
    list_filter = ["action", "client"]
    readonly_fields = ["created_at", "action", "client", "subject_hash", "requested_by", "counts"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
