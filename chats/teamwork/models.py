"""Teamwork's records: chats handed over (transfers), the client's tags on its chats, and each
agent's console preferences. Models of the chats app (ChatsConfig.import_models loads them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from agency.models import Agent, Team
from chats.models import Conversation
from clients.models import Client


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for acceptance")
    ACCEPTED = "accepted", _("Accepted")
    CANCELLED = "cancelled", _("Cancelled")


class Transfer(models.Model):
    """A chat handed from one agent to another agent or to a team, with a note for the colleague.

    Done at once when the target has a free slot; otherwise it waits (`pending`)
    until a target accepts it with a free slot (chats.teamwork.transfers).
    """

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="transfers")
    from_agent = models.ForeignKey(Agent, on_delete=models.SET_NULL, null=True, related_name="+")
    to_agent = models.ForeignKey(Agent, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    to_team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    accepted_by = models.ForeignKey(Agent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(to_agent__isnull=False) | models.Q(to_team__isnull=False),
                name="transfer_has_a_target",
            ),
        ]

    def __str__(self) -> str:
        return _("Transfer %(id)s") % {"id": self.pk}


class Tag(models.Model):
    """A label from the client's own list (sale, complaint, order status…) put on its chats."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(_("name"), max_length=50)
    conversations = models.ManyToManyField(Conversation, related_name="tags", blank=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["client", "name"], name="tag_unique_name_per_client")]

    def __str__(self) -> str:
        return self.name


class ConsolePreference(models.Model):
    """An agent's console settings: desktop notification and sound while the tab is hidden."""

    agent = models.OneToOneField(Agent, on_delete=models.CASCADE, related_name="console_preference")
    desktop_notifications = models.BooleanField(_("desktop notifications"), default=True)
    sound = models.BooleanField(_("sound"), default=True)

    class Meta:
        verbose_name = _("console preference")
        verbose_name_plural = _("console preferences")

    def __str__(self) -> str:
        return str(self.agent)
