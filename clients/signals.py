"""What the clients domain announces after a commit (core.signals.CommitSignal), for apps it must not import."""

from core.signals import CommitSignal

# A visitor left a message outside coverage: sender OfflineMessage, `offline_message_id`.
# Receiver: reports delivers it (the representatives, or the agency's admins when nobody receives it).
offline_message_left = CommitSignal()
