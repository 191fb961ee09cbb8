"""The agency admins' screens for webhooks: endpoints per client, deliveries with their attempts."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from clients.models.webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from clients.webhooks import services
from clients.webhooks.forms import WebhookEndpointForm
from core.errors import RelevoError


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    fields = ["client", "url", "events", "description", "is_enabled", "secret", "failing_since", "disabled_at"]
    readonly_fields = ["secret", "failing_since", "disabled_at"]
    list_display = ["url", "client", "is_enabled", "failing_since", "created_at"]
    list_filter = ["is_enabled", "client"]
    search_fields = ["url", "client__name"]
    actions = ["rotate_secrets"]

    def save_model(self, request, obj, form, change) -> None:
        services.save_endpoint(obj)

    def delete_model(self, request, obj) -> None:
        services.delete_endpoint(obj)

    @admin.action(description=_("Give the selected endpoints new signing secrets"))
    def rotate_secrets(self, request, queryset) -> None:
        for endpoint in queryset:
            services.rotate_secret(endpoint)
        messages.success(request, _("New secrets were generated."))


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = readonly_fields = ["attempted_at", "status_code", "error", "is_success"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["event_type", "endpoint", "client", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "event_type", "client"]
    search_fields = ["event_id", "endpoint__url"]
    readonly_fields = [field.name for field in WebhookDelivery._meta.fields]
    inlines = [WebhookAttemptInline]
    actions = ["redeliver"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Redeliver the selected events"))
    def redeliver(self, request, queryset) -> None:
        for row in queryset:
            try:
                services.redeliver(row)
            except RelevoError as error:
                messages.error(request, error.detail)
