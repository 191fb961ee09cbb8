"""What the leads announce after a commit (core.signals.CommitSignal), for apps chats must not import."""

from core.signals import CommitSignal

# A lead was stored (any source): sender Lead, `lead_id`. Receiver: reports emails the
# client's representatives (webhooks' `lead.created` is emitted by the service itself).
lead_created = CommitSignal()
