"""The console's JSON reads of a client's material: briefing, FAQ and canned replies.

Only a logged-in agent who serves the client gets them; anyone else gets
403 `{"code": "forbidden", "detail": ...}`, an unknown client 404.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from clients import services
from clients.models import Client
from clients.selectors import clients_visible_to
from core.edges import json_endpoint
from core.errors import Forbidden, NotFound


def check_serving(request: HttpRequest, client_id: int) -> None:
    """Pass when the user is an agent serving the client (within the tenant rule), else raise the refusal."""
    user = request.user
    if not user.is_authenticated:
        raise Forbidden(_("Log in first."))
    if not Client.objects.filter(pk=client_id).exists():
        raise NotFound()
    if not clients_visible_to(user).filter(pk=client_id, agents__user=user).exists():
        raise Forbidden(_("You do not serve this client."))


@require_GET
@json_endpoint
def briefing(request: HttpRequest, client_id: int) -> JsonResponse:
    check_serving(request, client_id)
    return JsonResponse(services.briefing_for(client_id))


@require_GET
@json_endpoint
def canned_replies(request: HttpRequest, client_id: int) -> JsonResponse:
    check_serving(request, client_id)
    found = services.search_canned_replies(client_id, request.GET.get("q", "")[:100])
    return JsonResponse({"canned_replies": found})
