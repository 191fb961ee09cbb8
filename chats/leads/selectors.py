"""Reads of leads: the tenant rule applied, the filters every list shares, the widget's form."""

from __future__ import annotations

from django.db.models import QuerySet

from chats.leads.models import Lead
from clients.models import Client, FieldMode, PreChatForm
from clients.selectors import clients_visible_to


def leads_visible_to(user) -> QuerySet[Lead]:
    """The leads of the clients the user may see (clients.selectors), newest first."""
    return Lead.objects.filter(client__in=clients_visible_to(user).values("pk")).select_related("client")


def pre_chat_config(client: Client) -> dict | None:
    """The widget's pre-chat form: each field's mode and the consent's privacy text; None when it asks nothing."""
    form = PreChatForm.objects.filter(client=client).first()
    if form is None:
        return None
    fields = {name: mode for name, mode in form.modes().items() if mode != FieldMode.HIDDEN}
    if not fields and not form.asks_consent:
        return None
    return {"fields": fields, "consent": form.privacy_text if form.asks_consent else None}
