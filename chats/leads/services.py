"""Writes of leads: one function creates a lead (`create_lead`), the others say where it came from.

Every lead is checked the same way (clients.text refuses control characters, card numbers
are masked, an email must be one) and announced after commit (chats.leads.signals)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from chats.leads import signals
from chats.leads.models import Lead, LeadSource
from chats.models import Conversation, Message, SenderKind
from clients.models import Client, FieldMode, OfflineMessage, PreChatForm
from clients.models.webhooks import WebhookEventType
from clients.pci import mask_card_numbers
from clients.text import checked_body, checked_email, checked_name, checked_phone
from clients.webhooks import services as webhooks
from core.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Contact:
    """What a visitor (or the agent for them) gave: checked, masked, ready to store."""

    name: str = ""
    email: str = ""
    phone: str = ""
    has_consent: bool = False
    is_from_pre_chat_form: bool = False  # the client asked for it: a way to call back makes a lead


def checked_contact(*, name: str = "", email: str = "", phone: str = "", has_consent: bool = False) -> Contact:
    """Refuse control characters, a malformed email or phone, a card number where contact
    details go (raise InvalidInput / UnprintableText with a sentence the person can act on)."""
    name = checked_name(str(name), model=Lead)
    phone = checked_phone(str(phone), required=False)
    email = checked_email(str(email))
    return Contact(name=name, email=email, phone=phone, has_consent=has_consent is True)


def checked_message(message: str) -> str:
    """What a lead carries besides contact details: a few chat messages' worth (all the visitor typed)."""
    return mask_card_numbers(checked_body(str(message).strip(), limit=settings.CHAT_MAX_BODY_CHARS * 4))[0]


def privacy_text_of(client_id: int) -> str:
    return PreChatForm.objects.filter(client_id=client_id).values_list("privacy_text", flat=True).first() or ""


def create_lead(
    *,
    client: Client,
    source: str,
    contact: Contact,
    message: str = "",
    language: str = "",
    conversation: Conversation | None = None,
    offline_message: OfflineMessage | None = None,
) -> Lead:
    """Store a lead and announce it after commit (`signals.lead_created`: the representatives'
    email, webhooks' `lead.created`). `contact` comes from `checked_contact`; `message` is checked here."""
    if source not in LeadSource.values:
        raise ValueError(f"unknown lead source {source!r}")
    with transaction.atomic():
        lead = Lead.objects.create(
            client=client,
            source=source,
            conversation=conversation,
            offline_message=offline_message,
            name=contact.name,
            email=contact.email,
            phone=contact.phone,
            has_consent=contact.has_consent,
            consent_text=privacy_text_of(client.pk) if contact.has_consent else "",
            message=checked_message(message),
            language=language[:10],
        )
        signals.lead_created.send_on_commit(sender=Lead, lead_id=lead.pk)
        webhooks.emit_event(client.pk, WebhookEventType.LEAD_CREATED, partial(lead_event_data, lead))
    return lead


def lead_event_data(lead: Lead) -> dict:
    """webhooks' lead.created: every source (pre-chat form, lead card, offline form, missed chat)."""
    return {
        "lead": {
            "id": lead.pk,
            "source": lead.source,
            "conversation_id": lead.conversation_id,
            "name": lead.name,
            "email": lead.email,
            "phone": lead.phone,
            "has_consent": lead.has_consent,
            "message": lead.message,
            "language": lead.language,
            "created_at": lead.created_at,
        }
    }


def typed_by_visitor(conversation_id: int) -> str:
    """What the visitor wrote in the chat, oldest first (already checked and masked when posted)."""
    bodies = Message.objects.filter(conversation_id=conversation_id, sender=SenderKind.VISITOR).order_by("seq")
    return "\n".join(bodies.values_list("body", flat=True))[: settings.CHAT_MAX_BODY_CHARS * 4]


def complete_lead(lead: Lead, contact: Contact, *, message: str = "", only_blanks: bool = False) -> Lead:
    """Bring the lead up to date with what a later source says and add what it did not say; with
    `only_blanks`, details already there are kept (an older record must not undo a correction)."""
    changed = []
    for field in ("name", "email", "phone"):
        value = getattr(contact, field)
        if value and value != getattr(lead, field) and not (only_blanks and getattr(lead, field)):
            setattr(lead, field, value)
            changed.append(field)
    if contact.has_consent and not lead.has_consent:
        lead.has_consent, lead.consent_text = True, privacy_text_of(lead.client_id)
        changed += ["has_consent", "consent_text"]
    message = checked_message(message)
    if message and message not in lead.message:
        lead.message = f"{lead.message}\n{message}".strip()
        changed.append("message")
    if changed:
        lead.save(update_fields=[*changed, "updated_at"])
    return lead


