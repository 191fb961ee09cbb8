"""What a client chooses about measuring its chats: the rating scale, NPS surveys, transcripts."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from clients.models.client import Client


class RatingScale(models.TextChoices):
    THUMBS = "thumbs", _("Good or bad")
    FIVE = "five", _("1 to 5")


# The scores each scale accepts, and which of them count as satisfied (CSAT).
SCALE_SCORES = {RatingScale.THUMBS: range(0, 2), RatingScale.FIVE: range(1, 6)}
SATISFIED_FROM = {RatingScale.THUMBS: 1, RatingScale.FIVE: 4}


class QualitySettings(models.Model):
    """One row per client that changed a default; `for_client` answers the defaults otherwise."""

    client = models.OneToOneField(
        Client, on_delete=models.CASCADE, related_name="quality_settings", verbose_name=_("client")
    )
    rating_scale = models.CharField(
        _("rating scale"),
        max_length=10,
        choices=RatingScale.choices,
        default=RatingScale.FIVE,
        help_text=_("How visitors rate a chat when it ends."),
    )
    nps_after_days = models.PositiveSmallIntegerField(
        _("NPS survey after (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Email visitors whose email is known a 0–10 survey this many days after a chat. Empty sends none."),
    )
    send_transcripts = models.BooleanField(
        _("email transcripts"),
        default=False,
        help_text=_("Email the visitor the transcript when a chat ends, when their email is known."),
    )
    reply_to_email = models.EmailField(
        _("reply-to address"), blank=True, help_text=_("Where visitors' replies to transcripts and surveys go.")
    )

    class Meta:
        verbose_name = _("quality settings")
        verbose_name_plural = _("quality settings")

    def __str__(self) -> str:
        return str(self.client)

    @classmethod
    def for_client(cls, client_id: int) -> "QualitySettings":
        return cls.objects.filter(client_id=client_id).first() or cls(client_id=client_id)

    @property
    def scores(self) -> range:
        return SCALE_SCORES[self.rating_scale]
