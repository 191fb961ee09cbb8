"""The client business: identity, widget, timezone and coverage settings."""

import re
import secrets
import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from clients import holiday_calendar
from clients.origins import Origin, parse_configured_origin, parse_origin


def new_widget_key() -> str:
    return secrets.token_urlsafe(18)


def validate_timezone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_("Unknown timezone “%(tz)s”."), params={"tz": value}) from None


def validate_language_code(value: str) -> None:
    if value and not re.fullmatch(r"[a-z]{2,3}", value):
        raise ValidationError(_("“%(code)s” is not an ISO language code such as en, es or pl."), params={"code": value})


def normalise_origin(origin: str) -> str:
    """`https://Shop.example:443/` → `https://shop.example`; "" when it is not an origin (clients.origins)."""
    parsed = parse_configured_origin(origin)
    return str(parsed) if parsed else ""


def validate_origins(value: str) -> None:
    for line in value.splitlines():
        if line.strip() and not normalise_origin(line):
            raise ValidationError(
                _("“%(origin)s” is not an origin such as https://shop.example."),
                params={"origin": line.strip()},
            )


class Client(models.Model):
    """A business whose website visitors the agency's agents answer."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    timezone = models.CharField(_("timezone"), max_length=64, default="Europe/Madrid", validators=[validate_timezone])
    widget_key = models.CharField(_("widget key"), max_length=40, unique=True, default=new_widget_key, editable=False)
    allowed_origins = models.TextField(
        _("allowed website origins"),
        blank=True,
        validators=[validate_origins],
        help_text=_("One per line, e.g. https://shop.example. Empty allows any origin."),
    )
    is_24_7 = models.BooleanField(
        _("covered 24/7"),
        default=True,
        help_text=_("Chats are answered at every hour. Switch off to use the coverage windows below."),
    )
    holiday_country = models.CharField(
        _("holidays of country"),
        max_length=2,
        blank=True,
        help_text=_("ISO country code, e.g. ES or PL. Its public holidays are closed days."),
    )
    holiday_region = models.CharField(
        _("holidays of region"),
        max_length=10,
        blank=True,
        help_text=_("Optional region of that country, e.g. MD for Madrid."),
    )
    works_on_holidays = models.BooleanField(
        _("works on public holidays"),
        default=False,
        help_text=_("Keep the usual windows on public holidays instead of closing."),
    )
    hours_per_fte = models.PositiveSmallIntegerField(
        _("hours per FTE"), default=40, help_text=_("Weekly hours of one full-time agent, for staffing.")
    )
    required_language = models.CharField(
        _("required language"),
        max_length=3,
        blank=True,
        validators=[validate_language_code],
        help_text=_("Only agents who speak it (ISO code, e.g. es) get this client's chats."),
    )
    sla_target_seconds = models.PositiveIntegerField(
        _("first response target (seconds)"),
        default=22,
        help_text=_("Chats answered within this many seconds of the request meet the service level."),
    )
    sla_target_share = models.PositiveSmallIntegerField(
        _("share answered within the target (%)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "The service level is met when at least this percentage of the chats requested get a "
            "first response within the target seconds (e.g. 90 % within 22 s)."
        ),
    )
    retention_days = models.PositiveIntegerField(
        _("keep chats for (days)"),
        null=True,
        blank=True,
        help_text=_(
            "Conversations, their messages, escalations and reports, and offline messages older "
            "than this are deleted every night. Empty keeps them forever."
        ),
    )
    max_queue_wait_seconds = models.PositiveIntegerField(
        _("longest wait before offering a message (seconds)"),
        default=120,
        help_text=_("A queued visitor waiting this long is offered to leave a message instead (a lead)."),
    )
    tracks_visitors_before_chat = models.BooleanField(
        _("show live visitors before they chat"),
        default=False,
        help_text=_(
            "The widget reports each visitor's page, time and cart so agents see them live and "
            "proactive invitations can fire. Off: nothing is sent until the visitor opens the chat."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.holiday_region and not self.holiday_country:
            raise ValidationError({"holiday_country": _("Choose the country of this region.")})
        if self.holiday_country:
            problem = holiday_calendar.problem_with(self.holiday_country, self.holiday_region)
            if problem:
                raise ValidationError({"holiday_region" if self.holiday_region else "holiday_country": problem})

    @property
    def origin_allow_list(self) -> set[Origin]:
        return {o for o in map(parse_configured_origin, self.allowed_origins.splitlines()) if o}

    def is_origin_allowed(self, origin: str | None) -> bool:
        """Exact (scheme, host, port) match against the allow-list; with no list configured, any
        well-formed origin. No Origin at all passes only without a list (not a browser's
        cross-site call); a malformed one (`null`, a path, userinfo, a bad port) never does."""
        allowed = self.origin_allow_list
        if not origin:
            return not allowed
        parsed = parse_origin(origin)
        return parsed is not None and (not allowed or parsed in allowed)
