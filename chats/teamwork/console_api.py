"""The console's JSON endpoints of teamwork: a chat's tags, the agent's notification preferences,
and whom a chat may be transferred to (session auth, CSRF-checked; errors `{"code", "detail"}`)."""
from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_http_methods

from agency.models import Team
from chats.teamwork import preferences, tags, transfers
from chats.views import json_object, requesting_agent
from core.errors import RelevoError, error_response


@require_http_methods(["GET", "PUT"])
def conversation_tags(request: HttpRequest, conversation_id: int) -> JsonResponse:
    """GET the client's tags and the chat's; PUT `{"tags": [ids]}` replaces the chat's."""
    try:
        agent = requesting_agent(request)
        if request.method == "PUT":
            conversation = tags.set_conversation_tags(conversation_id=conversation_id, agent=agent,
                                                      tag_ids=json_object(request).get("tags"))
        else:
            conversation = tags.tagging_conversation(conversation_id=conversation_id, agent=agent)
        return JsonResponse(tags.tags_payload(conversation))
    except RelevoError as error:
        return error_response(error)


@require_http_methods(["GET"])
def transfer_targets(request: HttpRequest, conversation_id: int) -> JsonResponse:
    """The agents (other than the caller) who serve the chat's client, and the teams."""
    try:
        agent = requesting_agent(request)
        conversation = tags.tagging_conversation(conversation_id=conversation_id, agent=agent)
        agents = transfers.agents_serving(conversation.client_id, exclude=agent.pk)
        return JsonResponse({
            "agents": [{"id": a.pk, "name": a.display_name, "presence": a.presence,
                        "has_free_slot": a.active_chats < a.max_concurrent_chats} for a in agents],
            "teams": [{"id": t.pk, "name": t.name} for t in Team.objects.filter(members__in=agents).distinct()],
        })
    except RelevoError as error:
        return error_response(error)


@require_http_methods(["GET", "PUT"])
def console_preferences(request: HttpRequest) -> JsonResponse:
    """GET or PUT `{"desktop_notifications": bool, "sound": bool}`."""
    try:
        agent = requesting_agent(request)
        if request.method == "PUT":
            return JsonResponse(preferences.update_preferences(agent=agent, changes=json_object(request)))
        return JsonResponse(preferences.preferences_of(agent))
    except RelevoError as error:
        return error_response(error)
