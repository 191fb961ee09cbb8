"""The client's own people (representatives) and the leads visitors leave while it is closed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clients.models.client import Client


class RepresentativeRole(models.TextChoices):
    OWNER = "owner", _("Client owner")
    REPRESENTATIVE = "representative", _("Client representative")


class Representative(models.Model):
    """A user on the client's side; they belong to exactly one client."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="representative", verbose_name=_("user")
    )
    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="representatives", verbose_name=_("client")
    )
    role = models.CharField(
        _("role"), max_length=20, choices=RepresentativeRole.choices, default=RepresentativeRole.REPRESENTATIVE
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    subscribed_categories = models.JSONField(
        _("subscribed categories"),
        default=list,
        blank=True,
        help_text=_('Escalation categories this person is told about, e.g. ["complaint", "sales"].'),
    )
    receives_emails = models.BooleanField(_("receives emails"), default=True)

    class Meta:
        verbose_name = _("client representative")
        verbose_name_plural = _("client representatives")

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.client})"

    @property
    def is_owner(self) -> bool:
        return self.role == RepresentativeRole.OWNER


class OfflineMessage(models.Model):
    """A lead: a visitor wrote while nobody was covering the client."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="offline_messages", verbose_name=_("client")
    )
    name = models.CharField(_("name"), max_length=120, blank=True)
    email = models.EmailField(_("email"))
    message = models.TextField(_("message"))
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    is_handled = models.BooleanField(_("handled"), default=False)
    notified_at = models.DateTimeField(
        _("representatives notified"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the first representative's email about it was sent."),
    )
    is_undeliverable = models.BooleanField(
        _("undeliverable"),
        default=False,
        editable=False,
        help_text=_("No representative receives emails: the agency admins were told instead."),
    )

    class Meta:
        verbose_name = _("offline message")
        verbose_name_plural = _("offline messages")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} · {self.created_at:%Y-%m-%d %H:%M}" if self.created_at else self.email
