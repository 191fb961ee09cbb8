"""chats.requesters.agent_endpoint: the console's JSON endpoints find their agent in one place."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.test import RequestFactory

from chats.requesters import agent_endpoint, requesting_agent
from conftest import make_agent, make_client

pytestmark = pytest.mark.django_db


@agent_endpoint
def whoami(request, agent, conversation_id):
    return JsonResponse({"agent": agent.pk, "conversation": conversation_id})


def called_by(user):
    request = RequestFactory().get("/console/api/whoami/")
    request.user = user
    return request


def test_someone_not_logged_in_gets_401_not_authenticated():
    response = whoami(called_by(AnonymousUser()), conversation_id=1)

    assert response.status_code == 401
    assert json.loads(response.content) == {"code": "not_authenticated", "detail": "Log in first."}


def test_a_logged_in_user_who_is_not_an_agent_gets_403_forbidden():
    user = get_user_model().objects.create_user("owner", password="pw")

    response = whoami(called_by(user), conversation_id=1)

    assert response.status_code == 403
    assert json.loads(response.content) == {"code": "forbidden", "detail": "You may not act on this conversation."}


def test_an_agent_is_handed_to_the_view():
    agent = make_agent("ana", make_client())

    response = whoami(called_by(agent.user), conversation_id=5)

    assert response.status_code == 200
    assert json.loads(response.content) == {"agent": agent.pk, "conversation": 5}
    assert requesting_agent(called_by(agent.user)) == agent
