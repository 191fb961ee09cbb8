"""Writes of live visits: batches of visits, conversions, invitations and their answers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agency.models import Agent
from chats import assignment, errors
from chats import services as chat_services
from chats.models import Conversation
from chats.visits import rules
from chats.visits.live import LiveVisit
from chats.visits.mailbox import split_address
from chats.visits.models import Conversion, Invitation, InvitationAnswer, ProactiveRule, Visit
from chats.visits.protocol import invitation_frame
from clients.models import Client
from clients.pci import mask_card_numbers, mask_url
from clients.text import checked_email, checked_line, checked_name
from core import limits

SAVED_FIELDS = [
    "last_seen_at",
    "is_live",
    "channel_name",
    "page_url",
    "page_title",
    "referrer",
    "page_started_at",
    "pages_seen",
    "is_returning",
    "language",
    "cart_value",
    "cart_currency",
    "cart_items",
    "name",
    "email",
    "conversation",
]


def visit_socket_places(*, client_id: int, address: str) -> list[tuple[str, int]]:
    return [
        (f"visits:ip:{address}", settings.VISIT_MAX_SOCKETS_PER_IP),
        (f"visits:client:{client_id}", settings.VISIT_MAX_SOCKETS_PER_CLIENT),
    ]


def take_visit_socket_places(*, client_id: int, address: str) -> bool:
    """Count one more open visit socket of this address and of this client (core.limits, shared by
    every process); False, with nothing counted, when either is full."""
    taken = []
    for key, limit in visit_socket_places(client_id=client_id, address=address):
        if not limits.open_socket(key, limit=limit):
            for done in taken:
                limits.close_socket(done)
            return False
        taken.append(key)
    return True


def give_back_visit_socket_places(*, client_id: int, address: str) -> None:
    for key, _limit in visit_socket_places(client_id=client_id, address=address):
        limits.close_socket(key)


@dataclass(frozen=True, slots=True)
class OpenedVisit:
    visit: LiveVisit
    rules: list[rules.Rule]


def open_visit(*, client_id: int, key: uuid.UUID | None, channel_name: str, page: dict) -> OpenedVisit:
    """A page said hello: the visit of its key (a key is per client: another client's is another
    visit) or a new one, and the client's active rules. Reads only: the next batch writes the row."""
    now = timezone.now()
    stored = Visit.objects.filter(client_id=client_id, key=key).first() if key else None
    # A key not stored yet is still this tab's own (its first batch may not be written yet).
    visit = LiveVisit(
        client_id=client_id,
        key=key or uuid.uuid4(),
        channel_name=channel_name,
        started_at=stored.started_at if stored else now,
        last_seen_at=now,
        page_started_at=now,
    )
    if stored:
        for name in ("cart_value", "cart_currency", "cart_items", "name", "email", "conversation_id"):
            setattr(visit, name, getattr(stored, name))
        invitations = Invitation.objects.filter(visit=stored)
        visit.was_auto_invited = invitations.filter(agent__isnull=True).exists()
        last = invitations.order_by("-sent_at").values_list("sent_at", flat=True).first()
        visit.last_invited_at = last
    show_page(visit, page)
    active = ProactiveRule.objects.filter(client_id=client_id, is_active=True).order_by("pk")
    return OpenedVisit(visit=visit, rules=[rules.rule_of(rule) for rule in active])


def show_page(visit: LiveVisit, page: dict) -> None:
    visit.page_url = mask_url(page["url"])
    visit.page_title = mask_card_numbers(page["title"])[0]
    visit.referrer = mask_url(page["referrer"])
    visit.language = page["language"]
    visit.is_returning = page["returning"]
    visit.pages_seen = page["pages_seen"]
    visit.page_started_at = timezone.now()


def identify(visit: LiveVisit, *, name: str, email: str) -> None:
    """What `Relevo.identify` told: the only personal data a visit holds."""
    try:
        visit.name, visit.email = checked_name(name, model=Visit), checked_email(email)
    except errors.InvalidInput as error:
        raise errors.BadFrame(error.detail) from None  # the visit socket's word for a field it refuses


