"""Personal data of visitors: export and erase on request, and delete what a client's retention expired.

Each operation writes one AuditEntry (who, what, when, counts), never the data itself.
It lives in reports, the top of the dependency order, because a visitor's data spans
chats (visitors, conversations, messages), reports (escalations, reports) and clients
(offline messages), leads. Deleting a conversation cascades to its messages, escalations,
feedback, report and deliveries.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from chats.calls.frames import call_payload
from chats.calls.models import Call, CallbackRequest
from chats.leads.models import Lead
from chats.models import OPEN_STATUSES, Conversation, Message, Visitor
from chats.protocol import iso
from chats.ratings.models import Rating
from chats.transcript import mask_stored_messages, visitor_visible
from chats.visits import services as visit_services
from clients.models import Client, OfflineMessage
from clients.pci import mask_card_numbers, mask_url
from quality.models import NpsSurvey
from reports.models import AuditAction, AuditEntry, Escalation, Feedback, Report


def email_fingerprint(email: str) -> str:
    """A keyed hash of the normalised address: the same visitor is recognisable in the audit log, the address is not."""
    return hmac.new(settings.SECRET_KEY.encode(), email.strip().lower().encode(), hashlib.sha256).hexdigest()


def visitors_of(*, client_id: int, email: str):
    return Visitor.objects.filter(client_id=client_id, email__iexact=email.strip())


def offline_messages_of(*, client_id: int, email: str):
    return OfflineMessage.objects.filter(client_id=client_id, email__iexact=email.strip())


def leads_of(*, client_id: int, email: str, visitors=()):
    """The client's leads with this email, or from these visitors' chats."""
    return Lead.objects.filter(
        Q(email__iexact=email.strip()) | Q(conversation__visitor__in=visitors), client_id=client_id
    )


def quality_of(conversation: Conversation) -> dict:
    """The visitor's rating of the chat and their NPS survey answer, if any (issue 13)."""
    rating = Rating.objects.filter(conversation_id=conversation.pk).first()
    survey = NpsSurvey.objects.filter(conversation_id=conversation.pk).first()
    return {
        "rating": rating
        and {"score": rating.score, "scale": rating.scale, "comment": rating.comment, "at": iso(rating.created_at)},
        "nps_survey": survey
        and {
            "email": survey.email,
            "sent_at": iso(survey.created_at),
            "score": survey.score,
            "comment": survey.comment,
            "answered_at": iso(survey.answered_at),
        },
    }


def export_visitor_data(*, client_id: int, email: str, requested_by: str = "") -> dict:
    """Everything one client holds about the visitor with this email, as JSON-able data (GDPR art. 15/20)."""
    visitors = list(visitors_of(client_id=client_id, email=email))
    conversations = list(Conversation.objects.filter(visitor__in=visitors).order_by("requested_at"))
    data = {
        "client": Client.objects.filter(pk=client_id).values_list("slug", flat=True).first(),
        "email": email.strip(),
        "exported_at": iso(timezone.now()),
        "visitors": [{"id": v.pk, "name": v.name, "email": v.email, "created_at": iso(v.created_at)} for v in visitors],
        "conversations": conversation_exports(conversations),
        "escalations": escalation_exports(conversations),
        "offline_messages": [
            {"id": o.pk, "name": o.name, "email": o.email, "message": o.message, "created_at": iso(o.created_at)}
            for o in offline_messages_of(client_id=client_id, email=email).order_by("created_at")
        ],
        "leads": lead_exports(leads_of(client_id=client_id, email=email, visitors=visitors)),
        "calls": [
            call_payload(call) | {"conversation": call.conversation_id}
            for call in Call.objects.filter(conversation__in=conversations).order_by("offered_at")
        ],
        "callback_requests": callback_exports(conversations),
    }
    audit(
        AuditAction.EXPORT,
        client_id=client_id,
        email=email,
        requested_by=requested_by,
        counts={
            key: len(data[key]) for key in ("visitors", "conversations", "escalations", "offline_messages", "leads")
        },
    )
    return data


