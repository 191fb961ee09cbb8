"""Writes of escalations and feedback: the agent's side (escalate, feedback) and the
client's side (acknowledge, answer). Emails leave only after commit (reports.tasks)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agency.models import Agent
from chats import errors, events
from chats.history import check_served_by, served_chat
from chats.models import Conversation
from chats.writer import post_system_message
from clients.models import Representative
from clients.pci import mask_card_numbers
from clients.text import checked_body
from reports import webhook_events
from reports.delivery import deliveries
from reports.escalations.serializers import ConsoleEscalationSerializer
from reports.models import (
    ClientReportSettings,
    DeliveryKind,
    Escalation,
    EscalationStatus,
    Feedback,
    FeedbackKind,
    Urgency,
)
from reports.selectors import visitor_contact


def check_text(value: str, *, field: str, required: bool = True) -> str:
    """A stripped message-like text (clients.text.checked_body: printable, CHAT_MAX_BODY_CHARS), required if
    asked, with card numbers masked (PCI DSS)."""
    value = mask_card_numbers(checked_body((value or "").strip(), field=field))[0]
    if required and not value:
        raise errors.InvalidInput(_("The %(field)s is required.") % {"field": field})
    return value


def check_escalation(*, client_id: int, category: str, urgency: str) -> None:
    if category not in ClientReportSettings.of(client_id).categories:
        raise errors.InvalidInput(_("“%(category)s” is not one of this client's categories.") % {"category": category})
    if urgency not in Urgency.values:
        raise errors.InvalidInput(_("The urgency is normal or urgent."))


def escalate_question(
    *,
    conversation_id: int,
    agent: Agent,
    question: str,
    category: str,
    urgency: str = Urgency.NORMAL,
    note: str = "",
    source_seq: int | None = None,
) -> Escalation:
    """Pass a visitor's question to the client and tell the visitor how they will hear back."""
    question = check_text(question, field=_("question"))
    note = check_text(note, field=_("note"), required=False)
    with transaction.atomic():
        conversation = open_conversation_to_escalate(conversation_id=conversation_id, agent=agent)
        check_escalation(client_id=conversation.client_id, category=category, urgency=urgency)
        if source_seq is not None and not 1 <= source_seq <= conversation.last_seq:
            raise errors.InvalidInput(_("There is no message %(seq)s in this conversation.") % {"seq": source_seq})
        escalation = Escalation.objects.create(
            conversation=conversation,
            client_id=conversation.client_id,
            agent=agent,
            question=question,
            source_seq=source_seq,
            category=category,
            urgency=urgency,
            note=note,
        )
        webhook_events.emit_escalation_created(escalation)
        with translation.override(conversation.language):
            post_system_message(conversation, visitor_notice(conversation))
    return escalation


def open_conversation_to_escalate(*, conversation_id: int, agent: Agent) -> Conversation:
    """The open chat this agent serves, locked (call inside a transaction)."""
    conversation = (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("client", "visitor")
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None:
        raise errors.NotFound()
    check_served_by(conversation, agent)
    if not conversation.is_open:
        raise errors.ConversationClosed()
    return conversation


def visitor_notice(conversation: Conversation) -> str:
    """What the visitor is told once their question is escalated (in the active language)."""
    company, email = conversation.client.name, visitor_contact(conversation)
    if email:
        return _("Your question has been passed to %(company)s. They will answer you by email at %(email)s.") % {
            "company": company,
            "email": email,
        }
    return _(
        "Your question has been passed to %(company)s. Please type your email address here so they can answer you."
    ) % {"company": company}


def record_feedback(*, conversation_id: int, agent: Agent, kind: str, text: str) -> Feedback:
    """Store what the visitor said about the client's business (praise, complaint, idea)."""
    text = check_text(text, field=_("text"))
    if kind not in FeedbackKind.values:
        raise errors.InvalidInput(_("The kind is praise, complaint or idea."))
    conversation = served_chat(agent=agent, conversation_id=conversation_id)
    return Feedback.objects.create(
        conversation=conversation, client_id=conversation.client_id, agent=agent, kind=kind, text=text
    )


def escalations_for_agent(*, conversation_id: int, agent: Agent) -> list[Escalation]:
    """The escalations of a conversation the agent serves or served, oldest first."""
    served_chat(agent=agent, conversation_id=conversation_id)
    return list(Escalation.objects.filter(conversation_id=conversation_id).order_by("created_at"))


def locked_escalation(*, escalation_id: int, representative: Representative) -> Escalation:
    """The escalation under a row lock, only if it belongs to the representative's client."""
    escalation = (
        Escalation.objects.select_for_update().filter(pk=escalation_id, client_id=representative.client_id).first()
    )
    if escalation is None:
        raise errors.NotFound()
    return escalation


def acknowledge_escalation(*, escalation_id: int, representative: Representative) -> Escalation:
    """Someone at the client has seen it: reminders stop. Idempotent; never undoes an answer."""
    with transaction.atomic():
        escalation = locked_escalation(escalation_id=escalation_id, representative=representative)
        if escalation.status == EscalationStatus.OPEN:
            escalation.status = EscalationStatus.ACKNOWLEDGED
            escalation.acknowledged_at = timezone.now()
            escalation.acknowledged_by = representative.user
            escalation.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
    return escalation


def answer_escalation(*, escalation_id: int, representative: Representative, answer: str) -> Escalation:
    """Store the client's answer and email it to the visitor on the client's behalf (after commit)."""
    answer = check_text(answer, field=_("answer"))
    with transaction.atomic():
        escalation = locked_escalation(escalation_id=escalation_id, representative=representative)
        if escalation.status == EscalationStatus.ANSWERED:
            raise errors.InvalidInput(_("This question has already been answered."))
        now = timezone.now()
        if escalation.acknowledged_at is None:
            escalation.acknowledged_at, escalation.acknowledged_by = now, representative.user
        escalation.status = EscalationStatus.ANSWERED
        escalation.answer, escalation.answered_at, escalation.answered_by = answer, now, representative.user
        escalation.save(
            update_fields=["status", "acknowledged_at", "acknowledged_by", "answer", "answered_at", "answered_by"]
        )
        conversation = Conversation.objects.select_related("visitor").get(pk=escalation.conversation_id)
        email = visitor_contact(conversation)
        if email:
            delivery = deliveries.queue_delivery(
                key=f"answer:{escalation.pk}",
                kind=DeliveryKind.ANSWER,
                client_id=escalation.client_id,
                address=email,
                language=conversation.language,
                escalation=escalation,
            )
            deliveries.send_on_commit([delivery.pk])
        announce_answer(escalation)
    return escalation


def announce_answer(escalation: Escalation) -> None:
    """After commit, the agent who escalated gets an `escalation_answered` frame on their console."""
    if escalation.agent_id is None:
        return
    frame = {
        "type": "escalation_answered",
        "conversation": escalation.conversation_id,
        "escalation": dict(ConsoleEscalationSerializer(escalation).data),
    }
    events.send_on_commit(
        events.agent_group(escalation.agent_id),
        {"type": "escalation.answered", "conversation": escalation.conversation_id, "frame": frame},
    )
