"""REST API v1 shapes of webhook endpoints and their delivery log."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from clients.models.webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEventType
from clients.webhooks.selectors import clients_with_webhooks_managed_by


class ManagedClientField(serializers.PrimaryKeyRelatedField):
    """Only a client whose webhooks the caller manages: any other id does not exist for them."""

    def get_queryset(self):
        return clients_with_webhooks_managed_by(self.context["request"].user)


class WebhookEndpointSerializer(serializers.ModelSerializer):
    client = ManagedClientField(required=False, help_text="Defaults to the caller's own client (client owners).")
    events = serializers.ListField(child=serializers.ChoiceField(choices=WebhookEventType.choices), min_length=1)

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "client",
            "url",
            "events",
            "description",
            "is_enabled",
            "secret",
            "failing_since",
            "disabled_at",
            "created_at",
        ]
        read_only_fields = ["secret", "failing_since", "disabled_at", "created_at"]

    def validate(self, attrs: dict) -> dict:
        if self.instance is None and "client" not in attrs:
            managed = list(clients_with_webhooks_managed_by(self.context["request"].user)[:2])
            if len(managed) != 1:
                raise serializers.ValidationError({"client": _("Name the client of this endpoint.")})
            attrs["client"] = managed[0]
        if self.instance is not None and "client" in attrs and attrs["client"] != self.instance.client:
            raise serializers.ValidationError({"client": _("An endpoint stays with its client.")})
        return attrs


class WebhookAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ["attempted_at", "status_code", "error", "is_success"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    attempt_log = WebhookAttemptSerializer(many=True, read_only=True)
    event_type = serializers.CharField(read_only=True, help_text="One of the endpoint's event types.")

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event_id",
            "event_type",
            "status",
            "created_at",
            "sent_at",
            "next_attempt_at",
            "attempts",
            "last_error",
            "attempt_log",
        ]
