"""The console's JSON endpoints of teamwork: a chat's tags, the agent's notification preferences,
and whom a chat may be transferred to (session auth, CSRF-checked; errors `{"code", "detail"}`)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_http_methods

from agency.models import Agent, Team
from chats.requesters import agent_endpoint
from chats.teamwork import preferences, tags, transfers
from core.edges import json_object


@require_http_methods(["GET", "PUT"])
@agent_endpoint
def conversation_tags(request: HttpRequest, agent: Agent, conversation_id: int) -> JsonResponse:
    """GET the client's tags and the chat's; PUT `{"tags": [ids]}` replaces the chat's."""
    if request.method == "PUT":
        conversation = tags.set_conversation_tags(
            conversation_id=conversation_id, agent=agent, tag_ids=json_object(request).get("tags")
        )
    else:
        conversation = tags.tagging_conversation(conversation_id=conversation_id, agent=agent)
    return JsonResponse(tags.tags_payload(conversation))


@require_http_methods(["GET"])
@agent_endpoint
def transfer_targets(request: HttpRequest, agent: Agent, conversation_id: int) -> JsonResponse:
    """The agents (other than the caller) who serve the chat's client, and the teams."""
    conversation = tags.tagging_conversation(conversation_id=conversation_id, agent=agent)
    agents = transfers.agents_serving(conversation.client_id, exclude=agent.pk)
    return JsonResponse(
        {
            "agents": [
                {
                    "id": a.pk,
                    "name": a.display_name,
                    "presence": a.presence,
                    "has_free_slot": a.active_chats < a.max_concurrent_chats,
                }
                for a in agents
            ],
            "teams": [{"id": t.pk, "name": t.name} for t in Team.objects.filter(members__in=agents).distinct()],
        }
    )


@require_http_methods(["GET", "PUT"])
@agent_endpoint
def console_preferences(request: HttpRequest, agent: Agent) -> JsonResponse:
    """GET or PUT `{"desktop_notifications": bool, "sound": bool}`."""
    if request.method == "PUT":
        return JsonResponse(preferences.update_preferences(agent=agent, changes=json_object(request)))
    return JsonResponse(preferences.preferences_of(agent))
