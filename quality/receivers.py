"""How quality hears of chats' events (chats.signals, sent after commit). Connected by
ReportsConfig.ready()."""

from __future__ import annotations

from chats import signals
from quality import services


def send_requested_transcript(sender, *, conversation_id: int, address: str, **kwargs) -> None:
    """A visitor asked for the transcript in the widget: queue the email."""
    services.queue_transcript(conversation_id, address)


def send_transcript_after_close(sender, *, conversation_id: int, **kwargs) -> None:
    """The automatic transcript after a close, when the client wants it and the visitor's email is known."""
    services.on_conversation_closed(conversation_id)


def connect() -> None:
    signals.transcript_requested.connect(send_requested_transcript, dispatch_uid="quality.send_requested_transcript")
    signals.conversation_closed.connect(send_transcript_after_close, dispatch_uid="quality.send_transcript_after_close")
