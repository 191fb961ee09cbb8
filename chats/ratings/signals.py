"""What ratings announce after a commit (core.signals.CommitSignal), for apps chats must not import."""

from core.signals import CommitSignal

# A visitor rated a chat: sender Rating, `rating_id`. The agent's `rating` frame and
# webhooks' `rating.created` go out from chats.ratings.services itself.
rating_created = CommitSignal()
