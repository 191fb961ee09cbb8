"""REST API of callback requests: list and read a visible client's callbacks, close one (done or failed)."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from chats.calls import callbacks
from chats.calls.models import CallbackRequest, CallbackStatus
from clients.api_scoping import ClientScopedQuerysetMixin
from core.api_filters import ApiFilterSet, InstantFilter


class CallbackRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = CallbackRequest
        fields = [
            "id",
            "client",
            "conversation",
            "phone",
            "preferred_at",
            "visitor_timezone",
            "handled_by",
            "status",
            "created_at",
            "reminded_at",
            "closed_at",
            "closed_by",
        ]
        read_only_fields = fields


class CloseCallbackSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[CallbackStatus.DONE, CallbackStatus.FAILED])


class CallbackFilter(ApiFilterSet):
    client = django_filters.NumberFilter(field_name="client_id")
    status = django_filters.ChoiceFilter(choices=CallbackStatus.choices)
    preferred_after = InstantFilter(field_name="preferred_at", lookup_expr="gte")
    preferred_before = InstantFilter(field_name="preferred_at", lookup_expr="lt")

    class Meta:
        model = CallbackRequest
        fields = ["client", "status"]


@extend_schema_view(
    list=extend_schema(summary="Callback requests"),
    retrieve=extend_schema(summary="A callback request"),
    close=extend_schema(
        summary="Mark a callback done or failed", request=CloseCallbackSerializer, responses=CallbackRequestSerializer
    ),
)
class CallbackRequestViewSet(ClientScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Visitors who asked to be called back; soonest first."""

    queryset = CallbackRequest.objects.order_by("preferred_at", "pk")
    serializer_class = CallbackRequestSerializer
    filterset_class = CallbackFilter

    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """Once: a callback already closed keeps its first status."""
        callback = self.get_object()
        body = CloseCallbackSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        callbacks.close_callback(callback=callback, status=body.validated_data["status"], user=request.user)
        callback.refresh_from_db()
        return Response(CallbackRequestSerializer(callback).data)
