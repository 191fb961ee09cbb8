"""The agency's own people: agents and the state routing needs about them."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clients.models import Client


class Presence(models.TextChoices):
    ONLINE = "online", _("Online")
    AWAY = "away", _("Away")
    OFFLINE = "offline", _("Offline")


def default_max_concurrent() -> int:
    return settings.CHAT_DEFAULT_MAX_CONCURRENT


class Agent(models.Model):
    """An agent who answers chats for the clients they serve.

    `active_chats` is the routing counter: it is only changed by a conditional
    UPDATE in `chats.routing`, so concurrent assignments can never push an agent
    past `max_concurrent_chats`.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent", verbose_name=_("user")
    )
    clients = models.ManyToManyField(
        Client, related_name="agents", blank=True, verbose_name=_("clients served")
    )
    max_concurrent_chats = models.PositiveSmallIntegerField(
        _("max concurrent chats"), default=default_max_concurrent
    )
    presence = models.CharField(
        _("presence"), max_length=10, choices=Presence.choices, default=Presence.OFFLINE
    )
    active_chats = models.PositiveSmallIntegerField(_("active chats"), default=0, editable=False)
    last_assigned_at = models.DateTimeField(_("last assigned"), null=True, blank=True, editable=False)
    last_seen_at = models.DateTimeField(_("console last seen"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("agent")
        verbose_name_plural = _("agents")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.user.first_name or self.user.username

    def serves(self, client_id: int) -> bool:
        return self.clients.filter(pk=client_id).exists()