def record_conversation_lead(
    *, conversation: Conversation, source: str, contact: Contact, message: str = "", only_blanks: bool = False
) -> tuple[Lead, bool]:
    """The conversation's lead, created (and announced) the first time, completed after that.
    Call with the conversation locked. Returns (lead, created)."""
    lead = Lead.objects.select_for_update().filter(conversation=conversation).first()
    if lead is not None:
        return complete_lead(lead, contact, message=message, only_blanks=only_blanks), False
    return create_lead(
        client=conversation.client,
        source=source,
        contact=contact,
        message=message,
        language=conversation.language,
        conversation=conversation,
    ), True


def record_lead_card(
    *, conversation_id: int, name: str = "", email: str = "", phone: str = "", has_consent: bool = False
) -> Lead:
    """The agent's lead card: what the visitor told them in the chat."""
    contact = checked_contact(name=name, email=email, phone=phone, has_consent=has_consent)
    if not (contact.name or contact.email or contact.phone):
        raise InvalidInput(_("Write at least a name, an email or a phone number."))
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().select_related("client").get(pk=conversation_id)
        lead, _created = record_conversation_lead(
            conversation=conversation, source=LeadSource.LEAD_CARD, contact=contact
        )
    return lead


def record_missed_chat_leads(conversations: list[Conversation]) -> None:
    """`record_missed_chat_lead` for many chats, asking it only about those in which the visitor
    wrote or that have a lead already (two queries for a batch of silent ones)."""
    ids = [conversation.pk for conversation in conversations]
    with_material = set(
        Message.objects.filter(conversation_id__in=ids, sender=SenderKind.VISITOR)
        .values_list("conversation_id", flat=True)
        .distinct()
    )
    with_material.update(Lead.objects.filter(conversation_id__in=ids).values_list("conversation_id", flat=True))
    for conversation in conversations:
        if conversation.pk in with_material:
            record_missed_chat_lead(conversation)


def record_missed_chat_lead(conversation: Conversation) -> Lead | None:
    """A missed chat in which the visitor wrote becomes a lead (never silence); inside the
    transaction that marks it missed. None when the visitor wrote nothing and left no contact."""
    typed = typed_by_visitor(conversation.pk)
    visitor = conversation.visitor
    contact = Contact(name=visitor.name, email=visitor.email)
    if not typed and not Lead.objects.filter(conversation=conversation).exists():
        return None
    lead, _created = record_conversation_lead(
        conversation=conversation, source=LeadSource.MISSED_CHAT, contact=contact, message=typed, only_blanks=True
    )
    return lead


def check_pre_chat(
    *, client: Client, name: str = "", email: str = "", phone: str = "", has_consent: bool = False
) -> Contact:
    """The pre-chat form's answers as the client configured them: required fields present,
    consent ticked when asked; fields it does not ask are dropped."""
    contact = checked_contact(name=name, email=email, phone=phone, has_consent=has_consent)
    form = PreChatForm.objects.filter(client=client).first()
    if form is None:  # no form: the widget's name and email go on the visitor as they always did
        return Contact(name=contact.name, email=contact.email)
    labels = {"name": pgettext("a person's name", "name"), "email": _("email"), "phone": _("phone")}
    kept = {}
    for field, mode in form.modes().items():
        value = getattr(contact, field)
        if mode == FieldMode.REQUIRED and not value:
            raise InvalidInput(_("Please fill in your %(field)s.") % {"field": labels[field]})
        kept[field] = value if mode != FieldMode.HIDDEN else ""
    if form.asks_consent and not contact.has_consent:
        raise InvalidInput(_("Please agree to the privacy terms to start the chat."))
    return Contact(**kept, has_consent=contact.has_consent and form.asks_consent, is_from_pre_chat_form=True)


def record_pre_chat_lead(*, conversation: Conversation, contact: Contact) -> Lead | None:
    """A pre-chat form that gave a way to call back (email or phone) makes the chat's lead."""
    if not contact.is_from_pre_chat_form or not (contact.email or contact.phone):
        return None
    lead, _created = record_conversation_lead(conversation=conversation, source=LeadSource.PRE_CHAT, contact=contact)
    return lead


def record_offline_form_lead(offline_message: OfflineMessage) -> Lead:
    """The offline form's message as a lead. Its email goes out as the offline message's
    (reports.delivery.leads), so this lead's signal receivers must not email it again."""
    contact = Contact(name=offline_message.name, email=offline_message.email, has_consent=True)
    return create_lead(
        client=offline_message.client,
        source=LeadSource.OFFLINE_FORM,
        contact=contact,
        message=offline_message.message,
        language=offline_message.language,
        offline_message=offline_message,
    )
