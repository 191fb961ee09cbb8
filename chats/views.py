"""HTTP edges of the chat: the widget's public endpoints (config, conversations, offline
form), the demo pages embedding it, and the agent console."""

from __future__ import annotations

import json
from functools import wraps

from csp.decorators import csp_exempt
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from chats import errors, intake, protocol, services, widget_strings
from chats.leads.selectors import pre_chat_config
from chats.ratings import widget as ratings_widget
from clients import coverage
from clients.models import Client
from clients.origins import Origin, parse_origin
from clients.widget_access import client_for_widget
from core.errors import RelevoError, error_response


def check_offline_message_floods(request: HttpRequest, client: Client) -> None:
    """Raise RateLimited when this IP or this widget left too many messages this hour: the offline
    form and the queue's "leave a message" count together (the same kind of message, left by a visitor).

    The IP is the peer address: behind a proxy, run uvicorn with --proxy-headers so it is the visitor's."""
    services.check_visitor_floods(
        address=request.META.get("REMOTE_ADDR", ""),
        widget_key=client.widget_key,
        action="offline-messages",
        per_ip=settings.CHAT_OFFLINE_MESSAGES_PER_IP_PER_HOUR,
        per_widget=settings.CHAT_OFFLINE_MESSAGES_PER_WIDGET_PER_HOUR,
    )


def with_cors(response: HttpResponse, origin: Origin | None) -> HttpResponse:
    """The widget calls from the client's own site: echo its Origin, once checked (None: no echo)."""
    response["Vary"] = "Origin, Accept-Language"
    if origin is not None:
        response["Access-Control-Allow-Origin"] = str(origin)
        response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Content-Type"
        response["Access-Control-Max-Age"] = "600"
    return response


def request_data(request: HttpRequest) -> dict:
    """The body of a widget call: a JSON object, or form fields."""
    if request.content_type != "application/json":
        return request.POST.dict()
    return json_object(request)


def json_object(request: HttpRequest) -> dict:
    """The request body as a JSON object, or InvalidInput."""
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise errors.InvalidInput(errors.BadJson.default_detail) from None
    if not isinstance(data, dict):
        raise errors.InvalidInput(errors.BadJson.default_detail)
    return data


def widget_endpoint(*methods: str):
    """Wrap a view of the widget's public API: CORS and preflight, no CSRF or CSP
    (the client's site holds the page), the widget key and Origin checked, and
    every domain error answered as `{"code", "detail"}`. The view gets the client.
    Only an allowed Origin is echoed: a refused one gets no CORS headers at all."""

    def decorate(view):
        @csp_exempt()
        @csrf_exempt
        @require_http_methods([*methods, "OPTIONS"])
        @wraps(view)
        def endpoint(request: HttpRequest, widget_key: str) -> HttpResponse:
            origin = None
            try:
                client = client_for_widget(
                    widget_key, request.headers.get("Origin"), may_lack_origin=request.method == "GET"
                )
                origin = parse_origin(request.headers.get("Origin"))
                response = HttpResponse(status=204) if request.method == "OPTIONS" else view(request, client)
            except RelevoError as error:
                response = error_response(error)
            return with_cors(response, origin)

        return endpoint

    return decorate


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


def is_ticked(data: dict, key: str = "consent") -> bool:
    """A checkbox: JSON true, or "true"/"on"/"1" in a form."""
    value = data.get(key)
    return value is True or (isinstance(value, str) and value.lower() in {"true", "on", "1"})


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


@login_required
def console(request: HttpRequest) -> HttpResponse:
    agent = services.agent_for_user(request.user)
    if agent is None:
        return render(request, "chats/not_an_agent.html", status=403)
    return render(request, "chats/console.html", {"agent": agent, "max_body_chars": settings.CHAT_MAX_BODY_CHARS})
