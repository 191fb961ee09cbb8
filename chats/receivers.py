"""How chats reacts to its own announcements where the sender may not import the reactor
(chats.services cannot import chats.teamwork, chats.calls or chats.leads). Connected by ChatsConfig.ready()."""

from __future__ import annotations

from chats import signals
from chats.calls import services as calls
from chats.leads import services as leads
from chats.teamwork import transfers


def withdraw_transfers(sender, *, conversation_id: int, **kwargs) -> None:
    """A closed chat's pending transfer is withdrawn and its targets are told."""
    transfers.withdraw_transfers_of_closed(conversation_id)


def end_calls(sender, *, conversation_id: int, **kwargs) -> None:
    """A closed chat ends its call."""
    calls.end_open_calls(conversation_id)


def record_missed_chat_leads(sender, *, conversations: list, **kwargs) -> None:
    """A missed chat whose visitor left contact details (pre-chat form) becomes a lead, in the same commit."""
    leads.record_missed_chat_leads(conversations)


def connect() -> None:
    signals.conversation_closed.connect(withdraw_transfers, dispatch_uid="chats.withdraw_transfers")
    signals.conversation_closed.connect(end_calls, dispatch_uid="chats.end_calls")
    signals.conversations_missed.connect(record_missed_chat_leads, dispatch_uid="chats.record_missed_chat_leads")
