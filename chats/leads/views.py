"""HTTP edges of leads in the chat: the widget's "leave a message" while queued, and the
console's lead card. Lists and exports are in chats.leads.api and the portal."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agency.models import Agent
from chats import errors
from chats.leads import intake
from chats.leads import services as lead_services
from chats.leads.models import Lead
from chats.models import Conversation
from chats.protocol import iso
from chats.requesters import agent_endpoint
from chats.widget_edge import check_offline_message_floods, is_ticked, request_data, widget_endpoint
from clients.models import Client
from clients.selectors import clients_visible_to
from core.edges import json_object

CONTACT_FIELDS = ("name", "email", "phone")


def text_fields(data: dict, keys: tuple[str, ...]) -> dict[str, str]:
    return {key: data[key] if isinstance(data.get(key), str) else "" for key in keys}


@widget_endpoint("POST")
def leave_queue_message(request: HttpRequest, client: Client) -> HttpResponse:
    """A queued visitor leaves a message instead of waiting: `{conversation, token, name, email,
    phone, message, consent}` → 201 `{"id"}`; the chat is then missed and its lead carries the text.
    Counted with the offline form's hourly limits (the same kind of message, left by a visitor)."""
    check_offline_message_floods(request, client)
    data = request_data(request)
    conversation_id = data.get("conversation")
    if not isinstance(conversation_id, int) or isinstance(conversation_id, bool) or conversation_id <= 0:
        raise errors.InvalidInput(_("“conversation” must be a conversation id."))
    lead = intake.leave_message_while_queued(
        client=client,
        conversation_id=conversation_id,
        token=str(data.get("token") or ""),
        has_consent=is_ticked(data),
        **text_fields(data, (*CONTACT_FIELDS, "message")),
    )
    return JsonResponse({"id": lead.pk}, status=201)


def lead_card_payload(lead: Lead | None) -> dict:
    if lead is None:
        return {"lead": None}
    return {
        "lead": {
            "id": lead.pk,
            "source": lead.source,
            "name": lead.name,
            "email": lead.email,
            "phone": lead.phone,
            "consent": lead.has_consent,
            "consent_text": lead.consent_text,
            "created_at": iso(lead.created_at),
        }
    }


def agents_conversation(request: HttpRequest, agent: Agent, conversation_id: int) -> Conversation:
    """The conversation, if the requesting agent is its agent and serves its client; else the refusal."""
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        raise errors.NotFound()
    if (
        conversation.agent_id != agent.pk
        or not clients_visible_to(request.user).filter(pk=conversation.client_id, agents=agent).exists()
    ):
        raise errors.Forbidden()
    return conversation


@require_http_methods(["GET", "PUT", "POST"])
@agent_endpoint
def lead_card(request: HttpRequest, agent: Agent, conversation_id: int) -> JsonResponse:
    """GET the chat's lead (or null); PUT/POST `{name, email, phone, consent}` records it."""
    conversation = agents_conversation(request, agent, conversation_id)
    if request.method == "GET":
        return JsonResponse(lead_card_payload(Lead.objects.filter(conversation=conversation).first()))
    data = json_object(request)
    lead = lead_services.record_lead_card(
        conversation_id=conversation.pk, has_consent=is_ticked(data), **text_fields(data, CONTACT_FIELDS)
    )
    return JsonResponse(lead_card_payload(lead))
