"""Visitors, conversations and their messages: the record of every chat."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agency.models import Agent
from clients.models import Client


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Visitor(models.Model):
    """Someone on a client's website who opened the chat widget."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="visitors")
    name = models.CharField(_("name"), max_length=120, blank=True)
    email = models.EmailField(_("email"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("visitor")
        verbose_name_plural = _("visitors")

    def __str__(self) -> str:
        return self.name or self.email or _("Visitor %(id)s") % {"id": self.pk}


class ConversationStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")
    MISSED = "missed", _("Missed")


OPEN_STATUSES = (ConversationStatus.QUEUED, ConversationStatus.ACTIVE)
# Chats whose visitor socket has connected at least once: only these wait in line.
VISITOR_CONNECTED = models.Q(visitor_connected_at__isnull=False)


class Conversation(models.Model):
    """One chat between a visitor and (once routed) an agent.

    `last_seq` is the seq of the newest message; it is raised under the row lock
    taken by the message writer (`chats.writer`), so seqs have no gaps.
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="conversations")
    visitor = models.ForeignKey(Visitor, on_delete=models.CASCADE, related_name="conversations")
    agent = models.ForeignKey(Agent, on_delete=models.SET_NULL, null=True, blank=True, related_name="conversations")
    status = models.CharField(
        _("status"), max_length=10, choices=ConversationStatus.choices, default=ConversationStatus.QUEUED
    )
    token_hash = models.CharField(max_length=64, editable=False)
    page_url = models.URLField(_("page"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    last_seq = models.PositiveIntegerField(default=0, editable=False)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True, db_index=True)
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    visitor_last_seen_at = models.DateTimeField(_("visitor last seen"), null=True, blank=True)
    # Set when the visitor's first socket connects: until then the chat is not
    # routed, not in line, and dropped if no socket comes (chats.services).
    visitor_connected_at = models.DateTimeField(_("visitor connected"), null=True, blank=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        indexes = [
            # The FIFO queue per client, and the agent's open chats.
            models.Index(fields=["client", "status", "requested_at"], name="conv_client_status_req"),
            models.Index(fields=["agent", "status"], name="conv_agent_status"),
            # A client's chats over a period (analytics, the portal's dashboard).
            models.Index(fields=["client", "requested_at"], name="conv_client_requested"),
        ]

    def __str__(self) -> str:
        return _("Conversation %(id)s") % {"id": self.pk}

    @staticmethod
    def new_token() -> tuple[str, str]:
        """A fresh visitor secret and the hash that is stored instead of it."""
        token = secrets.token_urlsafe(32)
        return token, hash_token(token)

    def token_matches(self, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.token_hash, hash_token(token))

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class SenderKind(models.TextChoices):
    VISITOR = "visitor", _("Visitor")
    AGENT = "agent", _("Agent")
    SYSTEM = "system", _("System")


class Message(models.Model):
    """A message in a conversation, numbered by `seq` (1, 2, 3… per conversation)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveIntegerField()
    sender = models.CharField(_("sender"), max_length=10, choices=SenderKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("text"))
    client_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    # An internal note (chats.teamwork): agents and supervisors see it, a visitor never does.
    is_internal = models.BooleanField(_("internal note"), default=False, db_default=False)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["conversation", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "seq"], name="message_unique_seq"),
            # Per sender: a client_id is the sender's own retry key, so the visitor's and the
            # agent's ids never collide (chats.transcript's ON CONFLICT names these columns).
            models.UniqueConstraint(
                fields=["conversation", "sender", "client_id"],
                condition=models.Q(client_id__isnull=False),
                name="message_unique_client_id_per_sender",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.conversation_id}#{self.seq}"
