"""REST API of staffing: the Erlang C model alone, and a client's economics and monthly billing.

The model answers any authenticated user (it holds no client's data). Economics and
billing: agency admins and supervisors for every client, a client's owners for their
own (another client's is a 404); agents and representatives are refused (403).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clients.models import Client, Representative, RepresentativeRole
from clients.selectors import clients_visible_to, is_agency_wide
from core.erlang import agents_needed
from planning import billing
from planning.economics import client_economics
from planning.serializers import ErlangCQuerySerializer, ErlangCSerializer, MonthQuerySerializer


class ErlangCView(APIView):
    """The smallest number of agents answering `service_level` of the chats within `target_seconds`."""

    @extend_schema(
        summary="Erlang C with chats at once", parameters=[ErlangCQuerySerializer], responses=ErlangCSerializer
    )
    def get(self, request: Request) -> Response:
        query = ErlangCQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(agents_needed(**query.validated_data).as_dict())


def billed_client(user, client_id: int) -> Client:
    """The client whose money figures `user` may read (the tenant rule, then: agency-wide people
    and the client's owners), or the refusal."""
    client = get_object_or_404(clients_visible_to(user), pk=client_id)
    if (
        is_agency_wide(user)
        or Representative.objects.filter(user=user, client=client, role=RepresentativeRole.OWNER).exists()
    ):
        return client
    raise PermissionDenied(_owners_only())


def _owners_only() -> str:
    return gettext("Only the agency's admins and supervisors and the client's owners see its billing.")


class ClientBillingView(APIView):
    """A client's month: chats answered and missed, covered hours, SLA, leads, escalations, invoice lines."""

    @extend_schema(
        summary="A client's month and invoice lines", parameters=[MonthQuerySerializer], responses=OpenApiTypes.OBJECT
    )
    def get(self, request: Request, client_id: int) -> Response:
        client = billed_client(request.user, client_id)
        query = MonthQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(billing.as_dict(billing.month_figures(client, query.month_start())))


class ClientEconomicsView(APIView):
    """Covered hours a week, the FTE they take, and the comparison with one in-house employee."""

    @extend_schema(summary="A client's economics", responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, client_id: int) -> Response:
        client = billed_client(request.user, client_id)
        return Response({"client": client.pk, **client_economics(client, now=timezone.now()).as_dict()})
