"""What the widget asks before a chat starts: the client's pre-chat form."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from clients.models.client import Client


class FieldMode(models.TextChoices):
    HIDDEN = "hidden", _("Not asked")
    OPTIONAL = "optional", _("Optional")
    REQUIRED = "required", _("Required")


class PreChatForm(models.Model):
    """Which contact fields the widget asks before the first message, and the consent it shows.

    A client without one (or with every field hidden and no consent) starts chats at once."""

    client = models.OneToOneField(
        Client, on_delete=models.CASCADE, related_name="pre_chat_form", verbose_name=_("client")
    )
    name_field = models.CharField(_("name"), max_length=10, choices=FieldMode.choices, default=FieldMode.OPTIONAL)
    email_field = models.CharField(_("email"), max_length=10, choices=FieldMode.choices, default=FieldMode.HIDDEN)
    phone_field = models.CharField(_("phone"), max_length=10, choices=FieldMode.choices, default=FieldMode.HIDDEN)
    asks_consent = models.BooleanField(
        _("ask for consent"),
        default=False,
        help_text=_("The visitor must tick a box with the privacy text below before the chat starts."),
    )
    privacy_text = models.TextField(
        _("privacy text"),
        blank=True,
        max_length=1000,
        help_text=_("Shown beside the consent box, e.g. how the client uses the contact details."),
    )

    class Meta:
        verbose_name = _("pre-chat form")
        verbose_name_plural = _("pre-chat forms")

    def __str__(self) -> str:
        return str(self.client)

    def clean(self) -> None:
        if self.asks_consent and not self.privacy_text.strip():
            raise ValidationError({"privacy_text": _("Write the privacy text the visitor agrees to.")})

    def modes(self) -> dict[str, str]:
        return {"name": self.name_field, "email": self.email_field, "phone": self.phone_field}
