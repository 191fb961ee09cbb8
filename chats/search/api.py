"""`GET /api/v1/messages/search/?q=`: full-text search over the messages you may see (chats.search)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.pagination import CursorPagination

from chats.api import MessageSerializer
from chats.models import Message
from chats.search import selectors as search
from core.errors import InvalidInput


class FoundMessageSerializer(MessageSerializer):
    conversation = serializers.IntegerField(source="conversation_id")
    client = serializers.IntegerField(source="conversation.client_id")

    class Meta(MessageSerializer.Meta):
        fields = ["conversation", "client", *MessageSerializer.Meta.fields]


class SearchPagination(CursorPagination):
    """Pages of 50 without a total: counting every match of a common word would cost more than the page."""

    ordering = "-pk"
    page_size = 50


@extend_schema(
    summary="Search messages",
    parameters=[
        OpenApiParameter("q", str, required=True, description='Words; "quoted phrases", or, -excluded'),
        OpenApiParameter("language", str, description="en or es stem words; pl and others match whole words"),
        OpenApiParameter("client", int, description="Only this client's chats"),
    ],
)
class MessageSearchView(generics.ListAPIView):
    """Messages of the clients you may see matching `q`, newest first."""

    serializer_class = FoundMessageSerializer
    pagination_class = SearchPagination

    def get_queryset(self) -> QuerySet[Message]:
        if getattr(self, "swagger_fake_view", False):
            return Message.objects.none()
        params = self.request.query_params
        client = params.get("client")
        if client is not None and not client.isdigit():
            raise InvalidInput(_("“client” must be a client id."))
        return search.search_messages(
            user=self.request.user,
            query=params.get("q", ""),
            language=params.get("language") or self.request.LANGUAGE_CODE,
            client_id=int(client) if client else None,
        )
