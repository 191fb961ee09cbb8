"""REST API v1 of reports: escalations (a client's people acknowledge them), post-chat
reports, and analytics over a period (reports.analytics.selectors)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from agency.models import Agent
from chats.calls.selectors import call_figures
from clients import selectors as client_selectors
from clients.api_scoping import ClientScopedQuerysetMixin
from clients.models import Client
from clients.selectors import clients_visible_to, is_agency_wide, is_client_side
from core.api_errors import NotARepresentative
from core.api_filters import ApiFilterSet, InstantFilter
from reports.analytics import selectors as analytics
from reports.api.serializers import (
    AgentKpisSerializer,
    AgentPeriodSerializer,
    ClientKpisSerializer,
    HeatmapSerializer,
    PeriodSerializer,
    ReportSerializer,
)
from reports.escalations import services
from reports.escalations.serializers import EscalationSerializer
from reports.models import Escalation, EscalationStatus, Report, Urgency


class EscalationFilter(ApiFilterSet):
    client = django_filters.NumberFilter(field_name="client_id")
    conversation = django_filters.NumberFilter(field_name="conversation_id")
    status = django_filters.ChoiceFilter(choices=EscalationStatus.choices)
    urgency = django_filters.ChoiceFilter(choices=Urgency.choices)
    category = django_filters.CharFilter(max_length=40)
    created_after = InstantFilter(field_name="created_at", lookup_expr="gte")
    created_before = InstantFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Escalation
        fields = ["client", "conversation", "status", "urgency", "category"]


@extend_schema_view(
    list=extend_schema(summary="Escalations"),
    retrieve=extend_schema(summary="An escalation"),
    acknowledge=extend_schema(
        summary="Acknowledge an escalation (the client's people)", request=None, responses=EscalationSerializer
    ),
)
class EscalationViewSet(ClientScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Questions agents passed to the client; newest first."""

    queryset = Escalation.objects.order_by("-created_at", "-pk")
    serializer_class = EscalationSerializer
    filterset_class = EscalationFilter

    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str) -> Response:
        """Someone at the client has seen it, so reminders stop. Idempotent."""
        escalation = self.get_object()
        representative = client_selectors.representative_for(request.user)
        if representative is None:
            raise NotARepresentative()
        escalation = services.acknowledge_escalation(escalation_id=escalation.pk, representative=representative)
        return Response(EscalationSerializer(escalation).data)


class ReportFilter(ApiFilterSet):
    client = django_filters.NumberFilter(field_name="client_id")
    created_after = InstantFilter(field_name="created_at", lookup_expr="gte")
    created_before = InstantFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Report
        fields = ["client", "is_urgent", "is_undeliverable"]


@extend_schema_view(list=extend_schema(summary="Post-chat reports"), retrieve=extend_schema(summary="A report"))
class ReportViewSet(ClientScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """The post-chat report of each conversation that had escalations or feedback; newest first."""

    queryset = Report.objects.order_by("-created_at", "-pk")
    serializer_class = ReportSerializer
    filterset_class = ReportFilter


def visible_client(request: Request, client_id: int):
    return get_object_or_404(clients_visible_to(request.user).only("pk", "timezone"), pk=client_id)


def only_agent_for(user) -> int | None:
    """Whose figures per agent `user` may read: None for everyone's (agency-wide people, the client's
    people), an agent's own id otherwise (an agent never sees a colleague's KPIs, CSAT or ratings)."""
    if is_agency_wide(user) or is_client_side(user):
        return None
    return Agent.objects.filter(user=user).values_list("pk", flat=True).first() or 0


def valid_period(serializer: Serializer) -> dict:
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def visible_client_and_period(request: Request, client_id: int) -> tuple[Client, dict]:
    """A client the user sees (else 404) and the period the query asks for, in whole days of its timezone."""
    client = visible_client(request, client_id)
    return client, valid_period(PeriodSerializer(data=request.query_params, timezone=ZoneInfo(client.timezone)))


class ClientKpisView(APIView):
    """A client's service levels for the chats requested in the period."""

    @extend_schema(summary="Client KPIs", parameters=[PeriodSerializer], responses=ClientKpisSerializer)
    def get(self, request: Request, client_id: int) -> Response:
        client, period = visible_client_and_period(request, client_id)
        kpis = analytics.client_kpis(client_id=client.pk, start=period["start"], end=period["end"])
        kpis["calls"] = call_figures(client_id=client.pk, start=period["start"], end=period["end"])
        return Response(ClientKpisSerializer({"client": client.pk, **period, "kpis": kpis}).data)


class ClientHeatmapView(APIView):
    """How many chats a client gets per weekday and hour (its local time) in the period."""

    @extend_schema(summary="Client volume heatmap", parameters=[PeriodSerializer], responses=HeatmapSerializer)
    def get(self, request: Request, client_id: int) -> Response:
        client, period = visible_client_and_period(request, client_id)
        grid = analytics.volume_heatmap(client_id=client.pk, start=period["start"], end=period["end"])
        return Response(HeatmapSerializer({"client": client.pk, **period, "grid": grid}).data)


class AgentKpisView(generics.GenericAPIView):
    """Each agent's service levels for the chats assigned to them in the period.

    Agency admins and supervisors: every agent (`client` narrows to one client's chats);
    a client's people: their client's chats; an agent: their own row only."""

    serializer_class = AgentKpisSerializer
    queryset = Agent.objects.none()  # for the schema: rows come from reports.analytics.selectors

    @extend_schema(summary="Agent KPIs", parameters=[AgentPeriodSerializer], responses=AgentKpisSerializer(many=True))
    def get(self, request: Request) -> Response:
        period = valid_period(AgentPeriodSerializer(data=request.query_params))
        user = request.user
        client_ids = None if is_agency_wide(user) else list(clients_visible_to(user).values_list("pk", flat=True))
        if "client" in period:
            client_ids = [visible_client(request, period["client"]).pk]
        rows = analytics.agent_kpis(start=period["start"], end=period["end"], client_ids=client_ids)
        own = only_agent_for(user)
        if own is not None:
            rows = [row for row in rows if row["agent_id"] == own]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(AgentKpisSerializer(page, many=True).data)
