"""Who is calling a console endpoint: the one agent guard of the console's JSON endpoints.

`agent_endpoint` is `core.edges.json_endpoint` with the requesting agent resolved: a visitor
of the page who is not logged in gets 401 `not_authenticated`, a logged-in non-agent 403
`forbidden`, and the view gets the `Agent` as its second argument."""

from __future__ import annotations

from django.http import HttpRequest

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
