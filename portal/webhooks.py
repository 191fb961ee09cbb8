"""The portal's webhook pages: a client's owner adds, edits and deletes its endpoints, reads each
one's delivery log and redelivers. Only the owner's own client's endpoints exist here (else 404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clients.models import WebhookDelivery, WebhookEndpoint
from clients.webhooks import selectors, services
from clients.webhooks.forms import WebhookEndpointForm
from core.errors import RelevoError
from portal.requesters import settings_owner_required


def own_endpoint(representative, endpoint_id: int) -> WebhookEndpoint:
    return get_object_or_404(WebhookEndpoint, pk=endpoint_id, client_id=representative.client_id)


ENDPOINT_TO_REVEAL = "webhook_endpoint_to_reveal"  # session key: the endpoint whose new secret the next visit shows


def show_secret_once(request: HttpRequest, endpoint: WebhookEndpoint) -> None:
    request.session[ENDPOINT_TO_REVEAL] = endpoint.pk


def is_secret_shown_now(request: HttpRequest, endpoint: WebhookEndpoint) -> bool:
    """True once after the secret was generated (created or rotated); masked on every other visit."""
    return request.session.pop(ENDPOINT_TO_REVEAL, None) == endpoint.pk


def saved(form: WebhookEndpointForm) -> WebhookEndpoint | None:
    """Save through the service; its field errors go back on the form."""
    try:
        return services.save_endpoint(form.save(commit=False))
    except ValidationError as error:
        form.add_error(None, error)
        return None


@settings_owner_required
def endpoint_list(request: HttpRequest, representative) -> HttpResponse:
    """The client's endpoints and a form to add one."""
    form = WebhookEndpointForm(request.POST or None, instance=WebhookEndpoint(client_id=representative.client_id))
    if request.method == "POST" and form.is_valid() and (endpoint := saved(form)):
        messages.success(request, _("The endpoint was added. Its signing secret is below."))
        show_secret_once(request, endpoint)
        return redirect("portal:webhook", endpoint.pk)
    endpoints = WebhookEndpoint.objects.filter(client_id=representative.client_id).order_by("pk")
    return render(
        request, "portal/webhooks.html", {"representative": representative, "endpoints": endpoints, "form": form}
    )


@settings_owner_required
def endpoint_detail(request: HttpRequest, representative, endpoint_id: int) -> HttpResponse:
    """One endpoint: its settings, its secret (whole only right after it was generated) and its
    delivery log with every attempt."""
    endpoint = own_endpoint(representative, endpoint_id)
    form = WebhookEndpointForm(request.POST or None, instance=endpoint)
    if request.method == "POST" and form.is_valid() and saved(form):
        messages.success(request, _("The endpoint was saved."))
        return redirect("portal:webhook", endpoint.pk)
    return render(
        request,
        "portal/webhook_detail.html",
        {
            "representative": representative,
            "endpoint": endpoint,
            "form": form,
            "deliveries": selectors.delivery_log(endpoint),
            "secret": endpoint.secret if is_secret_shown_now(request, endpoint) else None,
            "masked_secret": selectors.masked_secret(endpoint.secret),
        },
    )


@require_POST
@settings_owner_required
def endpoint_delete(request: HttpRequest, representative, endpoint_id: int) -> HttpResponse:
    services.delete_endpoint(own_endpoint(representative, endpoint_id))
    messages.success(request, _("The endpoint was deleted."))
    return redirect("portal:webhooks")


@require_POST
@settings_owner_required
def rotate_secret(request: HttpRequest, representative, endpoint_id: int) -> HttpResponse:
    endpoint = services.rotate_secret(own_endpoint(representative, endpoint_id))
    messages.success(request, _("A new signing secret was generated; the old one no longer signs."))
    show_secret_once(request, endpoint)
    return redirect("portal:webhook", endpoint.pk)


@require_POST
@settings_owner_required
def redeliver(request: HttpRequest, representative, delivery_id: int) -> HttpResponse:
    row = get_object_or_404(WebhookDelivery, pk=delivery_id, client_id=representative.client_id)
    try:
        services.redeliver(row)
    except RelevoError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("The event will be sent again."))
    return redirect("portal:webhook", row.endpoint_id)
