"""REST API v1 shapes of post-chat reports and analytics (escalations: reports.escalations.serializers)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from reports.analytics.periods import MAX_PERIOD_DAYS
from reports.models import Report

# Analytics periods stay within these years and MAX_PERIOD_DAYS, so every query is bounded;
# the hour of slack lets whole local days straddle a change of summer time.
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_PERIOD = timedelta(days=MAX_PERIOD_DAYS, hours=1)


class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = Report
        fields = [
            "id",
            "client",
            "conversation",
            "visitor_name",
            "visitor_email",
            "is_urgent",
            "is_undeliverable",
            "undeliverable_categories",
            "created_at",
        ]


class PeriodSerializer(serializers.Serializer):
    """`start` and `end`: ISO 8601 datetimes (an instant; naive means UTC) or dates (whole days in
    the client's timezone, UTC for agents, `end` included). Chats requested in [start, end) count."""

    start = serializers.CharField(help_text="2026-01-01 or 2026-01-01T00:00:00Z")
    end = serializers.CharField(help_text="2026-01-31 (included) or 2026-02-01T00:00:00Z (excluded)")

    def __init__(self, *args, timezone: ZoneInfo | None = None, **kwargs):
        self.timezone = timezone or ZoneInfo("UTC")
        super().__init__(*args, **kwargs)

    def instant(self, value: str, *, is_end: bool) -> datetime:
        try:
            day = parse_date(value)  # first: Python reads a bare date as a datetime at 00:00 too
            if day is not None:
                if not FIRST_YEAR <= day.year <= LAST_YEAR:
                    raise ValueError(value)
                moment = datetime.combine(day + timedelta(days=1) if is_end else day, time(0), self.timezone)
            else:
                moment = parse_datetime(value)
                if moment is None:
                    raise ValueError(value)
                if moment.tzinfo is None:
                    moment = moment.replace(tzinfo=UTC)
            if not FIRST_YEAR <= moment.year <= LAST_YEAR:
                raise ValueError(value)
            return moment.astimezone(UTC)
        except (ValueError, OverflowError):
            raise serializers.ValidationError(
                _("Give an ISO 8601 date or datetime between %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            ) from None

    def validate_start(self, value: str) -> datetime:
        return self.instant(value, is_end=False)

    def validate_end(self, value: str) -> datetime:
        return self.instant(value, is_end=True)

    def validate(self, attrs: dict) -> dict:
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": _("The end must be after the start.")})
        if attrs["end"] - attrs["start"] > MAX_PERIOD:
            raise serializers.ValidationError(
                {"end": _("A period is at most %(days)s days.") % {"days": MAX_PERIOD_DAYS}}
            )
        return attrs


class AgentPeriodSerializer(PeriodSerializer):
    client = serializers.IntegerField(required=False, min_value=1, help_text="Only this client's chats.")


class StatsSerializer(serializers.Serializer):
    avg = serializers.FloatField(allow_null=True, help_text="Seconds.")
    p50 = serializers.FloatField(allow_null=True, help_text="Seconds.")
    p90 = serializers.FloatField(allow_null=True, help_text="Seconds.")


class AverageSerializer(serializers.Serializer):
    avg = serializers.FloatField(allow_null=True, help_text="Seconds.")


class CallFiguresSerializer(serializers.Serializer):
    """Calls offered in the period (chats.calls.selectors.call_figures)."""

    offered = serializers.IntegerField()
    accepted = serializers.IntegerField()
    declined = serializers.IntegerField()
    connected = serializers.IntegerField()
    accepted_share = serializers.FloatField(allow_null=True)
    avg_duration_seconds = serializers.FloatField(allow_null=True, help_text="Of the calls that connected and ended.")


class KpisSerializer(serializers.Serializer):
    chats = serializers.IntegerField()
    missed = serializers.IntegerField()
    missed_share = serializers.FloatField(allow_null=True)
    queue_wait = StatsSerializer()
    first_response = StatsSerializer()
    sla_target_seconds = serializers.IntegerField(allow_null=True)
    sla_target_share = serializers.FloatField(
        allow_null=True, help_text="The client's target: this share of chats answered within sla_target_seconds."
    )
    answered_within_sla_share = serializers.FloatField(allow_null=True)
    sla_target_met = serializers.BooleanField(
        allow_null=True, help_text="answered_within_sla_share ≥ sla_target_share (null without chats or a target)."
    )
    duration = AverageSerializer()
    messages = serializers.IntegerField()
    avg_simultaneous_chats = serializers.FloatField(allow_null=True)
    calls = CallFiguresSerializer(required=False, help_text="A client's calls (client KPIs only).")


class ClientKpisSerializer(serializers.Serializer):
    client = serializers.IntegerField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    kpis = KpisSerializer()


class AgentKpisSerializer(KpisSerializer):
    agent_id = serializers.IntegerField()
    name = serializers.CharField()


class HeatmapSerializer(serializers.Serializer):
    client = serializers.IntegerField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    grid = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text="Chats requested per weekday (Monday first) and hour, in the client's local time.",
    )
