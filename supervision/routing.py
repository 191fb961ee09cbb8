"""The supervisors' floor socket (public contract, docs/protocol.md)."""

from channels.auth import AuthMiddlewareStack
from django.urls import path

from supervision.consumers import FloorConsumer

websocket_urlpatterns = [
    path("ws/floor/", AuthMiddlewareStack(FloorConsumer.as_asgi())),  # a supervisor's login
]