def save_visits(*, visits: list[LiveVisit]) -> None:
    """Upsert a batch of visits in one statement (keyed by client and key)."""
    now = timezone.now()
    rows = [
        Visit(
            client_id=v.client_id,
            key=v.key,
            started_at=v.started_at,
            last_seen_at=v.last_seen_at,
            is_live=v.is_live,
            channel_name=v.channel_name if v.is_live else "",
            page_url=v.page_url,
            page_title=v.page_title,
            referrer=v.referrer,
            page_started_at=v.page_started_at,
            pages_seen=v.pages_seen,
            is_returning=v.is_returning,
            language=v.language,
            cart_value=v.cart_value,
            cart_currency=v.cart_currency,
            cart_items=v.cart_items,
            name=v.name,
            email=v.email,
            conversation_id=v.conversation_id,
        )
        for v in visits
    ]
    existing = set(Client.objects.filter(pk__in={v.client_id for v in visits}).values_list("pk", flat=True))
    rows = [row for row in rows if row.client_id in existing]  # a client deleted meanwhile
    Visit.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["client", "key"], update_fields=SAVED_FIELDS, batch_size=250
    )
    for visit in visits:
        visit.written_at = now


def saved_visit(visit: LiveVisit) -> Visit:
    save_visits(visits=[visit])
    return Visit.objects.get(client_id=visit.client_id, key=visit.key)


def record_conversion(*, visit: LiveVisit, value: Decimal, currency: str) -> Conversion:
    """A sale on the site; it counts for chat when this visit chatted before it."""
    row = saved_visit(visit)
    return Conversion.objects.create(
        client_id=visit.client_id,
        visit=row,
        conversation_id=visit.conversation_id,
        value=value,
        currency=currency,
        at=timezone.now(),
    )


def link_chat(*, visit: LiveVisit, conversation_id: int, token: str) -> None:
    """The visitor started a chat from this page: the visit shows as chatting and later sales count for chat."""
    conversation = Conversation.objects.filter(pk=conversation_id, client_id=visit.client_id).first()
    if conversation is None or not conversation.token_matches(token):
        raise errors.Forbidden()
    visit.conversation_id = conversation.pk


def invite_automatically(*, visit: LiveVisit, rule_id: int) -> dict | None:
    """Send the rule's invitation if someone can answer now (coverage, a free agent); the frame, or None."""
    client = Client.objects.get(pk=visit.client_id)
    rule = ProactiveRule.objects.filter(pk=rule_id, client_id=client.pk, is_active=True).first()
    if rule is None or not assignment.can_answer_now(client):
        return None
    with transaction.atomic():
        invitation = Invitation.objects.create(
            client=client,
            visit=saved_visit(visit),
            rule=rule,
            text=rule.text_for(visit.language)[:500],
            sent_at=timezone.now(),
        )
    visit.was_auto_invited, visit.last_invited_at = True, invitation.sent_at
    return invitation_frame(invitation_id=invitation.pk, text=invitation.text, agent_name=None)


def invite_by_agent(*, agent: Agent, visit_key: uuid.UUID, text: str = "") -> Invitation:
    """An agent invites a live visitor of a client they serve; they must be online with a free slot."""
    fresh = timezone.now() - timedelta(seconds=settings.VISIT_STALE_SECONDS)
    visit = (
        Visit.objects.filter(key=visit_key, client__in=agent.clients.all(), is_live=True, last_seen_at__gte=fresh)
        .select_related("client")
        .first()
    )
    if visit is None:
        raise errors.NotFound()
    if not assignment.routable_agents(visit.client_id).filter(pk=agent.pk).exists():  # routing's rule
        raise errors.InvalidInput(_("Go online with a free chat slot to invite a visitor."))
    text = checked_line(text, field=_("invitation"))
    with translation.override(visit.language or None):
        text = text.strip()[:500] or _("Hello! I am %(name)s. Can I help you?") % {"name": agent.display_name}
    with transaction.atomic():
        invitation = Invitation.objects.create(
            client=visit.client, visit=visit, agent=agent, text=text, sent_at=timezone.now()
        )
        frame = invitation_frame(invitation_id=invitation.pk, text=text, agent_name=agent.display_name)
        channel = visit.channel_name
        transaction.on_commit(lambda: send_to_visit(channel, {"type": "visit.invitation", "frame": frame}), robust=True)
    return invitation


