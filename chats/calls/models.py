"""The call log and callback requests of conversations (registered with the chats app by ChatsConfig.import_models)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agency.models import Agent


class CallKind(models.TextChoices):
    VOICE = "voice", _("Voice")
    VIDEO = "video", _("Video")


class CallStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CONNECTED = "connected", _("Connected")
    ENDED = "ended", pgettext_lazy("call status", "Ended")  # a call: es "Finalizada", pl "Zakończone"


class CallParty(models.TextChoices):
    VISITOR = "visitor", _("Visitor")
    AGENT = "agent", _("Agent")
    SYSTEM = "system", _("System")


OPEN_CALL_STATUSES = (CallStatus.OFFERED, CallStatus.ACCEPTED, CallStatus.CONNECTED)


class Call(models.Model):
    """One call an agent offered in a conversation, and what became of it.

    At most one call per conversation is open (offered, accepted or connected) at a time.
    """

    conversation = models.ForeignKey("chats.Conversation", on_delete=models.CASCADE, related_name="calls")
    agent = models.ForeignKey(Agent, on_delete=models.SET_NULL, null=True, blank=True, related_name="calls")
    kind = models.CharField(_("kind"), max_length=5, choices=CallKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=CallStatus.choices, default=CallStatus.OFFERED)
    offered_at = models.DateTimeField(_("offered"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    connected_at = models.DateTimeField(_("connected"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.CharField(_("ended by"), max_length=7, choices=CallParty.choices, blank=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["conversation", "offered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation"],
                condition=models.Q(status__in=["offered", "accepted", "connected"]),
                name="call_one_open_per_conversation",
            ),
        ]

    def __str__(self) -> str:
        return _("Call %(id)s") % {"id": self.pk}

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CALL_STATUSES

    @property
    def duration_seconds(self) -> int | None:
        """Seconds from connected to ended; None for a call that never connected or still runs."""
        if self.connected_at is None or self.ended_at is None:
            return None
        return max(0, round((self.ended_at - self.connected_at).total_seconds()))

    @property
    def duration_display(self) -> str:
        """`m:ss` for a call that connected and ended, else empty."""
        seconds = self.duration_seconds
        if seconds is None:
            return ""
        minutes, rest = divmod(seconds, 60)
        return f"{minutes}:{rest:02d}"


class CallbackHandler(models.TextChoices):
    CLIENT = "client", _("The client's representatives")
    AGENCY = "agency", _("The agency")


class CallbackSettings(models.Model):
    """Who calls a client's visitors back (the agency unless the client says otherwise)."""

    client = models.OneToOneField(
        "clients.Client", on_delete=models.CASCADE, related_name="callback_settings", verbose_name=_("client")
    )
    handled_by = models.CharField(
        _("callbacks are made by"), max_length=6, choices=CallbackHandler.choices, default=CallbackHandler.AGENCY
    )

    class Meta:
        verbose_name = _("callback settings")
        verbose_name_plural = _("callback settings")

    def __str__(self) -> str:
        return str(self.client)


class CallbackStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class CallbackRequest(models.Model):
    """A visitor's request to be called back at a time the client is covered: a task with a status."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="callback_requests", verbose_name=_("client")
    )
    conversation = models.ForeignKey(
        "chats.Conversation", on_delete=models.CASCADE, related_name="callback_requests", verbose_name=_("conversation")
    )
    phone = models.CharField(_("phone"), max_length=32)
    preferred_at = models.DateTimeField(_("preferred time"))
    visitor_timezone = models.CharField(_("visitor's timezone"), max_length=64, default="UTC")
    handled_by = models.CharField(_("made by"), max_length=6, choices=CallbackHandler.choices)
    status = models.CharField(_("status"), max_length=6, choices=CallbackStatus.choices, default=CallbackStatus.OPEN)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )

    class Meta:
        verbose_name = _("callback request")
        verbose_name_plural = _("callback requests")
        ordering = ["preferred_at"]
        indexes = [models.Index(fields=["status", "preferred_at"], name="callback_due")]

    def __str__(self) -> str:
        return _("Callback %(id)s") % {"id": self.pk}
