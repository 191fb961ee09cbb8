"""HTTP edges of the clients domain: the widget's offline form, the second demo page."""
from __future__ import annotations

import json

from csp.decorators import csp_exempt
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from chats import errors as chat_errors
from chats.views import check_visitor_floods, error_response, widget_client, with_cors
from clients import errors, services
from clients.models import Client

TEXT_FIELDS = ("name", "email", "message")


def offline_message_fields(request: HttpRequest) -> dict:
    """name, email, message as text and consent as a boolean (JSON true, or "true"/"on"/"1" in a form)."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise chat_errors.InvalidInput(chat_errors.BadJson.default_detail) from None
        if not isinstance(data, dict):
            raise chat_errors.InvalidInput(chat_errors.BadJson.default_detail)
        fields = {key: data[key] if isinstance(data.get(key), str) else "" for key in TEXT_FIELDS}
        return {**fields, "consent": data.get("consent") is True}
    fields = {key: request.POST.get(key, "") for key in TEXT_FIELDS}
    return {**fields, "consent": request.POST.get("consent", "").lower() in {"true", "on", "1"}}


@csp_exempt()  # the widget's endpoints and pages embedding it live under the client's policy
@csrf_exempt
@require_http_methods(["POST", "OPTIONS"])
def leave_offline_message(request: HttpRequest, widget_key: str) -> HttpResponse:
    if request.method == "OPTIONS":
        return with_cors(request, HttpResponse(status=204))
    try:
        client = widget_client(request, widget_key)
        check_visitor_floods(request, client, action="offline-messages",
                             per_ip=settings.CHAT_OFFLINE_MESSAGES_PER_IP_PER_HOUR,
                             per_widget=settings.CHAT_OFFLINE_MESSAGES_PER_WIDGET_PER_HOUR)
        offline_message = services.leave_offline_message(
            client=client, language=get_language(), **offline_message_fields(request)
        )
    except chat_errors.ChatError as error:
        return with_cors(request, error_response(error))
    except errors.InvalidInput as error:
        return with_cors(request, error_response(chat_errors.InvalidInput(error.detail)))
    return with_cors(request, JsonResponse({"id": offline_message.pk}, status=201))


@csp_exempt()  # the widget's endpoints and pages embedding it live under the client's policy
def kowalski_demo_page(request: HttpRequest) -> HttpResponse:
    """The second demo client's website (real coverage hours, Europe/Warsaw)."""
    client = Client.objects.filter(slug="sklep-kowalski").first()
    return render(request, "clients/demo_kowalski.html", {"client": client})