def send_to_visit(address: str, event: dict) -> None:
    """A doorbell to one visit socket (at most once: an invitation lost with its socket is not re-sent)."""
    layer = get_channel_layer()
    channel, socket_id = split_address(address)
    if channel and layer is not None:
        async_to_sync(layer.send)(channel, {**event, "socket": socket_id})


@dataclass(frozen=True, slots=True)
class AcceptedInvitation:
    conversation_id: int
    token: str
    status: str
    queue_position: int
    agent_name: str | None


def answer_invitation(
    *, visit: LiveVisit, invitation_id: int, accept: bool, address: str = ""
) -> AcceptedInvitation | None:
    """Record the visitor's answer; accepting opens a chat (the inviting agent's, else routed as usual),
    counted with the widget's new chats per address and per widget (RateLimited past them)."""
    if accept:
        chat_services.check_new_chat_floods(
            address=address, widget_key=Client.objects.values_list("widget_key", flat=True).get(pk=visit.client_id)
        )
    now = timezone.now()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(
                pk=invitation_id,
                visit__client_id=visit.client_id,
                visit__key=visit.key,
                answer=InvitationAnswer.PENDING,
            )
            .first()
        )
        if invitation is None:
            raise errors.NotFound()
        invitation.answer = InvitationAnswer.ACCEPTED if accept else InvitationAnswer.DECLINED
        invitation.answered_at = now
        accepted = open_invited_chat(invitation, visit) if accept else None
        invitation.conversation_id = accepted.conversation_id if accepted else None
        invitation.save(update_fields=["answer", "answered_at", "conversation"])
    if accepted:
        visit.conversation_id = accepted.conversation_id
    return accepted


def open_invited_chat(invitation: Invitation, visit: LiveVisit) -> AcceptedInvitation:
    agent = invitation.agent
    if agent is not None and agent.clients.filter(pk=visit.client_id).exists() and assignment.claim_slot_of(agent.pk):
        return chat_assigned_to(agent, visit)
    started = chat_services.start_conversation(
        client=invitation.client,
        name=visit.name,
        email=visit.email,
        page_url=visit.page_url,
        language=visit.language[:10],
    )
    if isinstance(started, chat_services.ClientOffline):
        raise errors.InvalidInput(_("Sorry, nobody can answer right now."))
    return AcceptedInvitation(
        conversation_id=started.conversation.pk,
        token=started.token,
        status=started.conversation.status,
        queue_position=started.queue_position,
        agent_name=None,
    )


def chat_assigned_to(agent: Agent, visit: LiveVisit) -> AcceptedInvitation:
    """A chat already given to `agent` (whose slot the caller claimed), inside the caller's transaction."""
    conversation, token = chat_services.create_conversation(
        client_id=visit.client_id,
        name=visit.name,
        email=visit.email,
        page_url=visit.page_url,
        language=visit.language[:10],
        now=timezone.now(),
        agent=agent,
    )
    assignment.join_chat(conversation, agent)
    return AcceptedInvitation(
        conversation_id=conversation.pk,
        token=token,
        status=conversation.status,
        queue_position=0,
        agent_name=agent.display_name,
    )


def delete_visits_seen_before(*, client_id: int, cutoff: datetime) -> int:
    """The client's retention: visits (with their invitations and conversions) last seen before `cutoff`."""
    expired = Visit.objects.filter(client_id=client_id, last_seen_at__lt=cutoff, is_live=False)
    count = expired.count()
    expired.delete()
    return count


def save_proactive_rules(*, client: Client, rules: list[ProactiveRule], deleted: list[ProactiveRule]) -> None:
    """An owner's edits of the client's rules (only the client's own rows, as the form gave them)."""
    with transaction.atomic():
        for rule in deleted:
            if rule.client_id == client.pk:
                rule.delete()
        for rule in rules:
            rule.client = client
            rule.full_clean()
            rule.save()


def set_visitor_tracking(*, client: Client, enabled: bool) -> None:
    """Whether the widget reports visitors before they chat (off: nothing until the chat is opened)."""
    Client.objects.filter(pk=client.pk).update(tracks_visitors_before_chat=enabled)


def delete_visits_of(*, client_id: int, email: str) -> int:
    """An erasure request: the client's visits that `Relevo.identify` tied to this email."""
    visits = Visit.objects.filter(client_id=client_id, email__iexact=email.strip())
    count = visits.count()
    visits.delete()
    return count
