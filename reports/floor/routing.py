"""The supervisors' floor socket (public contract, docs/protocol.md)."""
from django.urls import path

from reports.floor.consumers import FloorConsumer

websocket_urlpatterns = [
    path("ws/floor/", FloorConsumer.as_asgi()),
]
