"""Websocket URLs (public contract, docs/protocol.md)."""
from django.urls import path

from chats import consumers, floor

websocket_urlpatterns = [
    path("ws/chat/<int:conversation_id>/", consumers.VisitorConsumer.as_asgi()),
    path("ws/agent/", consumers.AgentConsumer.as_asgi()),
    path("ws/floor/", floor.FloorConsumer.as_asgi()),
]
