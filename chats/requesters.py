"""Who is calling the console: the one agent guard of its JSON endpoints and of its pages.

`agent_endpoint` is `core.edges.json_endpoint` with the requesting agent resolved: a visitor
of the page who is not logged in gets 401 `not_authenticated`, a logged-in non-agent 403
`forbidden`, and the view gets the `Agent` as its second argument. `agent_page` is the same
guard for the console's HTML pages: log in first (a redirect), a non-agent gets the console's
"for agents" page (403)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from agency.models import Agent
from chats import agent_presence, errors
from core.edges import json_endpoint
from core.errors import NotAuthenticated


def requesting_agent(request: HttpRequest) -> Agent:
    """The logged-in agent calling a console endpoint: NotAuthenticated, or Forbidden for a non-agent."""
    if not request.user.is_authenticated:
        raise NotAuthenticated()
    agent = agent_presence.agent_for_user(request.user)
    if agent is None:
        raise errors.Forbidden()
    return agent


agent_endpoint = json_endpoint(requester=requesting_agent)


def agent_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The console's pages: `requesting_agent`'s rule, answered as a page; the view gets the `Agent`."""

    @login_required
    @wraps(view)
    def page(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        agent = agent_presence.agent_for_user(request.user)
        if agent is None:
            return render(request, "chats/not_an_agent.html", status=403)
        return view(request, agent, *args, **kwargs)

    return page
