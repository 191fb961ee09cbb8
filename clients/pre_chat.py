"""Writes of the pre-chat form and the queue's longest wait: one function for the admin and the portal."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from clients.models import Client, FieldMode, PreChatForm
from clients.text import checked_text
from core.errors import InvalidInput

MAX_QUEUE_WAIT_SECONDS = 3600


def save_pre_chat_form(
    *,
    client: Client,
    name_field: str,
    email_field: str,
    phone_field: str,
    asks_consent: bool,
    privacy_text: str,
    max_queue_wait_seconds: int,
) -> PreChatForm:
    """Store what the widget asks before a chat and how long a visitor waits before being offered a message."""
    for mode in (name_field, email_field, phone_field):
        if mode not in FieldMode.values:
            raise InvalidInput(_("Choose not asked, optional or required."))
    privacy_text = checked_text(privacy_text.strip(), field=_("privacy text"))
    if asks_consent and not privacy_text:
        raise InvalidInput(_("Write the privacy text the visitor agrees to."))
    if not 0 <= max_queue_wait_seconds <= MAX_QUEUE_WAIT_SECONDS:
        raise InvalidInput(
            _("The longest wait must be between 0 and %(max)s seconds.") % {"max": MAX_QUEUE_WAIT_SECONDS}
        )
    with transaction.atomic():
        form, _created = PreChatForm.objects.update_or_create(
            client=client,
            defaults={
                "name_field": name_field,
                "email_field": email_field,
                "phone_field": phone_field,
                "asks_consent": asks_consent,
                "privacy_text": privacy_text,
            },
        )
        Client.objects.filter(pk=client.pk).update(max_queue_wait_seconds=max_queue_wait_seconds)
        client.max_queue_wait_seconds = max_queue_wait_seconds
    return form
