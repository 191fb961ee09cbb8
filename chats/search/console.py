"""`GET /console/api/search/?q=`: the console's history search, over the chats of the clients
the agent serves (chats.search; the tenant rule of clients.selectors)."""
from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from chats import protocol, services
from chats.search import selectors as search
from core.errors import Forbidden, NotAuthenticated, RelevoError, error_response

RESULTS = 30


@require_GET
def console_search(request: HttpRequest) -> JsonResponse:
    try:
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        if services.agent_for_user(request.user) is None:
            raise Forbidden()
        found = list(search.search_messages(user=request.user, query=request.GET.get("q", ""),
                                            language=request.GET.get("language") or get_language())[:RESULTS])
    except RelevoError as error:
        return error_response(error)
    return JsonResponse({"results": [{
        "conversation": message.conversation_id, "client": message.conversation.client.name,
        "visitor": message.conversation.visitor.name, "seq": message.seq, "sender": message.sender,
        "body": message.body, "at": protocol.iso(message.created_at),
    } for message in found]})
