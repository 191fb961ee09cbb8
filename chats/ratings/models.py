"""A visitor's rating of one chat (chats.ratings records it).

A model of the chats app in its feature folder (ChatsConfig.import_models loads it); it names the
conversation by string, so chats.ratings may import chats.models without a circle."""

from functools import reduce
from operator import or_

from django.db import models
from django.utils.translation import gettext_lazy as _

from agency.models import Agent
from clients.models import Client
from clients.models.quality import SATISFIED_FROM, RatingScale

# Counts towards CSAT (good on the good/bad scale, 4 or 5 on the 1–5 one): `Rating.is_satisfied` for a
# row, SATISFIED for a query; both read clients.models.quality.SATISFIED_FROM.
SATISFIED = reduce(or_, (models.Q(scale=scale, score__gte=lowest) for scale, lowest in SATISFIED_FROM.items()))


class Rating(models.Model):
    """At most one per conversation (the one-to-one is the unique constraint)."""

    conversation = models.OneToOneField(
        "chats.Conversation", on_delete=models.CASCADE, related_name="rating", verbose_name=_("conversation")
    )
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("client"))
    agent = models.ForeignKey(
        Agent, on_delete=models.SET_NULL, null=True, blank=True, related_name="ratings", verbose_name=_("agent")
    )
    scale = models.CharField(_("scale"), max_length=10, choices=RatingScale.choices)
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("rated"), auto_now_add=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        indexes = [
            models.Index(fields=["client", "created_at"], name="rating_client_created"),
            models.Index(fields=["agent", "created_at"], name="rating_agent_created"),
        ]

    def __str__(self) -> str:
        return f"{self.conversation_id}: {self.score}"

    @property
    def is_satisfied(self) -> bool:
        """Counts towards CSAT: good on the good/bad scale, 4 or 5 on the 1–5 one."""
        return self.score >= SATISFIED_FROM[self.scale]
