"""Rubrics (versioned per client), the chats sampled for review, reviews and their per-criterion points.

A rubric is never edited once published: a change publishes the next version, so old reviews keep theirs."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from agency.models import Agent
from chats.models import Conversation
from clients.models import Client

DEFAULT_SAMPLE_PERCENT = 10


class SamplingPolicy(models.Model):
    """A client's share of each agent's chats sampled every week; `for_client` answers the default otherwise."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="+", verbose_name=_("client"))
    sample_percent = models.PositiveSmallIntegerField(
        _("share sampled (%)"),
        default=DEFAULT_SAMPLE_PERCENT,
        validators=[MaxValueValidator(100)],
        help_text=_("Share of each agent's chats reviewed every week, besides every low-rated or escalated chat."),
    )

    class Meta:
        verbose_name = _("QA sampling policy")
        verbose_name_plural = _("QA sampling policies")

    def __str__(self) -> str:
        return f"{self.client}: {self.sample_percent} %"

    @classmethod
    def for_client(cls, client_id: int) -> "SamplingPolicy":
        return cls.objects.filter(client_id=client_id).first() or cls(client_id=client_id)


class Rubric(models.Model):
    """One version of a client's scorecard; one version per client is active."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="rubrics", verbose_name=_("client"))
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    language = models.CharField(_("language"), max_length=10, default="en")
    is_active = models.BooleanField(_("active"), default=False, editable=False)
    created_at = models.DateTimeField(_("published"), auto_now_add=True)

    class Meta:
        verbose_name = _("QA rubric")
        verbose_name_plural = _("QA rubrics")
        constraints = [
            models.UniqueConstraint(fields=["client", "version"], name="rubric_client_version"),
            models.UniqueConstraint(
                fields=["client"], condition=models.Q(is_active=True), name="rubric_one_active_per_client"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} v{self.version}"


class Criterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("rubric"))
    label = models.CharField(_("label"), max_length=200)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("The most points it gives; 1 is pass or fail."),
    )
    is_critical = models.BooleanField(_("critical"), default=False, help_text=_("Failing it scores the chat 0."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.label


class SampleReason(models.TextChoices):
    SHARE = "share", _("Weekly share")
    LOW_RATING = "low_rating", _("Rated low")
    ESCALATED = "escalated", _("Escalated")
    FLAGGED = "flagged", _("Flagged")


class SampledChat(models.Model):
    """A chat chosen for review, once (the one-to-one makes building the sample idempotent)."""

    conversation = models.OneToOneField(
        Conversation, on_delete=models.CASCADE, related_name="qa_sample", verbose_name=_("conversation")
    )
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+", verbose_name=_("client"))
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="+", verbose_name=_("agent"))
    week = models.DateField(_("week"), help_text=_("The Monday of the week sampled."))
    reason = models.CharField(_("reason"), max_length=12, choices=SampleReason.choices)
    flag_reason = models.CharField(
        _("flag"), max_length=200, blank=True, help_text=_("Why the scope guard flagged the chat, when it did.")
    )
    created_at = models.DateTimeField(_("sampled"), auto_now_add=True)

    class Meta:
        verbose_name = _("sampled chat")
        verbose_name_plural = _("sampled chats")
        indexes = [models.Index(fields=["week", "client"], name="qa_sample_week_client")]

    def __str__(self) -> str:
        return f"{self.conversation_id} ({self.reason})"


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("Awaiting the agent")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    DISPUTED = "disputed", _("Disputed")
    SETTLED = "settled", _("Dispute settled")


class Review(models.Model):
    """A reviewer's scorecard of one chat; a second reviewer of the same chat calibrates the first."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="qa_reviews", verbose_name=_("conversation")
    )
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+", verbose_name=_("client"))
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="qa_reviews", verbose_name=_("agent"))
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("rubric"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewer")
    )
    score = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=1)
    is_critical_failed = models.BooleanField(_("critical fail"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    agent_comment = models.TextField(_("agent's comment"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    settlement = models.TextField(_("settlement"), blank=True, help_text=_("The supervisor's answer to a dispute."))
    settled_at = models.DateTimeField(_("settled"), null=True, blank=True)
    created_at = models.DateTimeField(_("reviewed"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("QA review")
        verbose_name_plural = _("QA reviews")
        constraints = [
            models.UniqueConstraint(fields=["conversation", "reviewer"], name="review_one_per_reviewer"),
        ]
        indexes = [models.Index(fields=["client", "created_at"], name="qa_review_client_created")]

    def __str__(self) -> str:
        return f"{self.conversation_id}: {self.score} %"


class CriterionScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores", verbose_name=_("review"))
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion"))
    points = models.PositiveSmallIntegerField(_("points"))

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="criterion_score_once")]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.points}"
