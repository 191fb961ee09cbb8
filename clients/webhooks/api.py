"""REST API v1: `/api/v1/webhooks/` (CRUD), each endpoint's delivery log and redelivery.

Client owners manage their own client's endpoints, agency admins everyone's; others get 403.
Another client's endpoint or delivery is a 404, as everywhere in the API."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from clients.models.webhooks import WebhookEndpoint
from clients.webhooks import selectors, services
from clients.webhooks.serializers import WebhookDeliverySerializer, WebhookEndpointSerializer


class MayManageWebhooks(BasePermission):
    """A client's owners (their own client's endpoints) and agency admins (every client's)."""

    def has_permission(self, request, view) -> bool:
        return selectors.may_manage_webhooks(request.user)


@extend_schema_view(
    list=extend_schema(summary="Webhook endpoints you manage"),
    create=extend_schema(summary="Add a webhook endpoint (its signing secret is generated)"),
)
class WebhookEndpointViewSet(viewsets.ModelViewSet):
    """URLs of the client's systems that receive signed events (docs/webhooks.md)."""

    serializer_class = WebhookEndpointSerializer
    permission_classes = [MayManageWebhooks]

    def get_queryset(self):
        return selectors.endpoints_managed_by(self.request.user).order_by("client_id", "pk")

    def perform_create(self, serializer) -> None:
        serializer.instance = services.save_endpoint(WebhookEndpoint(**serializer.validated_data))

    def perform_update(self, serializer) -> None:
        endpoint = serializer.instance
        for field, value in serializer.validated_data.items():
            setattr(endpoint, field, value)
        serializer.instance = services.save_endpoint(endpoint)

    def perform_destroy(self, instance) -> None:
        services.delete_endpoint(instance)

    @extend_schema(summary="A new signing secret", request=None, responses=WebhookEndpointSerializer)
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request: Request, pk=None) -> Response:
        return Response(
            WebhookEndpointSerializer(services.rotate_secret(self.get_object()), context={"request": request}).data
        )

    @extend_schema(
        summary="The endpoint's latest deliveries and their attempts", responses=WebhookDeliverySerializer(many=True)
    )
    @action(detail=True, methods=["get"])
    def deliveries(self, request: Request, pk=None) -> Response:
        return Response(WebhookDeliverySerializer(selectors.delivery_log(self.get_object()), many=True).data)

    @extend_schema(
        summary="Send a delivered or failed event again (same event id)",
        request=None,
        responses=WebhookDeliverySerializer,
    )
    @action(detail=True, methods=["post"], url_path=r"deliveries/(?P<delivery_id>[0-9]+)/redeliver")
    def redeliver(self, request: Request, pk=None, delivery_id=None) -> Response:
        row = get_object_or_404(self.get_object().deliveries, pk=delivery_id)
        return Response(WebhookDeliverySerializer(services.redeliver(row)).data)
