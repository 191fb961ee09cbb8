"""Escalated questions, agents' feedback, post-chat reports and their outbound deliveries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agency.models import Agent
from chats.calls.models import CallbackRequest
from chats.models import Conversation
from clients.models import Client, OfflineMessage
from core.outbound.outbox import OutboxRow, OutboxStatus

DEFAULT_CATEGORIES = ["order", "refund", "pricing", "complaint", "technical", "other"]

# Labels of the default categories; a client's own categories are shown as typed.
CATEGORY_LABELS = {
    "order": _("Order"),
    "refund": _("Refund"),
    "pricing": _("Pricing"),
    "complaint": _("Complaint"),
    "technical": _("Technical"),
    "other": _("Other"),
}


def default_categories() -> list[str]:
    return list(DEFAULT_CATEGORIES)


def category_label(code: str) -> str:
    return str(CATEGORY_LABELS.get(code, code))


class NormalReportTiming(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    HOURLY = "hourly", _("In an hourly digest")


class ClientReportSettings(models.Model):
    """How a client wants escalations: its categories, when normal reports go out, reminders."""

    client = models.OneToOneField(
        Client, on_delete=models.CASCADE, related_name="report_settings", verbose_name=_("client")
    )
    categories = models.JSONField(
        _("escalation categories"),
        default=default_categories,
        help_text=_('Codes agents choose from, e.g. ["order", "refund", "warranty"].'),
    )
    normal_reports = models.CharField(
        _("send normal reports"),
        max_length=12,
        choices=NormalReportTiming.choices,
        default=NormalReportTiming.IMMEDIATELY,
    )
    reminder_after_hours = models.PositiveSmallIntegerField(
        _("remind after (hours)"),
        default=4,
        help_text=_("Representatives are reminded of escalations nobody acknowledged for this long."),
    )

    class Meta:
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")

    def __str__(self) -> str:
        return str(_("Report settings of %(client)s") % {"client": self.client})

    @classmethod
    def of(cls, client_id: int) -> ClientReportSettings:
        """The client's settings; the defaults when it never changed them (nothing is stored)."""
        return cls.objects.filter(client_id=client_id).first() or cls(client_id=client_id)


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class EscalationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ANSWERED = "answered", _("Answered")


class Escalation(models.Model):
    """A visitor's question the agent may not answer, passed to the client's representatives."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="escalations", verbose_name=_("conversation")
    )
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="escalations", verbose_name=_("client"))
    agent = models.ForeignKey(
        Agent, on_delete=models.SET_NULL, null=True, blank=True, related_name="escalations", verbose_name=_("agent")
    )
    question = models.TextField(_("question"))
    source_seq = models.PositiveIntegerField(_("from message"), null=True, blank=True)
    category = models.CharField(_("category"), max_length=40)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    note = models.TextField(_("internal note"), blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=EscalationStatus.choices, default=EscalationStatus.OPEN
    )
    created_at = models.DateTimeField(_("escalated"), auto_now_add=True, db_index=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["client", "status", "created_at"], name="escalation_client_status")]

    def __str__(self) -> str:
        return self.question[:60]

    @property
    def category_label(self) -> str:
        return category_label(self.category)

    @property
    def is_urgent(self) -> bool:
        return self.urgency == Urgency.URGENT


class FeedbackKind(models.TextChoices):
    PRAISE = "praise", _("Praise")
    COMPLAINT = "complaint", _("Complaint")
    IDEA = "idea", _("Product idea")


class Feedback(models.Model):
    """What an agent heard about the client's business, passed on in reports and the weekly digest."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("conversation")
    )
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("client"))
    agent = models.ForeignKey(
        Agent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("agent")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=FeedbackKind.choices)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class Report(models.Model):
    """The post-chat report of one conversation that had escalations or feedback."""

    conversation = models.OneToOneField(
        Conversation, on_delete=models.CASCADE, related_name="report", verbose_name=_("conversation")
    )
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="reports", verbose_name=_("client"))
    visitor_name = models.CharField(_("visitor name"), max_length=120, blank=True)
    visitor_email = models.EmailField(_("visitor email"), blank=True)
    is_urgent = models.BooleanField(_("urgent"), default=False)
    is_undeliverable = models.BooleanField(
        _("undeliverable"),
        default=False,
        help_text=_("Some category has no representative who receives emails."),
    )
    undeliverable_categories = models.JSONField(_("categories nobody receives"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(_("Report on conversation %(id)s") % {"id": self.conversation_id})


class DeliveryKind(models.TextChoices):
    REPORT = "report", _("Post-chat report")
    REMINDER = "reminder", _("Reminder")
    DAILY_DIGEST = "daily_digest", _("Daily digest")
    WEEKLY_FEEDBACK = "weekly_feedback", _("Weekly feedback digest")
    ANSWER = "answer", _("Answer to the visitor")
    LEAD = "lead", _("Offline message (lead)")
    UNDELIVERABLE_LEAD = "undeliverable_lead", _("Lead nobody receives, to the agency admins")
    CALLBACK = "callback", _("Callback reminder")


DeliveryStatus = OutboxStatus  # the statuses of every outbox row, under the name reports has always used


class Delivery(OutboxRow):
    """One outbound email to one recipient, about at most one thing (a report, an escalation, a lead).

    The engine's fields (key, status, attempts, claim and lease…) come from core's
    OutboxRow; reports.delivery.deliveries says how these rows are grouped and composed.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=DeliveryKind.choices)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("client"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient"),
    )
    language = models.CharField(_("language"), max_length=10, default="en")
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries", verbose_name=_("report")
    )
    escalation = models.ForeignKey(
        Escalation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("escalation"),
    )
    offline_message = models.ForeignKey(
        OfflineMessage,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("offline message"),
    )
    lead = models.ForeignKey(
        "chats.Lead", on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries", verbose_name=_("lead")
    )
    callback = models.ForeignKey(
        CallbackRequest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("callback request"),
    )
    is_batched = models.BooleanField(
        _("in a digest"), default=False, help_text=_("Sent together with this recipient's other due reports.")
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]
        constraints = [
            models.CheckConstraint(
                name="delivery_is_about_one_thing",
                condition=(
                    models.Q(report__isnull=True, escalation__isnull=True)
                    | models.Q(report__isnull=True, offline_message__isnull=True)
                    | models.Q(escalation__isnull=True, offline_message__isnull=True)
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.address}"


class AuditAction(models.TextChoices):
    EXPORT = "export", _("Visitor data exported")
    ERASE = "erase", _("Visitor data erased")
    RETENTION = "retention", _("Expired chats deleted")


class AuditEntry(models.Model):
    """Who did what to personal data, when, and how much: never the data itself.

    The visitor is named by a keyed hash of their email, enough to prove that a
    request was handled without keeping the address that was erased."""

    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    client = models.ForeignKey(
        Client, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("client")
    )
    subject_hash = models.CharField(_("visitor (hashed email)"), max_length=64, blank=True)
    requested_by = models.CharField(_("requested by"), max_length=200)
    counts = models.JSONField(_("counts"), default=dict)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.created_at:%Y-%m-%d %H:%M}" if self.created_at else self.action
