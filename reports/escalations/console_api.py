"""The console's JSON endpoints for escalations and feedback (session auth, CSRF-checked).

Errors are `{"code", "detail"}` like every other Relevo endpoint.
"""
from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_http_methods

from chats import errors
from chats.models import Conversation
from chats.protocol import iso
from chats.views import json_object, requesting_agent
from core.errors import RelevoError, error_response
from reports import selectors
from reports.escalations import selectors as recent
from reports.escalations import services
from reports.escalations.serializers import ConsoleEscalationSerializer
from reports.models import ClientReportSettings, Escalation, Feedback, category_label


def escalation_payload(escalation: Escalation) -> dict:
    return ConsoleEscalationSerializer(escalation).data


def feedback_payload(feedback: Feedback) -> dict:
    return {"id": feedback.pk, "conversation": feedback.conversation_id, "kind": feedback.kind,
            "text": feedback.text, "created_at": iso(feedback.created_at)}


def optional_int(value) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise errors.InvalidInput(errors.BadFrame.default_detail)
    return value


@require_http_methods(["GET", "POST"])
def escalations(request: HttpRequest, conversation_id: int) -> JsonResponse:
    try:
        agent = requesting_agent(request)
        if request.method == "GET":
            found = services.escalations_for_agent(conversation_id=conversation_id, agent=agent)
            return JsonResponse({"escalations": [escalation_payload(e) for e in found]})
        data = json_object(request)
        escalation = services.escalate_question(
            conversation_id=conversation_id, agent=agent, question=str(data.get("question") or ""),
            category=str(data.get("category") or ""), urgency=str(data.get("urgency") or "normal"),
            note=str(data.get("note") or ""), source_seq=optional_int(data.get("source_seq")),
        )
    except RelevoError as error:
        return error_response(error)
    return JsonResponse(escalation_payload(escalation), status=201)


@require_http_methods(["POST"])
def feedback(request: HttpRequest, conversation_id: int) -> JsonResponse:
    try:
        agent = requesting_agent(request)
        data = json_object(request)
        recorded = services.record_feedback(conversation_id=conversation_id, agent=agent,
                                            kind=str(data.get("kind") or ""), text=str(data.get("text") or ""))
    except RelevoError as error:
        return error_response(error)
    return JsonResponse(feedback_payload(recorded), status=201)


def served_conversation(request: HttpRequest, conversation_id: int) -> Conversation:
    """The conversation, if the requesting agent serves or served it."""
    agent = requesting_agent(request)
    conversation = Conversation.objects.select_related("visitor").filter(pk=conversation_id).first()
    if conversation is None:
        raise errors.NotFound()
    services.check_agent_may_act(conversation=conversation, agent=agent)
    return conversation


@require_http_methods(["GET"])
def escalation_categories(request: HttpRequest, conversation_id: int) -> JsonResponse:
    """The categories the agent may file this conversation's escalations under."""
    try:
        conversation = served_conversation(request, conversation_id)
    except RelevoError as error:
        return error_response(error)
    codes = ClientReportSettings.of(conversation.client_id).categories
    return JsonResponse({"categories": [{"code": code, "label": category_label(code)} for code in codes]})


@require_http_methods(["GET"])
def visitor_history(request: HttpRequest, conversation_id: int) -> JsonResponse:
    """The visitor's earlier escalations at this client (matched by any email they gave) and their answers."""
    try:
        conversation = served_conversation(request, conversation_id)
    except RelevoError as error:
        return error_response(error)
    earlier = selectors.visitor_history(conversation)
    return JsonResponse({"escalations": [escalation_payload(escalation) for escalation in earlier]})


@require_http_methods(["GET"])
def recent_chats(request: HttpRequest) -> JsonResponse:
    """The agent's recently ended chats with their escalations and the client's answers."""
    try:
        agent = requesting_agent(request)
        found = recent.recent_chats_of(agent=agent, user=request.user)
    except RelevoError as error:
        return error_response(error)
    return JsonResponse({"chats": [recent.recent_chat_payload(conversation) for conversation in found]})


@require_http_methods(["GET"])
def recent_chat(request: HttpRequest, conversation_id: int) -> JsonResponse:
    """One chat the agent served, with its whole history, to read (not to write in)."""
    try:
        agent = requesting_agent(request)
        conversation = recent.served_chat(agent=agent, user=request.user, conversation_id=conversation_id)
    except RelevoError as error:
        return error_response(error)
    return JsonResponse({"conversation": recent.recent_chat_payload(conversation),
                         "messages": recent.chat_history(conversation)})
