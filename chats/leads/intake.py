"""What a visitor gives before a chat and instead of waiting: the pre-chat form, and the
queue's "leave a message" (the chat becomes a lead carrying what they already typed)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from chats import errors, services
from chats.leads import services as lead_services
from chats.leads.models import Lead, LeadSource
from chats.models import Conversation, ConversationStatus
from clients import services as client_services
from clients.models import Client, OfflineMessage
from core.errors import InvalidInput


def start_conversation(
    *,
    client: Client,
    name: str = "",
    email: str = "",
    phone: str = "",
    has_consent: bool = False,
    page_url: str = "",
    language: str = "",
) -> services.StartedConversation | services.ClientOffline:
    """`chats.services.start_conversation` behind the client's pre-chat form: its required fields
    and consent are checked first, and an email or phone given makes the chat's lead at once."""
    contact = lead_services.check_pre_chat(client=client, name=name, email=email, phone=phone, has_consent=has_consent)
    with transaction.atomic():
        started = services.start_conversation(
            client=client, name=contact.name, email=contact.email, page_url=page_url, language=language
        )
        if isinstance(started, services.StartedConversation):
            lead_services.record_pre_chat_lead(conversation=started.conversation, contact=contact)
    return started


def leave_message_while_queued(
    *,
    client: Client,
    conversation_id: int,
    token: str,
    name: str = "",
    email: str = "",
    phone: str = "",
    message: str = "",
    has_consent: bool = False,
) -> Lead:
    """The visitor stops waiting: the chat is marked missed and its lead holds what they typed
    in the chat plus `message`. Raise Forbidden for a wrong token, ConversationClosed when an
    agent took the chat meanwhile (or it ended)."""
    contact = lead_services.checked_contact(name=name, email=email, phone=phone, has_consent=has_consent)
    if not (contact.email or contact.phone):
        raise InvalidInput(_("Enter your email address or phone number so we can answer you."))
    if not contact.has_consent:
        raise InvalidInput(_("Please agree that we store your message and contact details to answer you."))
    with transaction.atomic():
        conversation = locked_queued_conversation(client=client, conversation_id=conversation_id, token=token)
        lead, _created = lead_services.record_conversation_lead(
            conversation=conversation,
            source=LeadSource.QUEUE,
            contact=contact,
            message=lead_services.typed_by_visitor(conversation.pk),
        )
        lead_services.complete_lead(lead, contact, message=message)
        services.mark_missed(conversation_id=conversation.pk)
    return lead


def locked_queued_conversation(*, client: Client, conversation_id: int, token: str) -> Conversation:
    """The visitor's queued chat under its row lock; NotFound, Forbidden (a wrong token) or
    ConversationClosed (an agent took it, or it ended)."""
    conversation = (
        Conversation.objects.select_for_update()
        .select_related("client", "visitor")
        .filter(pk=conversation_id, client=client)
        .first()
    )
    if conversation is None:
        raise errors.NotFound()
    if not conversation.token_matches(token):
        raise errors.Forbidden()
    if conversation.status != ConversationStatus.QUEUED:
        raise errors.ConversationClosed(_("An agent has already joined this chat."))
    return conversation


def leave_offline_message(
    *, client: Client, name: str = "", email: str = "", message: str = "", consent: bool = False, language: str = ""
) -> OfflineMessage:
    """The offline form (clients.services.leave_offline_message, emailed as it always was) and its lead."""
    with transaction.atomic():
        offline_message = client_services.leave_offline_message(
            client=client, name=name, email=email, message=message, consent=consent, language=language
        )
        lead_services.record_offline_form_lead(offline_message)
    return offline_message
