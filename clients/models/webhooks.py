"""A client's webhook endpoints, one outbox row per event and endpoint, and each attempt to send it."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from clients.models.client import Client
from core.outbound.outbox import OutboxRow


class WebhookEventType(models.TextChoices):
    """The events an endpoint may subscribe to (docs/webhooks.md shows each payload)."""

    CONVERSATION_CLOSED = "conversation.closed", _("A conversation was closed")
    LEAD_CREATED = "lead.created", _("A visitor left a message outside coverage (a lead)")
    ESCALATION_CREATED = "escalation.created", _("An agent escalated a question")
    REPORT_SENT = "report.sent", _("A post-chat report was sent")
    RATING_CREATED = "rating.created", _("A visitor rated a conversation")


PAYLOAD_VERSION = 1


def new_webhook_secret() -> str:
    return f"whsec_{secrets.token_urlsafe(32)}"


class WebhookEndpoint(models.Model):
    """A URL of the client's own systems that receives the events it subscribed to, signed with `secret`."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="webhook_endpoints", verbose_name=_("client")
    )
    url = models.URLField(_("URL"), max_length=254, help_text=_("An https:// address of your own systems."))
    events = models.JSONField(
        _("events"), default=list, help_text=_('The event types sent to this URL, e.g. ["conversation.closed"].')
    )
    secret = models.CharField(
        _("signing secret"),
        max_length=80,
        default=new_webhook_secret,
        help_text=_("Signs every request (header Relevo-Signature)."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    is_enabled = models.BooleanField(_("enabled"), default=True)
    failing_since = models.DateTimeField(
        _("failing since"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The first failed attempt since the last success; a day of failures disables the endpoint."),
    )
    disabled_at = models.DateTimeField(_("disabled automatically"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["client_id", "pk"]

    def __str__(self) -> str:
        return self.url

    def is_subscribed_to(self, event_type: str) -> bool:
        return self.is_enabled and event_type in self.events


class WebhookDelivery(OutboxRow):
    """One event to one endpoint: claimed, sent and retried by the shared outbox engine.

    `body` is the exact JSON sent on every attempt (so is `event_id`, for receivers' de-duplication)."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("endpoint")
    )
    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="webhook_deliveries", verbose_name=_("client")
    )
    event_id = models.UUIDField(_("event id"))
    event_type = models.CharField(_("event"), max_length=40, choices=WebhookEventType.choices)
    body = models.TextField(_("payload"))

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due")]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.address}"


class WebhookAttempt(models.Model):
    """One try at sending a delivery: the log the client reads in the portal."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log", verbose_name=_("delivery")
    )
    attempted_at = models.DateTimeField(_("when"), auto_now_add=True)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    is_success = models.BooleanField(_("delivered"), default=False)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["attempted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.attempted_at:%Y-%m-%d %H:%M:%S} {self.status_code or self.error[:40]}"
