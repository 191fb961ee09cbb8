"""Reads of the reports domain: who receives what, transcript excerpts, the portal's lists."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet

from chats.models import Conversation, Message, SenderKind
from chats.transcript import visitor_visible_messages
from clients.models import Representative
from reports.models import Escalation, Report

EMAIL_IN_TEXT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def visitor_contact(conversation: Conversation) -> str:
    """The visitor's email: the one they gave at the start, else the last one they typed in the chat."""
    if conversation.visitor.email:
        return conversation.visitor.email
    bodies = (
        Message.objects.filter(conversation_id=conversation.pk, sender=SenderKind.VISITOR)
        .order_by("-seq").values_list("body", flat=True)[:50]
    )
    for body in bodies:
        found = EMAIL_IN_TEXT.findall(body)
        if found:
            return found[-1][:254]
    return ""


def recipients_for(*, client_id: int, category: str | None) -> list[Representative]:
    """Representatives who get emails about `category` (None: about anything, e.g. feedback).

    An empty subscription list means "every category".
    """
    representatives = (
        Representative.objects.select_related("user")
        .filter(client_id=client_id, receives_emails=True).exclude(user__email="").order_by("pk")
    )
    return [
        rep for rep in representatives
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
        by_conversation[conversation_id] = list(
            visitor_visible_messages(conversation_id)
        )
    result = []
    for escalation in escalations:
        messages = by_conversation.get(escalation.conversation_id, [])
        excerpt = [m for m in messages if abs(m.seq - (escalation.source_seq or 0)) <= around]
        result.append(EscalationWithExcerpt(escalation=escalation, excerpt=excerpt))
    return result


def visitor_history(visitor_email: str, client_id: int) -> list[Escalation]:
    """A returning visitor's earlier escalations at this client, with the answers they got."""
    if not visitor_email:
        return []
    return list(
        Escalation.objects.filter(client_id=client_id, conversation__visitor__email__iexact=visitor_email)
        .select_related("answered_by").order_by("-created_at")[:50]
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
        "conversation__visitor", "conversation__report", "agent__user")
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
            Q(question__icontains=filters.search) | Q(answer__icontains=filters.search)
            | Q(conversation__visitor__email__icontains=filters.search)
            | Q(conversation__visitor__name__icontains=filters.search)
            | Q(conversation__report__visitor_email__icontains=filters.search)
        )
    return escalations.order_by("-created_at")


def report_of_client(*, report_id: int, client_id: int) -> Report | None:
    return (
        Report.objects.filter(pk=report_id, client_id=client_id)
        .select_related("client", "conversation__agent__user", "conversation__visitor").first()
    )


def representative_for(user: AbstractBaseUser) -> Representative | None:
    if not user or not user.is_authenticated:
        return None
    return Representative.objects.select_related("client").filter(user=user).first()
