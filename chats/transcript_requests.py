"""A visitor asks for their chat's transcript by email (the widget's `transcript` frame).

Chats only checks and throttles the request; whoever sends the email (reports) receives
`chats.signals.transcript_requested` after the commit, with the conversation id and the address."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from chats import signals
from chats.models import Conversation
from clients.text import checked_email
from core import limits
from core.errors import InvalidInput, NotFound, RateLimited


def request_transcript(*, conversation_id: int, email: str = "") -> str:
    """Queue the transcript to `email` (or the visitor's known email); returns the address.

    At most TRANSCRIPT_EMAILS_PER_CONVERSATION_PER_HOUR per conversation (RateLimited)."""
    conversation = Conversation.objects.select_related("visitor").filter(pk=conversation_id).first()
    if conversation is None:
        raise NotFound()
    address = checked_email(email) if email.strip() else conversation.visitor.email
    if not address:
        raise InvalidInput(_("Enter the email address the transcript should go to."))
    retry_after = limits.hit(
        f"transcript:{conversation_id}", window_seconds=3600, limit=settings.TRANSCRIPT_EMAILS_PER_CONVERSATION_PER_HOUR
    )
    if retry_after:
        raise RateLimited(retry_after, _("You have asked for this transcript several times already. Try again later."))
    signals.transcript_requested.send_on_commit(sender=Conversation, conversation_id=conversation_id, address=address)
    return address
