"""Websocket URLs (public contract, docs/protocol.md)."""

from channels.auth import AuthMiddlewareStack
from django.urls import path, re_path, register_converter

from chats.consumers.agent import AgentConsumer
from chats.consumers.base import UnknownSocket
from chats.consumers.visitor import VisitorConsumer
from chats.visits.consumers import VisitConsumer


class ConversationIdConverter:
    """A conversation id as the database holds one (1 to 18 digits, within bigint); anything
    else (`-1`, `0`, 40 digits) falls through to the refusing route below."""

    regex = "[1-9][0-9]{0,17}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(ConversationIdConverter, "conversation_id")

# The visitor's sockets read no session (their token and the client's origins admit them),
# so only the agent's console goes through Channels' session and auth middleware: a
# visitor's every frame out was passing through its session wrapper for nothing.
websocket_urlpatterns = [
    path("ws/chat/<conversation_id:conversation_id>/", VisitorConsumer.as_asgi()),
    path("ws/agent/", AuthMiddlewareStack(AgentConsumer.as_asgi())),
    path("ws/visit/<str:widget_key>/", VisitConsumer.as_asgi()),
]

# Last in the wiring's list (agency/asgi.py), after every app's sockets: any other path is refused.
unknown_socket = re_path(r"", UnknownSocket.as_asgi())
