"""Reads of the reports domain: who receives what, transcript excerpts, the portal's lists."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from chats.leads.models import Lead
from chats.models import Conversation, Message, SenderKind
from chats.transcript import visitor_visible_messages
from chats.visits.models import Visit
from clients.models import Representative
from clients.text import checked_email
from core.errors import InvalidInput
from reports.models import Delivery, DeliveryKind, Escalation, Report

EMAIL_IN_TEXT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def visitor_contact(conversation: Conversation) -> str:
    """The visitor's email: the one they gave at the start, else the last address they typed in the chat."""
    if conversation.visitor.email:
        return conversation.visitor.email
    bodies = (
        Message.objects.filter(conversation_id=conversation.pk, sender=SenderKind.VISITOR)
        .order_by("-seq")
        .values_list("body", flat=True)[:50]
    )
    for body in bodies:
        for typed in reversed(EMAIL_IN_TEXT.findall(body)):
            try:
                return checked_email(typed)
            except InvalidInput:
                continue  # looks like one but is not an address (clients.text's rule): never cut or guessed
    return ""


def recipients_for(*, client_id: int, category: str | None) -> list[Representative]:
    """Representatives who get emails about `category` (None: about anything, e.g. feedback).

    An empty subscription list means "every category".
    """
    representatives = (
        Representative.objects.select_related("user")
        .filter(client_id=client_id, receives_emails=True)
        .exclude(user__email="")
        .order_by("pk")
    )
    return [
        rep
        for rep in representatives
        if category is None or not rep.subscribed_categories or category in rep.subscribed_categories
    ]


@dataclass(frozen=True, slots=True)
class EscalationWithExcerpt:
    escalation: Escalation
    excerpt: list[Message]


def excerpts_of(escalations: list[Escalation]) -> list[EscalationWithExcerpt]:
    """Each escalation with the few messages around the one it came from (one query per conversation)."""
    around = settings.REPORT_EXCERPT_MESSAGES
    by_conversation: dict[int, list[Message]] = {}
    for conversation_id in {e.conversation_id for e in escalations if e.source_seq}:
        by_conversation[conversation_id] = list(visitor_visible_messages(conversation_id))
    result = []
    for escalation in escalations:
        messages = by_conversation.get(escalation.conversation_id, [])
        excerpt = [m for m in messages if abs(m.seq - (escalation.source_seq or 0)) <= around]
        result.append(EscalationWithExcerpt(escalation=escalation, excerpt=excerpt))
    return result


def normalised_email(value: str) -> str:
    """An email as it is compared: trimmed, in lower case."""
    return (value or "").strip().lower()


def visitor_emails(conversation: Conversation) -> set[str]:
    """Every email the visitor of this chat gave, from any source: the widget's pre-chat form (the
    visitor's own), a lead (pre-chat form, the queue's leave-a-message form, the agent's lead card),
    `Relevo.identify` on the visit that chatted, and the escalation contact (typed in the chat, or as
    the report kept it). Normalised."""
    emails = {conversation.visitor.email, visitor_contact(conversation)}
    emails.update(Lead.objects.filter(conversation_id=conversation.pk).values_list("email", flat=True))
    emails.update(Visit.objects.filter(conversation_id=conversation.pk).values_list("email", flat=True))
    emails.update(Report.objects.filter(conversation_id=conversation.pk).values_list("visitor_email", flat=True))
    return {normalised_email(email) for email in emails} - {""}


def escalations_with_visitor_emails(client_id: int, emails: Collection[str]) -> Q:
    """Escalations of the client whose chat gave one of `emails` (normalised) by any source of
    `visitor_emails`, or whose answer was sent to one: one subquery per source, whatever the number of
    emails (each compares `Lower(column) IN (…)`)."""
    emails = sorted(emails)

    def gave(model, column: str, **scope) -> QuerySet:
        return model.objects.filter(client_id=client_id, **scope).alias(given=Lower(column)).filter(given__in=emails)

    return (
        Q(conversation_id__in=gave(Conversation, "visitor__email").values("pk"))
        | Q(conversation_id__in=gave(Lead, "email").values("conversation_id"))
        | Q(conversation_id__in=gave(Visit, "email").values("conversation_id"))
        | Q(conversation_id__in=gave(Report, "visitor_email").values("conversation_id"))
        | Q(pk__in=gave(Delivery, "address", kind=DeliveryKind.ANSWER).values("escalation_id"))
    )


def visitor_history(conversation: Conversation) -> list[Escalation]:
    """ "This visitor asked before": the earlier escalations at this chat's client of a visitor who gave
    any of the same emails (by any source, either time), with the answers they got; this chat excluded."""
    emails = visitor_emails(conversation)
    if not emails:
        return []
    return list(
        Escalation.objects.filter(escalations_with_visitor_emails(conversation.client_id, emails))
        .filter(client_id=conversation.client_id)
        .exclude(conversation_id=conversation.pk)
        .select_related("answered_by")
        .order_by("-created_at")[:50]
    )


@dataclass(frozen=True, slots=True)
class EscalationFilters:
    status: str = ""
    category: str = ""
    urgency: str = ""
    since: date | None = None
    until: date | None = None
    search: str = ""


def escalations_of_client(client_id: int, filters: EscalationFilters) -> QuerySet[Escalation]:
    """The portal's list: one client's escalations, newest first, filtered and searched."""
    escalations = Escalation.objects.filter(client_id=client_id).select_related(
        "conversation__visitor", "conversation__report", "agent__user"
    )
    if filters.status:
        escalations = escalations.filter(status=filters.status)
    if filters.category:
        escalations = escalations.filter(category=filters.category)
    if filters.urgency:
        escalations = escalations.filter(urgency=filters.urgency)
    if filters.since:
        escalations = escalations.filter(created_at__date__gte=filters.since)
    if filters.until:
        escalations = escalations.filter(created_at__date__lte=filters.until)
    if filters.search:
        escalations = escalations.filter(
            Q(question__icontains=filters.search)
            | Q(answer__icontains=filters.search)
            | Q(conversation__visitor__email__icontains=filters.search)
            | Q(conversation__visitor__name__icontains=filters.search)
            | Q(conversation__report__visitor_email__icontains=filters.search)
        )
    return escalations.order_by("-created_at")


def report_of_client(*, report_id: int, client_id: int) -> Report | None:
    return (
        Report.objects.filter(pk=report_id, client_id=client_id)
        .select_related("client", "conversation__agent__user", "conversation__visitor")
        .first()
    )
