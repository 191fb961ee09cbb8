"""The agency's own people: agents, their teams and shifts, and the state routing needs."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def display_name_of(user) -> str:
    """How a person of the agency is named to visitors, clients and colleagues: the first name, else the
    full name, else the word "Agent" in the active language. Never the username: it is half of a login."""
    return user.first_name.strip() or user.get_full_name() or gettext("Agent")


class Presence(models.TextChoices):
    ONLINE = "online", _("Online")
    AWAY = "away", _("Away")
    OFFLINE = "offline", _("Offline")


def default_max_concurrent() -> int:
    return settings.CHAT_DEFAULT_MAX_CONCURRENT


def parse_languages(value: str) -> list[str]:
    """`"ES, en"` → `["es", "en"]`."""
    return [code.strip().lower() for code in value.split(",") if code.strip()]


def validate_languages(value: str) -> None:
    for code in parse_languages(value):
        if not re.fullmatch(r"[a-z]{2,3}", code):
            raise ValidationError(
                _("“%(code)s” is not an ISO language code such as en, es or pl."), params={"code": code}
            )


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
        "clients.Client", related_name="agents", blank=True, verbose_name=_("clients served")
    )
    max_concurrent_chats = models.PositiveSmallIntegerField(_("max concurrent chats"), default=default_max_concurrent)
    presence = models.CharField(_("presence"), max_length=10, choices=Presence.choices, default=Presence.OFFLINE)
    languages = models.CharField(
        _("languages"),
        max_length=100,
        blank=True,
        validators=[validate_languages],
        help_text=_("ISO codes separated by commas, e.g. es, en."),
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
        return display_name_of(self.user)

    def clean(self) -> None:
        self.languages = ", ".join(dict.fromkeys(parse_languages(self.languages)))

    @property
    def language_codes(self) -> list[str]:
        return parse_languages(self.languages)


class Team(models.Model):
    """Agents who work together; an optional limit caps their chats together.

    The limit applies on top of each agent's own: routing (`chats.team_limits`)
    locks the team row and counts its active chats before giving one more.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    members = models.ManyToManyField(Agent, related_name="teams", blank=True, verbose_name=_("members"))
    max_simultaneous_chats = models.PositiveSmallIntegerField(
        _("max simultaneous chats"),
        null=True,
        blank=True,
        help_text=_("For the whole team together. Empty: no team limit."),
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Shift(models.Model):
    """An agent is scheduled to work, for one client or for their team's clients."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("agent"))
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="shifts",
        verbose_name=_("client"),
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="shifts", verbose_name=_("team")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="shift_period")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(client__isnull=False) | models.Q(team__isnull=False),
                name="shift_has_client_or_team",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agent} {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"

    def clean(self) -> None:
        if self.client_id is None and self.team_id is None:
            raise ValidationError(_("Choose the client or the team this shift is for."))
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The shift must end after it starts.")})


class ApiToken(models.Model):
    """A REST API token of a user. Only a SHA-256 digest of the key is stored: the key is
    shown once when issued (`agency.api_tokens.issue_api_token`); `key_prefix` finds the row."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(
        _("name"), max_length=100, blank=True, help_text=_("What uses this token, e.g. the CRM integration.")
    )
    key_prefix = models.CharField(_("key starts with"), max_length=8, db_index=True, editable=False)
    digest = models.CharField(_("key digest"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.key_prefix}… ({self.user})"

    def is_usable_at(self, moment) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > moment)