def conversation_exports(conversations: list[Conversation]) -> list[dict]:
    """Each chat with the messages the visitor saw, its rating and NPS answer."""
    messages_by_conversation: dict[int, list[dict]] = {}
    # Internal notes are the agency's, not the visitor's data: never exported to them.
    visible = visitor_visible(Message.objects.filter(conversation__in=conversations))
    for message in visible.order_by("conversation_id", "seq"):
        messages_by_conversation.setdefault(message.conversation_id, []).append(
            {"seq": message.seq, "sender": message.sender, "body": message.body, "at": iso(message.created_at)}
        )
    return [
        {
            "id": c.pk,
            "visitor": c.visitor_id,
            "status": c.status,
            "page_url": c.page_url,
            "language": c.language,
            "requested_at": iso(c.requested_at),
            "closed_at": iso(c.closed_at),
            "messages": messages_by_conversation.get(c.pk, []),
            **quality_of(c),
        }
        for c in conversations
    ]


def escalation_exports(conversations: list[Conversation]) -> list[dict]:
    return [
        {
            "id": e.pk,
            "conversation": e.conversation_id,
            "question": e.question,
            "category": e.category,
            "status": e.status,
            "answer": e.answer,
            "created_at": iso(e.created_at),
            "answered_at": iso(e.answered_at),
        }
        for e in Escalation.objects.filter(conversation__in=conversations).order_by("created_at")
    ]


def lead_exports(leads) -> list[dict]:
    return [
        {
            "id": lead.pk,
            "source": lead.source,
            "name": lead.name,
            "email": lead.email,
            "phone": lead.phone,
            "has_consent": lead.has_consent,
            "message": lead.message,
            "created_at": iso(lead.created_at),
        }
        for lead in leads.order_by("created_at")
    ]


def callback_exports(conversations: list[Conversation]) -> list[dict]:
    return [
        {
            "id": r.pk,
            "conversation": r.conversation_id,
            "phone": r.phone,
            "preferred_at": iso(r.preferred_at),
            "status": r.status,
            "created_at": iso(r.created_at),
        }
        for r in CallbackRequest.objects.filter(conversation__in=conversations).order_by("created_at")
    ]


def erase_visitor_data(*, client_id: int, email: str, requested_by: str) -> dict[str, int]:
    """Delete everything one client holds about the visitor with this email (GDPR art. 17); returns counts.

    Another client's visitor with the same email is a different person to us and is left alone."""
    with transaction.atomic():
        visitors = visitors_of(client_id=client_id, email=email)
        conversations = Conversation.objects.filter(visitor__in=visitors)
        counts = count_conversation_data(conversations)
        counts["visitors"] = visitors.count()
        counts["offline_messages"] = offline_messages_of(client_id=client_id, email=email).count()
        leads = leads_of(client_id=client_id, email=email, visitors=visitors)
        counts["leads"] = leads.count()
        leads.delete()
        conversations.delete()
        visitors.delete()
        offline_messages_of(client_id=client_id, email=email).delete()
        counts["visits"] = visit_services.delete_visits_of(client_id=client_id, email=email)
        # Reports copy the visitor's contact; those of their conversations went with them.
        Report.objects.filter(client_id=client_id, visitor_email__iexact=email.strip()).update(
            visitor_email="", visitor_name=""
        )
        audit(AuditAction.ERASE, client_id=client_id, email=email, requested_by=requested_by, counts=counts)
    return counts


def count_conversation_data(conversations) -> dict[str, int]:
    return {
        "conversations": conversations.count(),
        "messages": Message.objects.filter(conversation__in=conversations).count(),
        "escalations": Escalation.objects.filter(conversation__in=conversations).count(),
        "feedback": Feedback.objects.filter(conversation__in=conversations).count(),
        "reports": Report.objects.filter(conversation__in=conversations).count(),
        "callback_requests": CallbackRequest.objects.filter(conversation__in=conversations).count(),
    }


