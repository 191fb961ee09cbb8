"""How reports.quality hears of chats' events (registered by reports.apps)."""
from reports.quality import services


def on_transcript_requested(conversation_id: int, address: str) -> None:
    """chats.transcript_requests hook, after the request commits."""
    services.queue_transcript(conversation_id, address)


def on_conversation_closed(conversation_id: int) -> None:
    services.on_conversation_closed(conversation_id)
