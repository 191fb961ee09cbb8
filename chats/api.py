"""REST API v1 of chats: conversations (filtered, searchable) and their messages (read only)."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, viewsets
from rest_framework.response import Response

from agency.models import display_name_of
from chats.calls.models import Call
from chats.history import chat_history
from chats.models import Conversation, ConversationStatus, Message, Visitor
from chats.ratings.models import Rating
from chats.teamwork.models import Tag
from chats.transcript import visible_to
from clients.api_scoping import ClientScopedQuerysetMixin
from clients.selectors import clients_visible_to
from core.api_filters import ApiFilterSet, InstantFilter


class VisitorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Visitor
        fields = ["id", "name", "email"]


class ConversationSerializer(serializers.ModelSerializer):
    visitor = VisitorSerializer(read_only=True)
    message_count = serializers.IntegerField(source="last_seq", read_only=True)
    tags = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = Conversation
        fields = [
            "id",
            "client",
            "visitor",
            "agent",
            "status",
            "page_url",
            "language",
            "message_count",
            "requested_at",
            "assigned_at",
            "first_response_at",
            "closed_at",
            "tags",
        ]


class MessageSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = ["id", "seq", "sender", "author", "author_name", "body", "is_internal", "created_at"]

    def get_author_name(self, message: Message) -> str | None:
        author = message.author
        return display_name_of(author) if author else None


class ConversationFilter(ApiFilterSet):
    client = django_filters.NumberFilter(field_name="client_id")
    agent = django_filters.NumberFilter(field_name="agent_id")
    status = django_filters.ChoiceFilter(choices=ConversationStatus.choices)
    requested_after = InstantFilter(field_name="requested_at", lookup_expr="gte")
    requested_before = InstantFilter(field_name="requested_at", lookup_expr="lt")
    search = django_filters.CharFilter(
        method="filter_search", max_length=200, label="Conversations with a message containing this text"
    )
    tag = django_filters.CharFilter(method="filter_tag", max_length=50, label="Conversations with this tag (its name)")

    class Meta:
        model = Conversation
        fields = ["client", "agent", "status"]

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        matching = visible_to(
            self.request.user, Message.objects.filter(conversation_id=OuterRef("pk"), body__icontains=value)
        )
        return queryset.filter(Exists(matching))

    def filter_tag(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        tagged = Tag.conversations.through.objects.filter(
            conversation_id=OuterRef("pk"), tag__name__iexact=value.strip()
        )
        return queryset.filter(Exists(tagged))


@extend_schema_view(list=extend_schema(summary="Conversations"), retrieve=extend_schema(summary="A conversation"))
class ConversationViewSet(ClientScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Chats of the clients you may see, newest first."""

    queryset = Conversation.objects.select_related("visitor").prefetch_related("tags").order_by("-requested_at", "-pk")
    serializer_class = ConversationSerializer
    filterset_class = ConversationFilter


class MessageFilter(ApiFilterSet):
    after = django_filters.NumberFilter(field_name="seq", lookup_expr="gt", label="Only messages with a larger seq")

    class Meta:
        model = Message
        fields = ["after"]


@extend_schema(summary="Messages of a conversation")
class ConversationMessagesView(generics.ListAPIView):
    """The conversation's messages in order (seq 1, 2, 3…); `after` resumes from a seq."""

    serializer_class = MessageSerializer
    filterset_class = MessageFilter

    def get_queryset(self) -> QuerySet[Message]:
        if getattr(self, "swagger_fake_view", False):
            return Message.objects.none()
        visible = clients_visible_to(self.request.user).values("pk")
        conversation = get_object_or_404(
            Conversation.objects.filter(client__in=visible).only("pk"), pk=self.kwargs["conversation_id"]
        )
        messages = Message.objects.filter(conversation_id=conversation.pk)
        return visible_to(self.request.user, messages).select_related("author").order_by("seq")


class TranscriptRatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rating
        fields = ["scale", "score", "comment", "created_at"]


class TranscriptCallSerializer(serializers.ModelSerializer):
    duration_seconds = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Call
        fields = ["id", "kind", "status", "offered_at", "connected_at", "ended_at", "duration_seconds"]


class ChatHistorySerializer(serializers.Serializer):
    conversation = ConversationSerializer()
    messages = MessageSerializer(many=True, source="transcript")
    rating = TranscriptRatingSerializer(allow_null=True)
    calls = TranscriptCallSerializer(many=True)
    tags = serializers.ListField(child=serializers.CharField())


@extend_schema(summary="A conversation's transcript", responses=ChatHistorySerializer)
class ConversationTranscriptView(generics.GenericAPIView):
    """The whole chat as you may read it (chats.history): the conversation, its messages in order
    (a client's people never get internal notes), the visitor's rating, the calls and the tags."""

    serializer_class = ChatHistorySerializer
    pagination_class = None
    filter_backends: list = []

    def get(self, request, conversation_id: int) -> Response:
        history = chat_history(user=request.user, conversation_id=conversation_id)
        return Response(self.get_serializer(history).data)
