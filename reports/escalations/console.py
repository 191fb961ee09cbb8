"""The console's JSON endpoints for escalations and feedback (session auth, CSRF-checked).

Errors are `{"code", "detail"}` like every other Relevo endpoint.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_http_methods

from agency.models import Agent
from chats import errors
from chats.history import served_chat, served_chat_history
from chats.models import Conversation
from chats.protocol import iso
from chats.requesters import agent_endpoint
from chats.transcript import frame_of
from core.edges import json_object
from reports import selectors
from reports.escalations import selectors as recent
from reports.escalations import services
from reports.escalations.serializers import ConsoleEscalationSerializer
from reports.models import ClientReportSettings, Escalation, Feedback, category_label


def escalation_payload(escalation: Escalation) -> dict:
    return ConsoleEscalationSerializer(escalation).data


def feedback_payload(feedback: Feedback) -> dict:
    return {
        "id": feedback.pk,
        "conversation": feedback.conversation_id,
        "kind": feedback.kind,
        "text": feedback.text,
        "created_at": iso(feedback.created_at),
    }


def optional_int(value) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise errors.InvalidInput(errors.BadFrame.default_detail)
    return value


@require_http_methods(["GET", "POST"])
@agent_endpoint
def escalations(request: HttpRequest, agent: Agent, conversation_id: int) -> JsonResponse:
    if request.method == "GET":
        found = services.escalations_for_agent(conversation_id=conversation_id, agent=agent)
        return JsonResponse({"escalations": [escalation_payload(e) for e in found]})
    data = json_object(request)
    escalation = services.escalate_question(
        conversation_id=conversation_id,
        agent=agent,
        question=str(data.get("question") or ""),
        category=str(data.get("category") or ""),
        urgency=str(data.get("urgency") or "normal"),
        note=str(data.get("note") or ""),
        source_seq=optional_int(data.get("source_seq")),
    )
    return JsonResponse(escalation_payload(escalation), status=201)


@require_http_methods(["POST"])
@agent_endpoint
def feedback(request: HttpRequest, agent: Agent, conversation_id: int) -> JsonResponse:
    data = json_object(request)
    recorded = services.record_feedback(
        conversation_id=conversation_id, agent=agent, kind=str(data.get("kind") or ""), text=str(data.get("text") or "")
    )
    return JsonResponse(feedback_payload(recorded), status=201)


@require_http_methods(["GET"])
@agent_endpoint
def escalation_categories(request: HttpRequest, agent: Agent, conversation_id: int) -> JsonResponse:
    """The categories the agent may file this conversation's escalations under."""
    conversation = served_chat(agent=agent, conversation_id=conversation_id)
    codes = ClientReportSettings.of(conversation.client_id).categories
    return JsonResponse({"categories": [{"code": code, "label": category_label(code)} for code in codes]})


@require_http_methods(["GET"])
@agent_endpoint
def visitor_history(request: HttpRequest, agent: Agent, conversation_id: int) -> JsonResponse:
    """The visitor's earlier escalations at this client (matched by any email they gave) and their answers."""
    conversation = served_chat(
        agent=agent, conversation_id=conversation_id, conversations=Conversation.objects.select_related("visitor")
    )
    earlier = selectors.visitor_history(conversation)
    return JsonResponse({"escalations": [escalation_payload(escalation) for escalation in earlier]})


@require_http_methods(["GET"])
@agent_endpoint
def recent_chats(request: HttpRequest, agent: Agent) -> JsonResponse:
    """The agent's recently ended chats with their escalations and the client's answers."""
    found = recent.recent_chats_of(agent=agent, user=request.user)
    return JsonResponse({"chats": [recent.recent_chat_payload(conversation) for conversation in found]})


@require_http_methods(["GET"])
@agent_endpoint
def recent_chat(request: HttpRequest, agent: Agent, conversation_id: int) -> JsonResponse:
    """One chat the agent served, with its whole history, to read (not to write in)."""
    history = served_chat_history(agent=agent, conversation_id=conversation_id)
    return JsonResponse(
        {
            "conversation": recent.recent_chat_payload(history.conversation),
            "messages": [frame_of(message) for message in history.transcript],
        }
    )
