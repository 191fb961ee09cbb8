"""HTTP edges of the chat: the widget's public endpoints (config, conversations, offline
form), the demo pages embedding it, and the agent console."""

from __future__ import annotations

from csp.decorators import csp_exempt
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from agency.models import Agent
from chats import protocol, services, widget_strings
from chats.leads import intake
from chats.leads.selectors import pre_chat_config
from chats.ratings import widget as ratings_widget
from chats.requesters import agent_page
from chats.widget_edge import check_offline_message_floods, is_ticked, request_data, widget_endpoint
from clients import coverage
from clients.models import Client


@widget_endpoint("GET")
def widget_config(request: HttpRequest, client: Client) -> HttpResponse:
    now = timezone.now()
    is_open, opening = coverage.opening_status(client, now)
    return JsonResponse(
        {
            "client": {"name": client.name},
            "language": get_language(),
            "strings": widget_strings.strings(),
            "status": "online" if is_open else "offline",
            "next_opening": protocol.iso(opening),
            "max_body_chars": settings.CHAT_MAX_BODY_CHARS,
            "pre_chat": pre_chat_config(client),
            "tracks_visitors": client.tracks_visitors_before_chat,  # live visits before a chat (chats.visits)
            "quality": ratings_widget.widget_config(client),
        }
    )


@widget_endpoint("POST")
def start_conversation(request: HttpRequest, client: Client) -> HttpResponse:
    services.check_new_chat_floods(address=request.META.get("REMOTE_ADDR", ""), widget_key=client.widget_key)
    data = request_data(request)
    fields = {key: str(data.get(key) or "") for key in ("name", "email", "phone", "page_url")}
    started = intake.start_conversation(client=client, language=get_language(), has_consent=is_ticked(data), **fields)
    if isinstance(started, services.ClientOffline):
        return JsonResponse({"status": "offline", "next_opening": protocol.iso(started.next_opening)})
    return JsonResponse(
        {
            "id": started.conversation.pk,
            "token": started.token,
            "status": started.conversation.status,
            "queue_position": started.queue_position,
        },
        status=201,
    )


TEXT_FIELDS = ("name", "email", "message")


def offline_message_fields(request: HttpRequest) -> dict:
    """name, email, message as text and consent as a boolean (JSON true, or "true"/"on"/"1" in a form)."""
    data = request_data(request)
    fields = {key: data[key] if isinstance(data.get(key), str) else "" for key in TEXT_FIELDS}
    return {**fields, "consent": is_ticked(data)}


@widget_endpoint("POST")
def leave_offline_message(request: HttpRequest, client: Client) -> HttpResponse:
    check_offline_message_floods(request, client)
    offline_message = intake.leave_offline_message(
        client=client, language=get_language(), **offline_message_fields(request)
    )
    return JsonResponse({"id": offline_message.pk}, status=201)


@csp_exempt()  # the widget's endpoints and pages embedding it live under the client's policy
def kowalski_demo_page(request: HttpRequest) -> HttpResponse:
    """The second demo client's website (real coverage hours, Europe/Warsaw)."""
    client = Client.objects.filter(slug="sklep-kowalski").first()
    return render(request, "chats/demo_kowalski.html", {"client": client})


@csp_exempt()  # the widget's endpoints and pages embedding it live under the client's policy
def demo_page(request: HttpRequest) -> HttpResponse:
    """A page of the demo client's website, embedding the widget as any client would."""
    client = Client.objects.filter(slug="demo-shop").first()
    return render(request, "chats/demo.html", {"client": client})


@agent_page
def console(request: HttpRequest, agent: Agent) -> HttpResponse:
    return render(request, "chats/console.html", {"agent": agent, "max_body_chars": settings.CHAT_MAX_BODY_CHARS})
