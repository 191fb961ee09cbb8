"""`GET /api/v1/analytics/clients/<id>/engagement/`: what live visitors and invitations did for a client."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from chats.visits.selectors import engagement_summary
from reports.api.serializers import PeriodSerializer
from reports.api.views import visible_client_and_period


class ValueSerializer(serializers.Serializer):
    currency = serializers.CharField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=True)


class EngagementSerializer(serializers.Serializer):
    visitors = serializers.IntegerField(help_text="Visits that started in the period")
    invitations_sent = serializers.IntegerField()
    automatic_invitations = serializers.IntegerField(help_text="Sent by a proactive rule (the rest by agents)")
    invitations_accepted = serializers.IntegerField()
    invitations_declined = serializers.IntegerField()
    chats = serializers.IntegerField(help_text="Chats requested in the period")
    conversions = serializers.IntegerField(help_text="Sales the site reported (Relevo.trackConversion)")
    conversions_after_chat = serializers.IntegerField(help_text="Sales in a visit that had a chat before them")
    value_after_chat = ValueSerializer(many=True, help_text="The value of those sales, per currency")


class ClientEngagementSerializer(serializers.Serializer):
    client = serializers.IntegerField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    engagement = EngagementSerializer()


class ClientEngagementView(APIView):
    """Visitors, invitations sent and answered, chats, and the sales after a chat, in the period."""

    @extend_schema(summary="Client engagement", parameters=[PeriodSerializer], responses=ClientEngagementSerializer)
    def get(self, request: Request, client_id: int) -> Response:
        client, period = visible_client_and_period(request, client_id)
        engagement = engagement_summary(client=client, start=period["start"], end=period["end"])
        return Response(ClientEngagementSerializer({"client": client.pk, **period, "engagement": engagement}).data)
