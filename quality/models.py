"""NPS surveys and the emails to visitors (transcripts, surveys) with their outbox rows.

Their tables keep the names they had under reports (db_table): the move changed their owner, not their data."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from chats.models import Conversation
from clients.models import Client
from core.outbound.outbox import OutboxRow


class NpsSurvey(models.Model):
    """One 0–10 question to one visitor email about one chat; answered once through a signed link."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="nps_surveys", verbose_name=_("client"))
    conversation = models.OneToOneField(
        Conversation, on_delete=models.CASCADE, related_name="nps_survey", verbose_name=_("conversation")
    )
    email = models.EmailField(_("email"), db_index=True, help_text=_("Lower-cased, for the 90-day rule."))
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True, db_index=True)
    commented_at = models.DateTimeField(_("commented"), null=True, blank=True)

    class Meta:
        db_table = "reports_npssurvey"  # kept from when reports held it (quality/migrations/0001)
        verbose_name = _("NPS survey")
        verbose_name_plural = _("NPS surveys")
        indexes = [models.Index(fields=["client", "answered_at"], name="nps_client_answered")]

    def __str__(self) -> str:
        return f"NPS {self.conversation_id}: {self.score}"


class QualityEmailKind(models.TextChoices):
    TRANSCRIPT = "transcript", _("Transcript")
    NPS_SURVEY = "nps_survey", _("NPS survey")


class QualityEmail(OutboxRow):
    """One email to a visitor, sent by the shared outbox engine (claimed, retried, never twice)."""

    kind = models.CharField(_("kind"), max_length=12, choices=QualityEmailKind.choices)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+", verbose_name=_("client"))
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="+", verbose_name=_("conversation")
    )
    survey = models.ForeignKey(
        NpsSurvey, on_delete=models.CASCADE, null=True, blank=True, related_name="emails", verbose_name=_("NPS survey")
    )
    language = models.CharField(_("language"), max_length=10, default="en")

    class Meta:
        db_table = "reports_qualityemail"  # kept from when reports held it
        verbose_name = _("email to a visitor")
        verbose_name_plural = _("emails to visitors")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="qualityemail_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.address}"


# QA scorecards live in their own package; imported here so that Django registers them with quality.
from quality.scorecards.models import (  # noqa: E402, F401
    Criterion,
    CriterionScore,
    Review,
    Rubric,
    SampledChat,
    SamplingPolicy,
)
