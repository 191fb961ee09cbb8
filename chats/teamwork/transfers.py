"""Handing a chat to a colleague (transfer) or to a supervisor (take-over).

The conversation row is locked first, then the target's slot is claimed with
chats.assignment's conditional UPDATE (after the team locks), so two transfers
to one agent with a single free slot never exceed the limit: the second waits
as a pending transfer until a target accepts it with a free slot.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agency.models import Agent, Team
from chats import assignment, errors, events, protocol, selectors
from chats.agent_presence import conversation_payload
from chats.models import Conversation, ConversationStatus, SenderKind
from chats.services import locked_conversation
from chats.teamwork.errors import NoFreeSlot, NoOneToTransferTo
from chats.teamwork.models import Transfer, TransferStatus
from chats.writer import MessageRequest, check_body, write_message
from clients.pci import mask_card_numbers

NOW_CHATTING = gettext_lazy("You are now chatting with %(name)s.")


@dataclass(frozen=True, slots=True)
class TransferOutcome:
    transfer_id: int
    status: str  # "accepted" (done) or "pending" (waiting for a target with a free slot)


def transfer_conversation(
    *, conversation_id: int, agent: Agent, to_agent_id: int | None = None, to_team_id: int | None = None, note: str = ""
) -> TransferOutcome:
    """Give the agent's active chat to another agent who serves its client, or to a team's member
    (serving the client, speaking its language); pending when no target has a free slot now."""
    note = mask_card_numbers(check_body(note))[0] if note.strip() else ""
    with transaction.atomic():
        conversation = locked_conversation(conversation_id)
        if conversation.agent_id != agent.pk:
            raise errors.Forbidden()
        if conversation.status != ConversationStatus.ACTIVE:
            raise errors.ConversationClosed()
        candidates = target_candidates(conversation, exclude=agent.pk, to_agent_id=to_agent_id, to_team_id=to_team_id)
        _withdraw_pending(conversation.pk)
        transfer = Transfer.objects.create(
            conversation=conversation, from_agent=agent, to_agent_id=to_agent_id, to_team_id=to_team_id, note=note
        )
        language = conversation.client.required_language if to_team_id else ""
        target = assignment.claim_agent_slot(conversation.client_id, language, among=candidates)
        if target is None:
            for candidate in candidates:
                events.send_on_commit(
                    events.agent_group(candidate),
                    {"type": "chat.transfer_offered", "conversation": conversation.pk, "transfer": transfer.pk},
                )
            return TransferOutcome(transfer_id=transfer.pk, status=TransferStatus.PENDING)
        hand_over(conversation, to_agent=target, transfer=transfer)
    return TransferOutcome(transfer_id=transfer.pk, status=TransferStatus.ACCEPTED)


def target_candidates(
    conversation: Conversation, *, exclude: int, to_agent_id: int | None, to_team_id: int | None
) -> list[int]:
    """Ids of the agents who may receive the chat: they serve its client (a team's members also
    speak its language); refuse a target who does not."""
    if (to_agent_id is None) == (to_team_id is None):
        raise errors.BadFrame(_("Name either “to_agent” or “to_team”."))
    serving = Agent.objects.filter(clients=conversation.client_id).exclude(pk=exclude)
    if to_agent_id is not None:
        candidates = list(serving.filter(pk=to_agent_id).values_list("pk", flat=True))
        if not candidates:
            raise errors.Forbidden(_("That agent does not serve this client."))
        return candidates
    if not Team.objects.filter(pk=to_team_id).exists():
        raise errors.NotFound(_("No such team."))
    members = serving.filter(teams=to_team_id)
    if conversation.client.required_language:
        members = selectors.speaking(members, conversation.client.required_language)
    candidates = list(members.values_list("pk", flat=True).distinct())
    if not candidates:
        raise NoOneToTransferTo()
    return candidates


def agents_serving(client_id: int, *, exclude: int):
    """The agents a chat of this client may be transferred to, by name."""
    return (
        Agent.objects.filter(clients=client_id)
        .exclude(pk=exclude)
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )


def accept_transfer(*, conversation_id: int, agent: Agent) -> None:
    """A target of the chat's pending transfer takes it, if they have a free slot now."""
    with transaction.atomic():
        conversation = locked_conversation(conversation_id)
        transfer = (
            Transfer.objects.select_for_update()
            .filter(conversation=conversation, status=TransferStatus.PENDING)
            .first()
        )
        if transfer is None or not _is_target(transfer, conversation, agent):
            raise errors.Forbidden(_("No transfer of this chat is waiting for you."))
        if conversation.status != ConversationStatus.ACTIVE:
            _withdraw_pending(conversation.pk)
            raise errors.ConversationClosed()
        if not assignment.claim_slot_of(agent.pk, only_online=False):
            raise NoFreeSlot()
        hand_over(conversation, to_agent=agent, transfer=transfer)


