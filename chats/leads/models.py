"""A lead: who to call back, with what they wrote (imported by chats.models, so it is the chats app's)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from clients.models import Client, OfflineMessage


class LeadSource(models.TextChoices):
    PRE_CHAT = "pre_chat", _("Pre-chat form")
    LEAD_CARD = "lead_card", _("Agent's lead card")
    OFFLINE_FORM = "offline_form", _("Offline form")
    QUEUE = "queue", _("Message left while queued")
    MISSED_CHAT = "missed_chat", _("Missed chat")


class Lead(models.Model):
    """One per conversation at most (the lead card completes the pre-chat form's lead);
    an offline form's lead points at its offline message, which is what is emailed for it."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="leads", verbose_name=_("client"))
    conversation = models.OneToOneField(
        "chats.Conversation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lead",
        verbose_name=_("conversation"),
    )
    offline_message = models.OneToOneField(
        OfflineMessage,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="lead",
        verbose_name=_("offline message"),
    )
    source = models.CharField(_("source"), max_length=20, choices=LeadSource.choices)
    name = models.CharField(_("name"), max_length=120, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    has_consent = models.BooleanField(_("consent given"), default=False)
    consent_text = models.TextField(_("consent text shown"), blank=True)
    message = models.TextField(_("message"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["client", "-created_at"], name="lead_client_newest")]

    def __str__(self) -> str:
        return self.email or self.phone or self.name or f"#{self.pk}"
