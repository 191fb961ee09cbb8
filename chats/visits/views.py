"""The console's endpoints for live visitors: the list (agents and supervisors) and an agent's invitation."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET, require_POST

from agency.models import Agent
from chats import agent_presence, errors
from chats.requesters import agent_endpoint
from chats.visits import selectors
from chats.visits import services as visit_services
from clients.selectors import clients_visible_to, is_agency_wide, is_client_side
from core.edges import json_endpoint, json_object


@login_required
@require_GET
@json_endpoint
def live_visitors(request: HttpRequest) -> HttpResponse:
    """Agents: the visitors of the clients they serve; supervisors: every client's. Nobody else."""
    user = request.user
    if is_client_side(user) or not (is_agency_wide(user) or agent_presence.agent_for_user(user)):
        raise errors.Forbidden()
    return JsonResponse({"visitors": selectors.live_visitors(clients=clients_visible_to(user))})


@login_required
@require_POST
@agent_endpoint
def invite(request: HttpRequest, agent: Agent, visit_key: str) -> HttpResponse:
    if is_client_side(request.user):
        raise errors.Forbidden()
    try:
        key = uuid.UUID(visit_key)
    except ValueError:
        raise errors.NotFound() from None
    text = json_object(request).get("text") if request.body else ""
    invitation = visit_services.invite_by_agent(agent=agent, visit_key=key, text=text if isinstance(text, str) else "")
    return JsonResponse({"invitation": invitation.pk}, status=201)
