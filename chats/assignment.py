"""Routing: who takes a new chat, and the FIFO queue per client.

An agent's slot is claimed with one conditional UPDATE (`active_chats <
max_concurrent_chats`), so simultaneous assignments can never push an agent over
their limit, on any number of processes; a team limit is checked under the
team's row lock first (chats.team_limits). Only agents who speak the client's
required language are routed to, and nothing is routed while the client is not
covered (clients.coverage). Queued conversations are taken oldest first under a
row lock (SKIP LOCKED where the database has it), and only once their visitor's
socket has connected: a chat created but never opened (a ghost) takes no slot
and no place in line.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from agency.models import Agent, Presence
from chats import events, protocol, selectors, team_limits, waiting
from chats.models import VISITOR_CONNECTED, Conversation, ConversationStatus
from chats.writer import post_system_message
from clients import coverage
from clients.models import Client

JOINED = gettext_lazy("%(name)s joined the chat.")


def routable_agents(client_id: int, language: str = ""):
    """Agents serving the client now who have a free slot, least loaded first, ties to the
    one whose last assignment is oldest."""
    agents = selectors.serving_agents(client_id, language).filter(active_chats__lt=F("max_concurrent_chats"))
    return agents.order_by("active_chats", F("last_assigned_at").asc(nulls_first=True), "pk")


def claim_agent_slot(client_id: int, language: str = "", among: list[int] | None = None) -> Agent | None:
    """Take one chat slot of the best free agent (of `among`, when given) whose teams have room, or None.

    Call inside a transaction: the team locks are held until it commits.
    """
    agents = routable_agents(client_id, language)
    if among is not None:
        agents = agents.filter(pk__in=among)
    for agent in agents.select_related("user")[:20]:
        if claim_slot_of(agent.pk):
            return agent
    return None


def claim_slot_of(agent_id: int, *, only_online: bool = True) -> bool:
    """Take one chat slot of this agent if they and their teams have room (a conditional UPDATE
    after the team locks, so concurrent claims never exceed a limit). Call inside a transaction."""
    if not team_limits.lock_room_for_one_more(agent_id=agent_id):
        return False
    agents = Agent.objects.filter(pk=agent_id, active_chats__lt=F("max_concurrent_chats"))
    if only_online:
        agents = agents.filter(presence=Presence.ONLINE)
    return bool(agents.update(active_chats=F("active_chats") + 1, last_assigned_at=timezone.now()))


def join_chat(conversation: Conversation, agent: Agent, *, line: Promise = JOINED) -> None:
    """`agent`, whose slot the caller claimed, becomes the chat's agent (routed from the queue, an
    accepted invitation, a transfer, a take-over): the chat is theirs and active, the visitor gets
    `line` in the chat's language and the agent's name in a status frame, and the chat opens on the
    agent's console. The caller holds the conversation's row lock (or has just created the row).

    A chat leaving the queue is told first that it is active, then greeted; in a chat that was
    active already the line introduces the new agent before the status names them."""
    leaves_queue = conversation.status != ConversationStatus.ACTIVE
    changed = [] if conversation.agent_id == agent.pk else ["agent"]
    changed += ["status", "assigned_at"] if leaves_queue else []
    conversation.agent = agent
    if leaves_queue:
        conversation.status, conversation.assigned_at = ConversationStatus.ACTIVE, timezone.now()
    if changed:
        conversation.save(update_fields=changed)
    if leaves_queue:
        announce_agent(conversation, agent)
    with translation.override(conversation.language):
        post_system_message(conversation, str(line) % {"name": agent.display_name})
    if not leaves_queue:
        announce_agent(conversation, agent)
    events.announce_assigned(agent.pk, conversation.pk)


def announce_agent(conversation: Conversation, agent: Agent) -> None:
    """The chat's status frame, naming its agent, to its sockets (after commit)."""
    events.announce_status(
        conversation.pk,
        protocol.status_frame(
            conversation_id=conversation.pk, status=conversation.status, agent_name=agent.display_name
        ),
    )


