"""HTTP edges of the clients domain: the widget's offline form, the second demo page."""
from __future__ import annotations

from csp.decorators import csp_exempt
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language

from chats import errors as chat_errors
from chats.views import check_visitor_floods, request_data, widget_endpoint
from clients import errors, services
from clients.models import Client

TEXT_FIELDS = ("name", "email", "message")


def offline_message_fields(request: HttpRequest) -> dict:
    """name, email, message as text and consent as a boolean (JSON true, or "true"/"on"/"1" in a form)."""
    data = request_data(request)
    fields = {key: data[key] if isinstance(data.get(key), str) else "" for key in TEXT_FIELDS}
    consent = data.get("consent")
    given = consent is True or (isinstance(consent, str) and consent.lower() in {"true", "on", "1"})
    return {**fields, "consent": given}


@widget_endpoint("POST")
def leave_offline_message(request: HttpRequest, client: Client) -> HttpResponse:
    check_visitor_floods(request, client, action="offline-messages",
                         per_ip=settings.CHAT_OFFLINE_MESSAGES_PER_IP_PER_HOUR,
                         per_widget=settings.CHAT_OFFLINE_MESSAGES_PER_WIDGET_PER_HOUR)
    try:
        offline_message = services.leave_offline_message(
            client=client, language=get_language(), **offline_message_fields(request)
        )
    except errors.InvalidInput as error:
        raise chat_errors.InvalidInput(error.detail) from None
    return JsonResponse({"id": offline_message.pk}, status=201)


@csp_exempt()  # the widget's endpoints and pages embedding it live under the client's policy
def kowalski_demo_page(request: HttpRequest) -> HttpResponse:
    """The second demo client's website (real coverage hours, Europe/Warsaw)."""
    client = Client.objects.filter(slug="sklep-kowalski").first()
    return render(request, "clients/demo_kowalski.html", {"client": client})
