"""REST API v1 of the clients domain: clients (with their coverage summary), coverage
hours (agency admins write them) and leads left outside coverage (marked handled)."""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from clients import services
from clients.api_scoping import ClientScopedQuerysetMixin
from clients.models import CoverageException, CoverageWindow, OfflineMessage
from clients.permissions import MayHandleLeads, ReadOnlyUnlessAgencyAdmin
from clients.selectors import clients_visible_to
from clients.serializers import (
    ClientSerializer,
    CoverageExceptionSerializer,
    CoverageWindowSerializer,
    OfflineMessageHandledSerializer,
    OfflineMessageSerializer,
)
from core.api_filters import ApiFilterSet, InstantFilter


@extend_schema_view(list=extend_schema(summary="Clients you may see"), retrieve=extend_schema(summary="A client"))
class ClientViewSet(viewsets.ReadOnlyModelViewSet):
    """Client businesses with their weekly coverage summary."""

    serializer_class = ClientSerializer

    def get_queryset(self):
        return (
            clients_visible_to(self.request.user)
            .order_by("name", "pk")
            .prefetch_related(
                Prefetch("coverage_windows", queryset=CoverageWindow.objects.order_by("weekday", "starts_at"))
            )
        )


class CoverageHoursViewSet(ClientScopedQuerysetMixin, viewsets.ModelViewSet):
    """Reads for everyone within their clients; writes (agency admins) go through clients.services."""

    permission_classes = [ReadOnlyUnlessAgencyAdmin]

    def perform_create(self, serializer) -> None:
        model = serializer.Meta.model
        serializer.instance = services.save_coverage_hours(model(**serializer.validated_data))

    def perform_update(self, serializer) -> None:
        hours = serializer.instance
        for field, value in serializer.validated_data.items():
            setattr(hours, field, value)
        serializer.instance = services.save_coverage_hours(hours)

    def perform_destroy(self, instance) -> None:
        services.remove_coverage_hours(instance)


class CoverageWindowFilter(ApiFilterSet):
    client = django_filters.NumberFilter(field_name="client_id")

    class Meta:
        model = CoverageWindow
        fields = ["client", "weekday"]


@extend_schema_view(list=extend_schema(summary="Weekly coverage windows"))
class CoverageWindowViewSet(CoverageHoursViewSet):
    """Every week on `weekday`, the client's chats are answered from `starts_at` to `ends_at` (its timezone)."""

    queryset = CoverageWindow.objects.order_by("client_id", "weekday", "starts_at", "pk")
    serializer_class = CoverageWindowSerializer
    filterset_class = CoverageWindowFilter


class CoverageExceptionFilter(ApiFilterSet):
    client = django_filters.NumberFilter(field_name="client_id")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = CoverageException
        fields = ["client", "is_closed"]


@extend_schema_view(list=extend_schema(summary="Dated coverage exceptions"))
class CoverageExceptionViewSet(CoverageHoursViewSet):
    """A date closed all day or with special hours, instead of the weekly windows."""

    queryset = CoverageException.objects.order_by("client_id", "date", "starts_at", "pk")
    serializer_class = CoverageExceptionSerializer
    filterset_class = CoverageExceptionFilter


class OfflineMessageFilter(ApiFilterSet):
    client = django_filters.NumberFilter(field_name="client_id")
    received_after = InstantFilter(field_name="created_at", lookup_expr="gte")
    received_before = InstantFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = OfflineMessage
        fields = ["client", "is_handled"]


@extend_schema_view(
    list=extend_schema(summary="Leads (offline messages)"),
    partial_update=extend_schema(
        summary="Mark a lead handled (or not)",
        request=OfflineMessageHandledSerializer,
        responses=OfflineMessageSerializer,
    ),
)
class OfflineMessageViewSet(
    ClientScopedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """What visitors wrote while nobody covered the client; newest first."""

    queryset = OfflineMessage.objects.order_by("-created_at", "-pk")
    serializer_class = OfflineMessageSerializer
    filterset_class = OfflineMessageFilter
    permission_classes = [MayHandleLeads]
    http_method_names = ["get", "patch", "head", "options"]

    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        offline_message = self.get_object()
        change = OfflineMessageHandledSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        services.mark_offline_message_handled(
            offline_message=offline_message, is_handled=change.validated_data["is_handled"]
        )
        return Response(OfflineMessageSerializer(offline_message).data)