def release_slot(agent_id: int) -> None:
    """Give back one chat slot of this agent (their chat closed or went to someone else); once
    committed, the queues of their clients are served. Call inside a transaction."""
    Agent.objects.filter(pk=agent_id).update(active_chats=Greatest(F("active_chats") - 1, 0))
    transaction.on_commit(lambda: drain_queues_for_agent(agent_id=agent_id))


def can_answer_now(client: Client) -> bool:
    """Would a chat of this client be answered at once: covered now and an agent free (the routing rules)."""
    return coverage.is_covered(client, timezone.now()) and routable_agents(client.pk, client.required_language).exists()


def waiting_in_line(client_id: int):
    """The client's queued chats whose visitor is there (has connected), in no order."""
    return Conversation.objects.filter(VISITOR_CONNECTED, client_id=client_id, status=ConversationStatus.QUEUED)


def _oldest_queued(client_id: int) -> Conversation | None:
    queued = waiting_in_line(client_id)
    lock = {"skip_locked": True} if connection.features.has_select_for_update_skip_locked else {}
    return queued.select_for_update(**lock).order_by("requested_at", "pk").first()


def assign_next_in_queue(*, client_id: int) -> Conversation | None:
    """Give the client's oldest queued conversation to a free agent, if there is one
    and the client is covered now."""
    client = Client.objects.filter(pk=client_id).first()
    if client is None or not coverage.is_covered(client, timezone.now()):
        return None
    with transaction.atomic():
        conversation = _oldest_queued(client_id)
        if conversation is None:
            return None
        agent = claim_agent_slot(client_id, client.required_language)
        if agent is None:
            return None
        join_chat(conversation, agent)
        transaction.on_commit(lambda: announce_queue_positions(client_id=client_id))
    return conversation


def drain_queue(*, client_id: int) -> int:
    """Assign queued conversations in order while agents have free slots."""
    assigned = 0
    while assign_next_in_queue(client_id=client_id) is not None:
        assigned += 1
    return assigned


def drain_queues_for_agent(*, agent_id: int) -> int:
    """An agent freed a slot or came online: serve the queues of their clients."""
    client_ids = Agent.clients.through.objects.filter(agent_id=agent_id).values_list("client_id", flat=True)
    return sum(drain_queue(client_id=client_id) for client_id in list(client_ids))


def queue_position(conversation: Conversation) -> int:
    """1 for the head of the client's queue; 0 when not queued. Only connected chats
    count; one not yet connected gets the place it takes when its socket comes."""
    if conversation.status != ConversationStatus.QUEUED:
        return 0
    ahead = (
        waiting_in_line(conversation.client_id)
        .filter(
            Q(requested_at__lt=conversation.requested_at)
            | Q(requested_at=conversation.requested_at, pk__lt=conversation.pk),
        )
        .count()
    )
    return ahead + 1


def has_anyone_behind(conversation: Conversation) -> bool:
    """Is a connected chat waiting behind this one (whose place it just took)?"""
    return (
        waiting_in_line(conversation.client_id)
        .filter(
            Q(requested_at__gt=conversation.requested_at)
            | Q(requested_at=conversation.requested_at, pk__gt=conversation.pk),
        )
        .exists()
    )


def announce_queue_positions(*, client_id: int) -> None:
    """Tell every queued visitor of the client their current place in line."""
    queued = (
        waiting_in_line(client_id)
        .order_by("requested_at", "pk")
        .values_list("pk", "visitor_connected_at", "requested_at")
    )
    figures = waiting.client_queue_figures(Client.objects.get(pk=client_id))
    for position, (conversation_id, connected_at, requested_at) in enumerate(queued, start=1):
        outlook = waiting.outlook(figures, position=position, waiting_since=connected_at or requested_at)
        events.send_now(
            events.conversation_group(conversation_id),
            {
                "type": "chat.status",
                "conversation": conversation_id,
                "frame": protocol.status_frame(
                    conversation_id=conversation_id, status="queued", queue_position=position, outlook=outlook
                ),
            },
        )
