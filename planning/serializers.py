"""REST API shapes of staffing: the Erlang C model's parameters and answer, a month, economics and billing."""

from __future__ import annotations

import math
import re
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.erlang import MAX_CONCURRENCY

MAX_ARRIVALS_PER_HOUR = 1_000_000
MAX_HANDLE_SECONDS = 86_400
MAX_TARGET_SECONDS = 86_400
# Erlangs of slot time: the answer stays below ~100,000 agents and is computed in milliseconds.
MAX_LOAD = 50_000


class FiniteFloatField(serializers.FloatField):
    """A float that is a number: `nan` and `inf` are junk here, not values."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not math.isfinite(value):
            self.fail("invalid")
        return value


class ErlangCQuerySerializer(serializers.Serializer):
    arrivals_per_hour = FiniteFloatField(
        min_value=0, max_value=MAX_ARRIVALS_PER_HOUR, help_text="Chats arriving per hour, e.g. 120."
    )
    handle_seconds = FiniteFloatField(
        min_value=0,
        max_value=MAX_HANDLE_SECONDS,
        help_text="Seconds of an agent's full attention one chat needs (handled alone), e.g. 300.",
    )
    target_seconds = FiniteFloatField(
        min_value=0, max_value=MAX_TARGET_SECONDS, help_text="Answer within this many seconds, e.g. 22."
    )
    service_level = FiniteFloatField(
        min_value=0, max_value=1, help_text="Share to answer within the target, e.g. 0.9 (not 90)."
    )
    concurrency = serializers.IntegerField(
        min_value=1,
        max_value=MAX_CONCURRENCY,
        default=1,
        help_text="Chats an agent holds at once; 1 is classic Erlang C.",
    )

    def validate_arrivals_per_hour(self, value: float) -> float:
        if value <= 0:
            raise serializers.ValidationError(_("Give more than 0 chats per hour."))
        return value

    def validate_handle_seconds(self, value: float) -> float:
        if value <= 0:
            raise serializers.ValidationError(_("Give a handle time of more than 0 seconds."))
        return value

    def validate_target_seconds(self, value: float) -> float:
        if value <= 0:
            raise serializers.ValidationError(_("Give a target of more than 0 seconds."))
        return value

    def validate_service_level(self, value: float) -> float:
        if not 0 < value < 1:
            raise serializers.ValidationError(
                _("Give the service level as a share between 0 and 1, both excluded, e.g. 0.9 for 90 %.")
            )
        return value

    def validate(self, attrs: dict) -> dict:
        load = attrs["arrivals_per_hour"] / 3600 * attrs["handle_seconds"]
        if load > MAX_LOAD:
            raise serializers.ValidationError(
                _("That is %(load)s chats in progress at once; the model answers up to %(limit)s.")
                % {"load": round(load), "limit": MAX_LOAD}
            )
        return attrs


class ErlangCSerializer(serializers.Serializer):
    agents = serializers.IntegerField(help_text="The smallest number of agents meeting the service level.")
    service_level = serializers.FloatField(help_text="The share those agents answer within the target.")
    occupancy = serializers.FloatField(help_text="The share of the agents' capacity spent on chats.")
    average_wait_seconds = serializers.FloatField(help_text="Over every chat, those answered at once included.")


def current_month() -> str:
    return timezone.now().strftime("%Y-%m")


class MonthQuerySerializer(serializers.Serializer):
    month = serializers.CharField(required=False, max_length=7, help_text="YYYY-MM; default: this month.")

    def validate_month(self, value: str) -> date:
        return parse_month(value)

    def month_start(self) -> date:
        return self.validated_data.get("month") or parse_month(current_month())


def parse_month(value: str) -> date:
    """`2026-11` → 1 Nov 2026; a ValidationError for anything else."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", value or "")
    if not match or not 2000 <= int(match[1]) <= 2100 or not 1 <= int(match[2]) <= 12:
        raise serializers.ValidationError(_("Give a month as YYYY-MM, e.g. 2026-11."))
    return date(int(match[1]), int(match[2]), 1)