def _is_target(transfer: Transfer, conversation: Conversation, agent: Agent) -> bool:
    if agent.pk == conversation.agent_id or not agent.clients.filter(pk=conversation.client_id).exists():
        return False
    if transfer.to_agent_id is not None:
        return transfer.to_agent_id == agent.pk
    return agent.teams.filter(pk=transfer.to_team_id).exists()


def take_over_conversation(*, conversation_id: int, agent: Agent) -> None:
    """A supervisor (with an agent profile) becomes the chat's agent; the previous agent
    keeps it on screen, read-only. The supervisor's own limits apply."""
    with transaction.atomic():
        conversation = locked_conversation(conversation_id)
        if conversation.status != ConversationStatus.ACTIVE:
            raise errors.ConversationClosed()
        if conversation.agent_id == agent.pk:
            return
        if not assignment.claim_slot_of(agent.pk, only_online=False):
            raise NoFreeSlot()
        _withdraw_pending(conversation.pk)
        hand_over(conversation, to_agent=agent, transfer=None, read_only_for_previous=True)


def hand_over(
    conversation: Conversation, *, to_agent: Agent, transfer: Transfer | None, read_only_for_previous: bool = False
) -> None:
    """Move the chat to `to_agent`, whose slot is already claimed; the caller holds the row lock.

    The note is stored as an internal note, the visitor gets a line in their language
    and the new agent's name in a status frame; the previous agent's slot is freed."""
    previous_id = conversation.agent_id
    if previous_id:
        assignment.release_slot(previous_id)
    if transfer is not None:
        transfer.status, transfer.accepted_by, transfer.decided_at = TransferStatus.ACCEPTED, to_agent, timezone.now()
        transfer.save(update_fields=["status", "accepted_by", "decided_at"])
        if transfer.note:
            write_message(
                MessageRequest(
                    conversation_id=conversation.pk,
                    sender=SenderKind.AGENT,
                    body=transfer.note,
                    internal=True,
                    author=transfer.from_agent.user if transfer.from_agent else None,
                ),
                locked=conversation,
            )
        _tell_candidates_withdrawn(transfer, conversation.pk, except_agent=to_agent.pk)
    assignment.join_chat(conversation, to_agent, line=NOW_CHATTING)
    if previous_id:
        events.send_on_commit(
            events.agent_group(previous_id),
            {
                "type": "chat.handed_over",
                "conversation": conversation.pk,
                "to": to_agent.display_name,
                "read_only": read_only_for_previous,
            },
        )


def withdraw_transfers_of_closed(conversation_id: int) -> None:
    """After a chat closes: its pending transfer is cancelled and its targets are told."""
    with transaction.atomic():
        _withdraw_pending(conversation_id)


def _withdraw_pending(conversation_id: int) -> None:
    """A new transfer, a take-over or a closed chat replaces the one waiting."""
    for transfer in Transfer.objects.filter(conversation_id=conversation_id, status=TransferStatus.PENDING):
        transfer.status, transfer.decided_at = TransferStatus.CANCELLED, timezone.now()
        transfer.save(update_fields=["status", "decided_at"])
        _tell_candidates_withdrawn(transfer, conversation_id)


def _tell_candidates_withdrawn(transfer: Transfer, conversation_id: int, except_agent: int | None = None) -> None:
    targets = (
        [transfer.to_agent_id]
        if transfer.to_agent_id
        else list(Agent.objects.filter(teams=transfer.to_team_id).values_list("pk", flat=True))
    )
    for agent_id in targets:
        if agent_id != except_agent:
            events.send_on_commit(
                events.agent_group(agent_id), {"type": "chat.transfer_withdrawn", "conversation": conversation_id}
            )


def pending_offers_for(*, agent_id: int, conversation_id: int | None = None) -> list[dict]:
    """The `transfer_offered` frames of the transfers waiting for this agent (on connect, or one)."""
    agent = Agent.objects.get(pk=agent_id)
    served = agent.clients.values("pk")
    pending = (
        Transfer.objects.filter(
            status=TransferStatus.PENDING,
            conversation__client__in=served,
            conversation__status=ConversationStatus.ACTIVE,
        )
        .filter(Q(to_agent=agent) | Q(to_team__in=agent.teams.values("pk")))
        .exclude(conversation__agent_id=agent_id)
        .select_related("conversation__client", "conversation__visitor", "from_agent__user", "to_team")
    )
    if conversation_id is not None:
        pending = pending.filter(conversation_id=conversation_id)
    return [offered_frame(transfer) for transfer in pending.order_by("created_at")]


def offered_frame(transfer: Transfer) -> dict:
    return {
        "type": "transfer_offered",
        "conversation": conversation_payload(transfer.conversation),
        "transfer": {
            "id": transfer.pk,
            "from": {"name": transfer.from_agent.display_name} if transfer.from_agent else None,
            "to_team": {"id": transfer.to_team_id, "name": transfer.to_team.name} if transfer.to_team else None,
            "note": transfer.note,
            "at": protocol.iso(transfer.created_at),
        },
    }
