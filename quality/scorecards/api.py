"""REST API v1 of QA scorecards: `/api/v1/qa/rubrics/` and `/api/v1/qa/reviews/`, tenant-scoped like every
resource (a client's people see their client's; an agent sees only reviews of their own chats)."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from clients.api_scoping import ClientScopedQuerysetMixin
from core.api_filters import ApiFilterSet, InstantFilter
from quality.scorecards.models import Criterion, CriterionScore, Review, Rubric
from reports.api.views import only_agent_for


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "label", "weight", "is_critical", "position"]


class RubricSerializer(serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = Rubric
        fields = ["id", "client", "version", "language", "is_active", "created_at", "criteria"]


class RubricFilter(ApiFilterSet):
    client = django_filters.NumberFilter(field_name="client_id")
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = Rubric
        fields = ["client", "is_active"]


@extend_schema_view(list=extend_schema(summary="QA rubrics"), retrieve=extend_schema(summary="A QA rubric"))
class RubricViewSet(ClientScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Every version of the QA rubrics of the clients you may see, newest first (one active per client)."""

    queryset = Rubric.objects.prefetch_related("criteria").order_by("client_id", "-version")
    serializer_class = RubricSerializer
    filterset_class = RubricFilter


class CriterionScoreSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="criterion.label", read_only=True)
    weight = serializers.IntegerField(source="criterion.weight", read_only=True)

    class Meta:
        model = CriterionScore
        fields = ["criterion", "label", "weight", "points"]


class ReviewSerializer(serializers.ModelSerializer):
    scores = CriterionScoreSerializer(many=True, read_only=True)
    score = serializers.FloatField(read_only=True, help_text="% of the rubric's points; 0 when a critical item failed")

    class Meta:
        model = Review
        fields = [
            "id",
            "conversation",
            "client",
            "agent",
            "rubric",
            "score",
            "is_critical_failed",
            "comment",
            "status",
            "agent_comment",
            "answered_at",
            "settlement",
            "settled_at",
            "created_at",
            "scores",
        ]


class ReviewFilter(ApiFilterSet):
    client = django_filters.NumberFilter(field_name="client_id")
    agent = django_filters.NumberFilter(field_name="agent_id")
    reviewed_after = InstantFilter(field_name="created_at", lookup_expr="gte")
    reviewed_before = InstantFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Review
        fields = ["client", "agent", "status"]


@extend_schema_view(list=extend_schema(summary="QA reviews"), retrieve=extend_schema(summary="A QA review"))
class ReviewViewSet(ClientScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Supervisors' scorecards of chats of the clients you may see, newest first; an agent gets their own."""

    queryset = Review.objects.prefetch_related("scores__criterion").order_by("-created_at", "-pk")
    serializer_class = ReviewSerializer
    filterset_class = ReviewFilter

    def scope_queryset(self, queryset):
        own = only_agent_for(self.request.user)
        return queryset if own is None else queryset.filter(agent_id=own)
