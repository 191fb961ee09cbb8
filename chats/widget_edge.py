"""The widget's public HTTP edge: every endpoint a client's site calls goes through `widget_endpoint`
(CORS and preflight, no CSRF or CSP, the widget key and Origin checked, domain errors answered by
core.edges.json_endpoint), reads its body with `request_data`, and the message forms share one
flood check."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from csp.decorators import csp_exempt
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from chats import services
from clients.models import Client
from clients.origins import Origin, parse_origin
from clients.widget_access import client_for_widget
from core.edges import View, json_endpoint, json_object

WidgetView = Callable[[HttpRequest, Client], HttpResponse]


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


def widget_endpoint(*methods: str) -> Callable[[WidgetView], View]:
    """Wrap a view of the widget's public API: CORS and preflight, no CSRF or CSP (the client's
    site holds the page), the widget key and Origin checked, and every domain error answered by
    core.edges.json_endpoint. The view gets the client. Only an allowed Origin is echoed: a
    refused one gets no CORS headers at all, an error of the view itself gets them."""

    def decorate(view: WidgetView) -> View:
        answered = json_endpoint(view)

        @csp_exempt()
        @csrf_exempt
        @require_http_methods([*methods, "OPTIONS"])
        @vary_on_headers("Origin", "Accept-Language")
        @json_endpoint
        @wraps(view)
        def endpoint(request: HttpRequest, widget_key: str) -> HttpResponse:
            origin = request.headers.get("Origin")
            client = client_for_widget(widget_key, origin, may_lack_origin=request.method == "GET")
            response = HttpResponse(status=204) if request.method == "OPTIONS" else answered(request, client)
            return with_cors(response, parse_origin(origin))

        return endpoint

    return decorate


def is_ticked(data: dict, key: str = "consent") -> bool:
    """A checkbox: JSON true, or "true"/"on"/"1" in a form."""
    value = data.get(key)
    return value is True or (isinstance(value, str) and value.lower() in {"true", "on", "1"})
