"""What agents need to know to answer for a client: briefing, FAQ and canned replies."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from clients.models.client import Client


class Briefing(models.Model):
    """The client's instructions to agents (one per client)."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="briefing", verbose_name=_("client"))
    may_answer = models.TextField(_("agents may answer"), blank=True)
    may_not_answer = models.TextField(_("agents may not answer"), blank=True)
    tone = models.TextField(_("tone of voice"), blank=True)
    useful_links = models.TextField(_("useful links"), blank=True, help_text=_("One per line."))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")

    def __str__(self) -> str:
        return str(_("Briefing of %(client)s") % {"client": self.client})


class FaqEntry(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="faq_entries", verbose_name=_("client"))
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        ordering = ["client", "order", "pk"]

    def __str__(self) -> str:
        return self.question


validate_shortcut = RegexValidator(
    r"^/[a-z0-9][a-z0-9_-]*$",
    _("A shortcut is a slash and lowercase letters, digits, - or _, such as /hours."),
)


class CannedReply(models.Model):
    """A ready answer an agent inserts by typing its shortcut (`/hours`)."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="canned_replies", verbose_name=_("client")
    )
    shortcut = models.CharField(_("shortcut"), max_length=40, validators=[validate_shortcut])
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"))

    class Meta:
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")
        ordering = ["client", "shortcut"]
        constraints = [
            models.UniqueConstraint(fields=["client", "shortcut"], name="canned_reply_unique_shortcut"),
        ]

    def __str__(self) -> str:
        return f"{self.shortcut} · {self.title}"
