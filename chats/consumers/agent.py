"""`/ws/agent/`: an agent's console, carrying all of their conversations."""

from __future__ import annotations

from agency import sessions
from chats import agent_presence, errors, events, protocol, services
from chats.consumers.base import ChatSocket, database_sync_to_async, is_console_origin
from chats.models import SenderKind
from chats.teamwork.consumers import TeamworkAgentSocket
from core import log_context

CLOSED_STATUSES = {"closed", "missed"}


class AgentConsumer(sessions.LoginBoundSocket, TeamworkAgentSocket, ChatSocket):
    """`/ws/agent/`: an agent's console, carrying all of their conversations; it lives on its
    login and on the user staying an agent (agency.sessions)."""

    is_agent = True

    async def connect(self):
        self.cursors = {}
        self.watching: set[int] = set()  # chats taken over by a supervisor, shown read-only
        self.bucket = self.new_bucket()
        if not is_console_origin(self.scope):
            await self.refuse("origin")
            return
        self.agent = await database_sync_to_async(agent_presence.agent_for_user)(self.scope.get("user"))
        if self.agent is None:
            await self.refuse("auth")
            return
        log_context.bind(agent_id=self.agent.pk)
        self.agent_group = events.agent_group(self.agent.pk)
        await self.join(self.agent_group)
        await self.follow_login(self.agent.user_id)
        await self.accept()
        await self.send_frame({"type": "presence", "presence": self.agent.presence})
        for payload in await self.call_service(agent_presence.agent_came_online, agent_id=self.agent.pk):
            await self.track(payload)
        await self.send_transfer_offers()

    async def disconnect(self, code):
        for conversation_id in list(self.cursors):
            await self.leave(events.conversation_group(conversation_id))
        if hasattr(self, "agent_group"):
            await self.leave(self.agent_group)
        await self.stop_following_login()

    def may_keep_login(self, user) -> bool:
        return agent_presence.agent_for_user(user) is not None

    async def track(self, payload: dict) -> None:
        """Follow a conversation: join its group, announce it, send its whole history."""
        conversation_id = payload["id"]
        if conversation_id in self.cursors and conversation_id not in self.watching:
            return
        self.watching.discard(conversation_id)
        await self.join(events.conversation_group(conversation_id))
        self.cursors[conversation_id] = 0
        await self.send_frame({"type": "assigned", "conversation": payload})
        await self.deliver_after(conversation_id, 0)
        await self.send_open_call(conversation_id)

    async def untrack(self, conversation_id: int) -> None:
        self.watching.discard(conversation_id)
        if self.cursors.pop(conversation_id, None) is not None:
            await self.leave(events.conversation_group(conversation_id))

    def check_assigned(self, conversation_id: int | None) -> None:
        if conversation_id not in self.cursors:
            raise errors.Forbidden()

    async def frame_message(self, frame: protocol.ClientFrame) -> None:
        await self.post_message(
            frame,
            conversation_id=frame.conversation,
            sender=SenderKind.AGENT,
            agent=self.agent,
            internal=frame.internal,
        )

    async def frame_typing(self, frame: protocol.ClientFrame) -> None:
        self.check_assigned(frame.conversation)
        await self.ring(
            events.conversation_group(frame.conversation),
            {
                "type": "chat.typing",
                "conversation": frame.conversation,
                "sender": "agent",
            },
        )

    async def frame_resume(self, frame: protocol.ClientFrame) -> None:
        self.check_assigned(frame.conversation)
        await self.deliver_after(frame.conversation, frame.after)

    async def frame_close(self, frame: protocol.ClientFrame) -> None:
        await self.call_service(services.close_conversation, conversation_id=frame.conversation, agent=self.agent)

    async def frame_presence(self, frame: protocol.ClientFrame) -> None:
        await self.call_service(agent_presence.set_presence, agent=self.agent, presence=frame.presence)

    async def frame_ping(self, frame: protocol.ClientFrame) -> None:
        await self.heartbeat()

    async def heartbeat(self) -> None:
        """Refresh liveness and heal anything a lost doorbell left behind."""
        open_seqs = await database_sync_to_async(agent_presence.agent_heartbeat)(agent_id=self.agent.pk)
        await self.send_frame({"type": "pong"})
        for conversation_id in [c for c in self.cursors if c not in open_seqs and c not in self.watching]:
            await self.deliver_after(conversation_id, self.cursors[conversation_id])  # the closing line
            await self.untrack(conversation_id)
            await self.send_frame(protocol.status_frame(conversation_id=conversation_id, status="closed"))
        for conversation_id, last_seq in open_seqs.items():
            if conversation_id not in self.cursors:
                await self.chat_assigned({"conversation": conversation_id})
            elif last_seq > self.cursors[conversation_id]:
                await self.deliver_after(conversation_id, self.cursors[conversation_id])

    async def chat_assigned(self, event: dict) -> None:
        payloads = await database_sync_to_async(agent_presence.open_conversations_of)(
            agent_id=self.agent.pk,
            conversation_id=event["conversation"],
        )
        for payload in payloads:
            await self.track(payload)

    async def chat_status(self, event: dict) -> None:
        frame = event["frame"]
        if frame["status"] in CLOSED_STATUSES and event["conversation"] in self.cursors:
            # Deliver the closing system line before letting go of the conversation.
            await self.deliver_after(event["conversation"], self.cursors[event["conversation"]])
            await self.untrack(event["conversation"])
            await self.send_frame(frame)

    async def chat_typing(self, event: dict) -> None:
        if event["sender"] != "agent":
            await self.send_frame({"type": "typing", "conversation": event["conversation"], "sender": event["sender"]})

    async def chat_rating(self, event: dict) -> None:
        """The visitor rated a chat of ours (open or ended): the console shows it."""
        await self.send_frame(event["frame"])

    async def escalation_answered(self, event: dict) -> None:
        """The client answered a question this agent escalated (reports.escalations): the console shows it."""
        await self.send_frame(event["frame"])

    async def agent_presence(self, event: dict) -> None:
        self.agent.presence = event["presence"]
        await self.send_frame({"type": "presence", "presence": event["presence"]})
