"""Client businesses whose website chats the agency answers."""
import secrets
import zoneinfo
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_widget_key() -> str:
    return secrets.token_urlsafe(18)


def validate_timezone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_("Unknown timezone “%(tz)s”."), params={"tz": value}) from None


def normalise_origin(origin: str) -> str:
    """`https://Shop.example:443/` → `https://shop.example` (scheme://host[:port])."""
    parts = urlsplit(origin.strip())
    if not parts.scheme or not parts.hostname:
        return ""
    default_port = {"http": 80, "https": 443}.get(parts.scheme)
    port = f":{parts.port}" if parts.port and parts.port != default_port else ""
    return f"{parts.scheme.lower()}://{parts.hostname.lower()}{port}"


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
    timezone = models.CharField(
        _("timezone"), max_length=64, default="Europe/Madrid", validators=[validate_timezone]
    )
    widget_key = models.CharField(
        _("widget key"), max_length=40, unique=True, default=new_widget_key, editable=False
    )
    allowed_origins = models.TextField(
        _("allowed website origins"),
        blank=True,
        validators=[validate_origins],
        help_text=_("One per line, e.g. https://shop.example. Empty allows any origin."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def origin_allow_list(self) -> set[str]:
        return {o for o in map(normalise_origin, self.allowed_origins.splitlines()) if o}

    def is_origin_allowed(self, origin: str | None) -> bool:
        """Exact match against the allow-list; with no list configured, any origin."""
        allowed = self.origin_allow_list
        if not allowed:
            return True
        return bool(origin) and normalise_origin(origin) in allowed
