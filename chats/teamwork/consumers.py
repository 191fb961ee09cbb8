"""The teamwork part of the agent's socket (mixed into chats.consumers.agent.AgentConsumer):
transfer frames, offers of pending transfers, and chats handed to someone else."""

from __future__ import annotations

from channels.db import DatabaseSyncToAsync
from django.utils.translation import gettext as _

from chats import errors, protocol
from chats.teamwork import transfers


def _optional_id(data: dict, name: str) -> int | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= protocol.MAX_NUMBER:
        raise errors.BadFrame(_("“%(field)s” must be an id.") % {"field": name})
    return value


def _note(data: dict) -> str:
    note = data.get("note", "")
    if not isinstance(note, str):
        raise errors.BadFrame(_("“note” must be text."))
    return note


class TeamworkAgentSocket:
    """Expects the AgentConsumer's `agent`, `cursors`, `watching`, `call_service`, `send_frame`,
    `deliver_after` and `untrack`."""

    async def frame_transfer(self, frame: protocol.ClientFrame) -> None:
        data = frame.fields or {}
        outcome = await self.call_service(
            transfers.transfer_conversation,
            conversation_id=frame.conversation,
            agent=self.agent,
            to_agent_id=_optional_id(data, "to_agent"),
            to_team_id=_optional_id(data, "to_team"),
            note=_note(data),
        )
        await self.send_frame(
            {
                "type": "transfer_result",
                "conversation": frame.conversation,
                "transfer": outcome.transfer_id,
                "status": outcome.status,
            }
        )

    async def frame_transfer_accept(self, frame: protocol.ClientFrame) -> None:
        await self.call_service(transfers.accept_transfer, conversation_id=frame.conversation, agent=self.agent)

    async def send_transfer_offers(self, conversation_id: int | None = None) -> None:
        offers = await DatabaseSyncToAsync(transfers.pending_offers_for, thread_sensitive=False)(
            agent_id=self.agent.pk, conversation_id=conversation_id
        )
        for frame in offers:
            await self.send_frame(frame)

    async def chat_transfer_offered(self, event: dict) -> None:
        await self.send_transfer_offers(event["conversation"])

    async def chat_transfer_withdrawn(self, event: dict) -> None:
        await self.send_frame({"type": "transfer_withdrawn", "conversation": event["conversation"]})

    async def chat_handed_over(self, event: dict) -> None:
        """Someone else is the chat's agent now: after a transfer the chat leaves this console;
        after a supervisor's take-over it stays, read-only, until it closes."""
        conversation_id = event["conversation"]
        if conversation_id in self.cursors:
            await self.deliver_after(conversation_id, self.cursors[conversation_id])
        if event["read_only"] and conversation_id in self.cursors:
            self.watching.add(conversation_id)
            await self.send_frame({"type": "taken_over", "conversation": conversation_id, "by": {"name": event["to"]}})
        else:
            await self.untrack(conversation_id)
            await self.send_frame({"type": "transferred", "conversation": conversation_id, "to": {"name": event["to"]}})
