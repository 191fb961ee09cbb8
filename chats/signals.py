"""What chats announces after a commit, for apps it must not import (core.signals.CommitSignal).

Receivers are called as `receiver(sender, **named)`; connect them in your app's receivers.py
from its AppConfig.ready()."""

from core.signals import CommitSignal

# A chat was closed: sender Conversation, `conversation_id`. Receivers: chats (pending
# transfers withdrawn, open calls ended), reports (post-chat report, automatic transcript).
conversation_closed = CommitSignal()

# A visitor asked for the chat's transcript by email (chats.transcript_requests checked and
# throttled it): sender Conversation, `conversation_id`, `address`. Receiver: reports.quality.
transcript_requested = CommitSignal()