def delete_expired_data(*, now=None) -> dict[int, dict[str, int]]:
    """Per client with a retention period: delete ended conversations and offline messages older than it."""
    now = now or timezone.now()
    deleted = {}
    for client_id, days in Client.objects.filter(retention_days__isnull=False).values_list("pk", "retention_days"):
        counts = delete_expired_data_of_client(client_id=client_id, cutoff=now - timedelta(days=days))
        if any(counts.values()):
            deleted[client_id] = counts
    return deleted


def delete_expired_data_of_client(*, client_id: int, cutoff) -> dict[str, int]:
    with transaction.atomic():
        conversations = (
            Conversation.objects.filter(client_id=client_id, requested_at__lt=cutoff)
            .exclude(status__in=OPEN_STATUSES)
            .filter(Q(closed_at__isnull=True) | Q(closed_at__lt=cutoff))
        )
        counts = count_conversation_data(conversations)
        offline_messages = OfflineMessage.objects.filter(client_id=client_id, created_at__lt=cutoff)
        counts["offline_messages"] = offline_messages.count()
        leads = Lead.objects.filter(client_id=client_id, created_at__lt=cutoff)
        counts["leads"] = leads.count()
        leads.delete()
        conversations.delete()
        offline_messages.delete()
        orphans = Visitor.objects.filter(client_id=client_id, created_at__lt=cutoff, conversations__isnull=True)
        counts["visitors"] = orphans.count()
        orphans.delete()
        counts["visits"] = visit_services.delete_visits_seen_before(client_id=client_id, cutoff=cutoff)
        if any(counts.values()):
            audit(AuditAction.RETENTION, client_id=client_id, email="", requested_by="retention", counts=counts)
    return counts


def audit(action: str, *, client_id: int, email: str, requested_by: str, counts: dict) -> AuditEntry:
    return AuditEntry.objects.create(
        action=action,
        client_id=client_id,
        subject_hash=email_fingerprint(email) if email else "",
        requested_by=requested_by[:200],
        counts=counts,
    )


# Every stored field a visitor, an agent or a client's representative writes freely (and messages).
TEXT_WRITTEN_BY_PEOPLE = [
    (Visitor, ["name"]),
    (Conversation, ["page_url"]),
    (OfflineMessage, ["name", "message"]),
    (Escalation, ["question", "note", "answer"]),
    (Feedback, ["text"]),
    (Report, ["visitor_name"]),
    (Lead, ["name", "message"]),
]


def mask_stored_card_numbers(*, batch_size: int = 1000) -> dict[str, int]:
    """Mask card numbers in text stored before the masking rule last grew (PCI DSS 3.5.1), batch by
    batch; returns the rows rewritten per model. Safe to run again: masked text stays as it is.
    Messages are read a conversation at a time, in order, as they were posted: a card number
    typed over several and a security code sent after one are masked too."""
    rewritten = {Message._meta.label: 0}
    last_pk = 0
    while conversations := list(
        Conversation.objects.filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:batch_size]
    ):
        rewritten[Message._meta.label] += sum(mask_stored_messages(pk) for pk in conversations)
        last_pk = conversations[-1]
    for model, fields in TEXT_WRITTEN_BY_PEOPLE:
        count, last_pk = 0, 0
        while rows := list(model.objects.filter(pk__gt=last_pk).order_by("pk").values_list("pk", *fields)[:batch_size]):
            for pk, *values in rows:
                masked = {
                    field: mask_url(value) if field == "page_url" else mask_card_numbers(value)[0]
                    for field, value in zip(fields, values, strict=True)
                }
                if list(masked.values()) != values:
                    model.objects.filter(pk=pk).update(**masked)
                    count += 1
            last_pk = rows[-1][0]
        rewritten[model._meta.label] = count
    return rewritten
