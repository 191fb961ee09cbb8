"""REST API v1: how a client's chats are tagged over a period (reports.analytics.tags)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reports.analytics.tags import tag_counts
from reports.api.serializers import PeriodSerializer
from reports.api.views import visible_client_and_period

TagCountsSerializer = inline_serializer(
    "TagCounts",
    {
        "client": serializers.IntegerField(),
        "start": serializers.DateTimeField(),
        "end": serializers.DateTimeField(),
        "tags": inline_serializer(
            "TagCount", {"tag": serializers.CharField(), "conversations": serializers.IntegerField()}, many=True
        ),
    },
)


class ClientTagCountsView(APIView):
    """Each of the client's tags with how many chats requested in the period carry it."""

    @extend_schema(summary="Client tag counts", parameters=[PeriodSerializer], responses=TagCountsSerializer)
    def get(self, request: Request, client_id: int) -> Response:
        client, period = visible_client_and_period(request, client_id)
        return Response(
            {
                "client": client.pk,
                "start": period["start"],
                "end": period["end"],
                "tags": tag_counts(client_id=client.pk, start=period["start"], end=period["end"]),
            }
        )
