"""Visits, proactive rules, invitations and conversions: the engagement side of the widget.

Registered with the chats app by `chats.apps.ChatsConfig.import_models`. A visit row is
written in batches (chats.visits.live), never once per heartbeat; it holds nothing
personal unless the site called `Relevo.identify`.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from agency.models import Agent
from chats.models import Conversation
from clients.models import Client


class Visit(models.Model):
    """One browsing session of one tab (its key lives in the tab's sessionStorage)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="visits")
    key = models.UUIDField(_("visit key"))
    started_at = models.DateTimeField(_("started"), db_index=True)
    last_seen_at = models.DateTimeField(_("last seen"))
    is_live = models.BooleanField(_("connected"), default=False)
    channel_name = models.CharField(max_length=120, blank=True, editable=False)
    page_url = models.CharField(_("page"), max_length=500, blank=True)
    page_title = models.CharField(_("page title"), max_length=200, blank=True)
    referrer = models.CharField(_("referrer"), max_length=500, blank=True)
    page_started_at = models.DateTimeField(_("on this page since"), null=True, blank=True)
    pages_seen = models.PositiveIntegerField(_("pages seen"), default=1)
    is_returning = models.BooleanField(_("returning visitor"), default=False)
    language = models.CharField(_("language"), max_length=10, blank=True)
    cart_value = models.DecimalField(_("cart value"), max_digits=12, decimal_places=2, null=True, blank=True)
    cart_currency = models.CharField(_("cart currency"), max_length=3, blank=True)
    cart_items = models.PositiveIntegerField(_("items in cart"), default=0)
    name = models.CharField(_("name"), max_length=120, blank=True)
    email = models.EmailField(_("email"), blank=True)
    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chat"),
    )

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="visit_unique_key_per_client")]
        indexes = [models.Index(fields=["client", "is_live", "last_seen_at"], name="visit_live")]

    def __str__(self) -> str:
        return str(self.key)


def validate_invitation_texts(value: str) -> None:
    if not parse_invitation_texts(value):
        raise ValidationError(_("Write at least one line such as “en: Can we help you?”."))
    for line in value.splitlines():
        if line.strip() and ":" not in line:
            raise ValidationError(
                _("“%(line)s” does not start with a language code and a colon."), params={"line": line.strip()[:40]}
            )


def parse_invitation_texts(value: str) -> dict[str, str]:
    """`en: Need help?` lines → {"en": "Need help?"}; the first line is the fallback."""
    texts = {}
    for line in value.splitlines():
        language, sep, text = line.partition(":")
        if sep and language.strip() and text.strip():
            texts.setdefault(language.strip().lower()[:10], text.strip())
    return texts


def format_invitation_texts(texts: dict[str, str]) -> str:
    """{"en": "Need help?"} → `en: Need help?` lines, in the dict's order (its first is the fallback);
    a text's own line breaks become spaces, since each language is one line."""
    return "\n".join(f"{language}: {' '.join(text.split())}" for language, text in texts.items() if text.strip())


class ProactiveRule(models.Model):
    """When to invite a visitor of the client to chat (every condition set must hold)."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="proactive_rules", verbose_name=_("client")
    )
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)
    min_seconds_on_page = models.PositiveIntegerField(_("seconds on the page at least"), default=30)
    url_contains = models.CharField(_("page address contains"), max_length=200, blank=True)
    min_cart_value = models.DecimalField(
        _("cart value at least"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    returning_only = models.BooleanField(_("returning visitors only"), default=False)
    min_pages_seen = models.PositiveIntegerField(_("pages seen at least"), default=0)
    language = models.CharField(
        _("visitor language"),
        max_length=10,
        blank=True,
        help_text=_("ISO code such as es; empty matches every language."),
    )
    invitation_texts = models.TextField(
        _("invitation text per language"),
        validators=[validate_invitation_texts],
        help_text=_(
            "One line per language, e.g. “en: Can we help you with your order?”. "
            "The first line is used for any other language."
        ),
    )

    class Meta:
        verbose_name = _("proactive invitation rule")
        verbose_name_plural = _("proactive invitation rules")
        ordering = ["client", "pk"]

    def __str__(self) -> str:
        return self.name

    def text_for(self, language: str) -> str:
        texts = parse_invitation_texts(self.invitation_texts)
        base = (language or "").lower().split("-")[0]
        return texts.get((language or "").lower()) or texts.get(base) or next(iter(texts.values()), "")


class InvitationAnswer(models.TextChoices):
    PENDING = "pending", _("Not answered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Invitation(models.Model):
    """An invitation shown to a visitor: by a rule (automatic) or by an agent."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="invitations")
    agent = models.ForeignKey(Agent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    rule = models.ForeignKey(ProactiveRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    text = models.CharField(_("text"), max_length=500)
    sent_at = models.DateTimeField(_("sent"), db_index=True)
    answer = models.CharField(
        _("answer"), max_length=10, choices=InvitationAnswer.choices, default=InvitationAnswer.PENDING
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    conversation = models.ForeignKey(Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["client", "sent_at"], name="invitation_client_sent")]

    def __str__(self) -> str:
        return self.text

    @property
    def is_automatic(self) -> bool:
        return self.agent_id is None


class Conversion(models.Model):
    """A sale the site reported (`Relevo.trackConversion`), with the chat of the visit before it, if any."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="conversions")
    conversation = models.ForeignKey(Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    at = models.DateTimeField(_("at"), db_index=True)

    class Meta:
        verbose_name = _("conversion")
        verbose_name_plural = _("conversions")
        indexes = [models.Index(fields=["client", "at"], name="conversion_client_at")]

    def __str__(self) -> str:
        return f"{self.value} {self.currency}".strip()
