"""Reads of visits: the live list (agents: the clients they serve; supervisors: all) and engagement figures."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone

from chats.models import OPEN_STATUSES, Conversation
from chats.visits.models import Conversion, Invitation, InvitationAnswer, Visit
from clients.models import Client

MAX_LISTED = 300


def seconds_between(earlier: datetime | None, later: datetime) -> int | None:
    return None if earlier is None else max(0, int((later - earlier).total_seconds()))


def live_visitors(*, clients, now: datetime | None = None) -> list[dict]:
    """The live visits of `clients` (a queryset the tenant rule gave), longest on the site first."""
    now = now or timezone.now()
    fresh = now - timedelta(seconds=settings.VISIT_STALE_SECONDS)
    visits = list(
        Visit.objects.filter(client__in=clients, is_live=True, last_seen_at__gte=fresh)
        .select_related("client")
        .order_by("started_at", "pk")[:MAX_LISTED]
    )
    chatting = set(
        Conversation.objects.filter(
            pk__in=[v.conversation_id for v in visits if v.conversation_id], status__in=OPEN_STATUSES
        ).values_list("pk", flat=True)
    )
    invited_since = now - timedelta(seconds=settings.VISIT_INVITATION_COOLDOWN_SECONDS)
    invited = set(
        Invitation.objects.filter(
            visit__in=visits, answer=InvitationAnswer.PENDING, sent_at__gte=invited_since
        ).values_list("visit_id", flat=True)
    )
    return [
        visitor_row(
            v, "chatting" if v.conversation_id in chatting else "invited" if v.pk in invited else "browsing", now
        )
        for v in visits
    ]


def visitor_row(visit: Visit, state: str, now: datetime) -> dict:
    """One live visit as the agents' list shows it."""
    return {
        "visit": str(visit.key),
        "client": {"id": visit.client_id, "name": visit.client.name},
        "state": state,
        "page_url": visit.page_url,
        "page_title": visit.page_title,
        "referrer": visit.referrer,
        "seconds_on_page": seconds_between(visit.page_started_at, now),
        "seconds_on_site": seconds_between(visit.started_at, now),
        "pages_seen": visit.pages_seen,
        "is_returning": visit.is_returning,
        "language": visit.language,
        "cart": None
        if visit.cart_value is None
        else {"value": str(visit.cart_value), "currency": visit.cart_currency, "items": visit.cart_items},
        "name": visit.name,
        "email": visit.email,
    }


def engagement_summary(*, client: Client, start: datetime, end: datetime) -> dict:
    """Visitors, invitations sent and answered, chats, and what sold after a chat, in [start, end)."""
    visitors = Visit.objects.filter(client=client, started_at__gte=start, started_at__lt=end).count()
    invitations = Invitation.objects.filter(client=client, sent_at__gte=start, sent_at__lt=end).aggregate(
        sent=Count("pk"),
        automatic=Count("pk", filter=Q(agent__isnull=True)),
        accepted=Count("pk", filter=Q(answer=InvitationAnswer.ACCEPTED)),
        declined=Count("pk", filter=Q(answer=InvitationAnswer.DECLINED)),
    )
    chats = Conversation.objects.filter(client=client, requested_at__gte=start, requested_at__lt=end).count()
    conversions = Conversion.objects.filter(client=client, at__gte=start, at__lt=end)
    after_chat = conversions.filter(conversation__isnull=False)
    by_currency = after_chat.values("currency").annotate(value=Sum("value")).order_by("currency")
    return {
        "visitors": visitors,
        "invitations_sent": invitations["sent"],
        "automatic_invitations": invitations["automatic"],
        "invitations_accepted": invitations["accepted"],
        "invitations_declined": invitations["declined"],
        "chats": chats,
        "conversions": conversions.count(),
        "conversions_after_chat": after_chat.count(),
        "value_after_chat": [{"currency": row["currency"], "value": str(row["value"])} for row in by_currency],
    }
