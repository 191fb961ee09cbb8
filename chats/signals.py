"""What chats announces after a commit, for apps it must not import (core.signals.CommitSignal).

Receivers are called as `receiver(sender, **named)`; connect them in your app's receivers.py
from its AppConfig.ready()."""

from django.dispatch import Signal

from core.signals import CommitSignal

# A chat was closed: sender Conversation, `conversation_id`. Receivers: chats (pending
# transfers withdrawn, open calls ended), reports (post-chat report, automatic transcript).
conversation_closed = CommitSignal()

# A visitor asked for the chat's transcript by email (chats.transcript_requests checked and
# throttled it): sender Conversation, `conversation_id`, `address`. Receiver: quality.
transcript_requested = CommitSignal()

# Queued chats were marked missed, inside the transaction that marked them (receivers write in it
# too, so what they record commits or rolls back with the status): sender Conversation,
# `conversations` (the Conversation rows, visitor selected). Receiver: chats.leads (missed-chat leads).
conversations_missed = Signal()
