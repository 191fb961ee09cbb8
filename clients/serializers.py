"""REST API v1 shapes of clients, their coverage hours and their leads."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clients.coverage import coverage_summary
from clients.models import Client, CoverageException, CoverageWindow, OfflineMessage


class CoverageSummarySerializer(serializers.Serializer):
    is_24_7 = serializers.BooleanField()
    timezone = serializers.CharField()
    hours_per_week = serializers.FloatField()
    hours_per_fte = serializers.IntegerField()
    fte_needed = serializers.FloatField()
    grid = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text="Covered minutes of each hour of a typical week: grid[weekday][hour], Monday first.",
    )


class ClientSerializer(serializers.ModelSerializer):
    allowed_origins = serializers.SerializerMethodField()
    coverage = serializers.SerializerMethodField()

    class Meta:
        model = Client
        fields = [
            "id",
            "name",
            "slug",
            "timezone",
            "widget_key",
            "allowed_origins",
            "is_24_7",
            "holiday_country",
            "holiday_region",
            "works_on_holidays",
            "hours_per_fte",
            "required_language",
            "sla_target_seconds",
            "sla_target_share",
            "created_at",
            "coverage",
        ]

    def get_allowed_origins(self, client: Client) -> list[str]:
        return sorted(str(origin) for origin in client.origin_allow_list)

    @extend_schema_field(CoverageSummarySerializer)
    def get_coverage(self, client: Client) -> dict:
        return coverage_summary(client)


class CoverageWindowSerializer(serializers.ModelSerializer):
    class Meta:
        model = CoverageWindow
        fields = ["id", "client", "weekday", "starts_at", "ends_at"]


class CoverageExceptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CoverageException
        fields = ["id", "client", "date", "is_closed", "starts_at", "ends_at", "note"]


class OfflineMessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = OfflineMessage
        fields = ["id", "client", "name", "email", "message", "language", "created_at", "is_handled", "notified_at"]
        read_only_fields = ["client", "name", "email", "message", "language", "created_at", "notified_at"]


class OfflineMessageHandledSerializer(serializers.Serializer):
    is_handled = serializers.BooleanField()
