"""The chats app's admin: calls and callback requests (chats.calls.admin)."""
from chats.calls import admin  # noqa: F401 (registers the call log and callback requests)
