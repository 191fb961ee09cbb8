"""REST API v1 of quality: ratings, CSAT and NPS per client (tenant-scoped like every endpoint)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from chats.ratings.models import Rating
from clients.api_scoping import ClientScopedQuerysetMixin
from clients.selectors import clients_visible_to
from core.api_filters import ApiFilterSet, InstantFilter
from quality import selectors
from reports.api.serializers import AgentPeriodSerializer, PeriodSerializer
from reports.api.views import only_agent_for, valid_period, visible_client, visible_client_and_period


class RatingSerializer(serializers.ModelSerializer):
    is_satisfied = serializers.BooleanField(read_only=True)

    class Meta:
        model = Rating
        fields = ["id", "conversation", "client", "agent", "scale", "score", "is_satisfied", "comment", "created_at"]


class RatingFilter(ApiFilterSet):
    client = django_filters.NumberFilter(field_name="client_id")
    agent = django_filters.NumberFilter(field_name="agent_id")
    rated_after = InstantFilter(field_name="created_at", lookup_expr="gte")
    rated_before = InstantFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Rating
        fields = ["client", "agent"]


@extend_schema_view(list=extend_schema(summary="Ratings"), retrieve=extend_schema(summary="A rating"))
class RatingViewSet(ClientScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Visitors' ratings of the chats of the clients you may see, newest first."""

    queryset = Rating.objects.order_by("-created_at", "-pk")
    serializer_class = RatingSerializer
    filterset_class = RatingFilter

    def scope_queryset(self, queryset):
        own = only_agent_for(self.request.user)
        return queryset if own is None else queryset.filter(agent_id=own)


class CsatMonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="2026-11")
    ratings = serializers.IntegerField()
    csat = serializers.FloatField(allow_null=True, help_text="% satisfied")


class CsatAgentSerializer(serializers.Serializer):
    agent = serializers.IntegerField()
    name = serializers.CharField()
    ratings = serializers.IntegerField()
    csat = serializers.FloatField(allow_null=True)


class CsatSerializer(serializers.Serializer):
    client = serializers.IntegerField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    ratings = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    csat = serializers.FloatField(allow_null=True, help_text="% of ratings that are satisfied")
    rated_chats_share = serializers.FloatField(allow_null=True, help_text="% of chats an agent took that were rated")
    by_month = CsatMonthSerializer(many=True)
    by_agent = CsatAgentSerializer(many=True)


class NpsMonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="2026-11")
    responses = serializers.IntegerField()
    promoters = serializers.IntegerField()
    passives = serializers.IntegerField()
    detractors = serializers.IntegerField()
    nps = serializers.FloatField(help_text="% promoters − % detractors")


class NpsSerializer(serializers.Serializer):
    client = serializers.IntegerField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    months = NpsMonthSerializer(many=True)


def own_agent_rows_only(request: Request, rows: list[dict]) -> list[dict]:
    """An agent sees their own CSAT row only (as in the agents' KPIs)."""
    own = only_agent_for(request.user)
    return rows if own is None else [row for row in rows if row["agent"] == own]


class ClientCsatView(APIView):
    """CSAT (satisfied over all ratings), share of answered chats rated, per month and per agent."""

    @extend_schema(summary="Client CSAT", parameters=[PeriodSerializer], responses=CsatSerializer)
    def get(self, request: Request, client_id: int) -> Response:
        client, period = visible_client_and_period(request, client_id)
        tz = ZoneInfo(client.timezone)
        span = {"client_ids": [client.pk], "start": period["start"], "end": period["end"]}
        return Response(
            CsatSerializer(
                {
                    "client": client.pk,
                    "start": period["start"],
                    "end": period["end"],
                    **selectors.csat(**span),
                    "by_month": selectors.csat_by_month(**span, tz=tz),
                    "by_agent": own_agent_rows_only(request, selectors.csat_by_agent(**span)),
                }
            ).data
        )


class ClientNpsView(APIView):
    """NPS per month of the answer (client's timezone): promoters 9–10, passives 7–8, detractors 0–6."""

    @extend_schema(summary="Client NPS per month", parameters=[PeriodSerializer], responses=NpsSerializer)
    def get(self, request: Request, client_id: int) -> Response:
        client, period = visible_client_and_period(request, client_id)
        tz = ZoneInfo(client.timezone)
        months = selectors.nps_by_month(client_id=client.pk, start=period["start"], end=period["end"], tz=tz)
        return Response(
            NpsSerializer({"client": client.pk, "start": period["start"], "end": period["end"], "months": months}).data
        )


class AgentCsatSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    agents = CsatAgentSerializer(many=True)


class AgentCsatView(APIView):
    """Each agent's CSAT over the chats of the clients you may see (`client` narrows to one);
    an agent gets their own row only."""

    @extend_schema(summary="Agent CSAT", parameters=[AgentPeriodSerializer], responses=AgentCsatSerializer)
    def get(self, request: Request) -> Response:
        period = valid_period(AgentPeriodSerializer(data=request.query_params))
        if "client" in period:
            client_ids = [visible_client(request, period["client"]).pk]
        else:
            client_ids = clients_visible_to(request.user).values("pk")
        rows = selectors.csat_by_agent(client_ids=client_ids, start=period["start"], end=period["end"])
        return Response(
            AgentCsatSerializer(
                {"start": period["start"], "end": period["end"], "agents": own_agent_rows_only(request, rows)}
            ).data
        )
