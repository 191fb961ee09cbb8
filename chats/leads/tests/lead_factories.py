"""Clients with a pre-chat form, leads and the people around them, for the leads specs."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from clients.models import FieldMode, PreChatForm, Representative, RepresentativeRole


def make_pre_chat_form(
    client,
    *,
    name=FieldMode.OPTIONAL,
    email=FieldMode.REQUIRED,
    phone=FieldMode.OPTIONAL,
    consent_text: str = "We use your details only to answer you.",
) -> PreChatForm:
    return PreChatForm.objects.create(
        client=client,
        name_field=name,
        email_field=email,
        phone_field=phone,
        asks_consent=bool(consent_text),
        privacy_text=consent_text,
    )


def make_owner(username: str, client, *, receives_emails: bool = True) -> Representative:
    user = get_user_model().objects.create_user(username, email=f"{username}@example.com", password="pw")
    return Representative.objects.create(
        user=user, client=client, role=RepresentativeRole.OWNER, receives_emails=receives_emails
    )
