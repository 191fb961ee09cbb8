"""`GET /console/api/search/?q=`: the console's history search, over the chats of the clients
the agent serves (chats.search; the tenant rule of clients.selectors). Each result links to
`/console/chats/<id>/`, that chat's readable history (chats.history: the same clients, and the
notes only for the agency's people)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from agency.models import Agent
from chats import protocol
from chats.errors import NotFound
from chats.history import chat_history
from chats.requesters import agent_endpoint, agent_page
from chats.search import selectors as search

RESULTS = 30


@require_GET
@agent_endpoint
def console_search(request: HttpRequest, agent: Agent) -> JsonResponse:
    found = list(
        search.search_messages(
            user=request.user, query=request.GET.get("q", ""), language=request.GET.get("language") or get_language()
        )[:RESULTS]
    )
    return JsonResponse(
        {
            "results": [
                {
                    "conversation": message.conversation_id,
                    "client": message.conversation.client.name,
                    "visitor": message.conversation.visitor.name,
                    "seq": message.seq,
                    "sender": message.sender,
                    "body": message.body,
                    "at": protocol.iso(message.created_at),
                    "url": f"{reverse('console-chat-history', args=[message.conversation_id])}#m{message.seq}",
                }
                for message in found
            ]
        }
    )


@require_GET
@agent_page
def chat_history_page(request: HttpRequest, agent: Agent, conversation_id: int) -> HttpResponse:
    """One chat of the agent's clients, whole: where a console search result leads (agents only, as
    the console itself)."""
    try:
        history = chat_history(user=request.user, conversation_id=conversation_id)
    except NotFound:
        raise Http404 from None
    return render(request, "chats/history.html", {"history": history})
