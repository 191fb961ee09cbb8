"""Ratings of chats by their visitors: the `rating` frame's service and its after-commit signal (signals.py)."""
