"""REST API v1 of leads: `/api/v1/leads/` (filtered, paginated, the caller's clients only)
and `/api/v1/leads/export/` (the same filters as CSV)."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request

from chats.leads.export import csv_response
from chats.leads.models import Lead, LeadSource
from clients.api_scoping import ClientScopedQuerysetMixin
from core.api_filters import ApiFilterSet, InstantFilter


class LeadSerializer(serializers.ModelSerializer):
    class Meta:
        model = Lead
        fields = [
            "id",
            "client",
            "source",
            "name",
            "email",
            "phone",
            "has_consent",
            "consent_text",
            "message",
            "language",
            "conversation",
            "offline_message",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class LeadFilter(ApiFilterSet):
    client = django_filters.NumberFilter(field_name="client_id")
    source = django_filters.ChoiceFilter(choices=LeadSource.choices)
    received_after = InstantFilter(field_name="created_at", lookup_expr="gte")
    received_before = InstantFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Lead
        fields = ["client", "source", "has_consent"]


@extend_schema_view(
    list=extend_schema(summary="Leads (pre-chat form, lead card, offline form, queue, missed chats)"),
    export=extend_schema(
        summary="Leads as CSV (same filters)",
        responses={(200, "text/csv"): OpenApiResponse(description="One row per lead")},
    ),
)
class LeadViewSet(ClientScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Contact details visitors left, newest first."""

    queryset = Lead.objects.select_related("client").order_by("-created_at", "-pk")
    serializer_class = LeadSerializer
    filterset_class = LeadFilter
    permission_classes = [IsAuthenticated]

    @action(detail=False, methods=["get"], url_path="export", pagination_class=None)
    def export(self, request: Request, *args, **kwargs):
        return csv_response(self.filter_queryset(self.get_queryset()))
