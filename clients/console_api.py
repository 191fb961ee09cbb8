"""The console's JSON reads of a client's material: briefing, FAQ and canned replies.

Only a logged-in agent who serves the client gets them; anyone else gets
403 `{"code": "forbidden", "detail": ...}`, an unknown client 404.
"""
from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from agency.selectors import clients_visible_to
from clients import errors, services
from clients.models import Client


def refusal(code: str, detail: str, status: int) -> JsonResponse:
    return JsonResponse({"code": code, "detail": detail}, status=status)


def refusal_unless_serving(request: HttpRequest, client_id: int) -> JsonResponse | None:
    """None when the user is an agent serving the client (within the tenant rule), else the refusal."""
    user = request.user
    if not user.is_authenticated:
        return refusal("forbidden", _("Log in first."), 403)
    if not Client.objects.filter(pk=client_id).exists():
        return refusal("not_found", _("Not found."), 404)
    if not clients_visible_to(user).filter(pk=client_id, agents__user=user).exists():
        return refusal("forbidden", _("You do not serve this client."), 403)
    return None


@require_GET
def briefing(request: HttpRequest, client_id: int) -> JsonResponse:
    refused = refusal_unless_serving(request, client_id)
    return refused or JsonResponse(services.briefing_for(client_id))


@require_GET
def canned_replies(request: HttpRequest, client_id: int) -> JsonResponse:
    refused = refusal_unless_serving(request, client_id)
    if refused:
        return refused
    try:
        found = services.search_canned_replies(client_id, request.GET.get("q", "")[:100])
    except errors.InvalidInput as error:
        return refusal(error.code, error.detail, 400)
    return JsonResponse({"canned_replies": found})
