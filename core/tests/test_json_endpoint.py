"""core.edges.json_endpoint: a view raises a RelevoError, the decorator answers it; nothing else is caught."""

from __future__ import annotations

import json

import pytest
from django.http import JsonResponse
from django.test import RequestFactory

from core.edges import json_endpoint
from core.errors import Forbidden, NotAuthenticated, NotFound, RateLimited, RelevoError


class Teapot(RelevoError):
    code = "teapot"
    status = 418
    default_detail = "I am a teapot."


def body(response) -> dict:
    return json.loads(response.content)


@pytest.fixture
def request_():
    return RequestFactory().get("/anything/")


def test_a_views_own_answer_is_returned_unchanged(request_):
    @json_endpoint
    def view(request, conversation_id):
        return JsonResponse({"conversation": conversation_id}, status=201)

    response = view(request_, conversation_id=7)

    assert response.status_code == 201 and body(response) == {"conversation": 7}


@pytest.mark.parametrize("error", [Teapot(), NotFound(), Forbidden("Not yours."), NotAuthenticated()])
def test_a_relevo_error_is_answered_with_its_status_code_and_detail(request_, error):
    @json_endpoint
    def view(request):
        raise error

    response = view(request_)

    assert response.status_code == error.status
    assert response["Content-Type"] == "application/json"
    assert body(response) == {"code": error.code, "detail": error.detail}


def test_a_rate_limit_says_when_to_come_back_in_the_body_and_the_header(request_):
    @json_endpoint
    def view(request):
        raise RateLimited(12.4)

    response = view(request_)

    assert response.status_code == 429
    assert body(response)["code"] == "rate_limited" and body(response)["retry_after"] == 12
    assert response["Retry-After"] == "12"


def test_anything_else_propagates_to_django(request_):
    @json_endpoint
    def view(request):
        raise KeyError("a bug")

    with pytest.raises(KeyError):
        view(request_)


def test_the_requester_is_passed_to_the_view_before_the_urls_arguments(request_):
    @json_endpoint(requester=lambda request: f"caller of {request.path}")
    def view(request, caller, conversation_id):
        return JsonResponse({"caller": caller, "conversation": conversation_id})

    assert body(view(request_, conversation_id=3)) == {"caller": "caller of /anything/", "conversation": 3}


def test_a_refused_requester_is_answered_and_the_view_never_runs(request_):
    ran = []

    def nobody(request):
        raise Forbidden()

    @json_endpoint(requester=nobody)
    def view(request, caller):
        ran.append(caller)
        return JsonResponse({})

    response = view(request_)

    assert response.status_code == 403 and body(response)["code"] == "forbidden"
    assert ran == []


def test_the_decorated_view_keeps_its_name_and_docstring():
    @json_endpoint(requester=lambda request: None)
    def recent_chats(request, agent):
        """The agent's recent chats."""

    assert recent_chats.__name__ == "recent_chats" and recent_chats.__doc__ == "The agent's recent chats."
