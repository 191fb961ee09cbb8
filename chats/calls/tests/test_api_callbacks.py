"""REST API of callback requests: each user sees and closes only their clients' callbacks."""

import pytest
from django.utils import timezone

from agency.tests.api_personas import api_as, make_personas
from chats.calls.models import CallbackRequest


@pytest.fixture
def personas(db):
    return make_personas()


def callback_of(data) -> CallbackRequest:
    return CallbackRequest.objects.create(
        client=data.client,
        conversation=data.conversation,
        phone="+34 600 123 456",
        preferred_at=timezone.now(),
        handled_by="client",
    )


def test_a_clients_owner_lists_and_closes_its_callbacks(personas):
    callback = callback_of(personas.a)
    api = api_as(personas.a.owner)
    body = api.get("/api/v1/callbacks/?status=open").json()
    assert [row["id"] for row in body["results"]] == [callback.pk]
    closed = api.post(f"/api/v1/callbacks/{callback.pk}/close/", {"status": "failed"}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == "failed"
    assert closed.json()["closed_by"] == personas.a.owner.pk


def test_another_clients_people_neither_see_nor_close_them(personas):
    callback = callback_of(personas.a)
    for user in (personas.b.owner, personas.b.agent.user):
        api = api_as(user)
        assert api.get("/api/v1/callbacks/").json()["results"] == []
        assert api.get(f"/api/v1/callbacks/{callback.pk}/").status_code == 404
        assert api.post(f"/api/v1/callbacks/{callback.pk}/close/", {"status": "done"}, format="json").status_code == 404
    callback.refresh_from_db()
    assert callback.status == "open"


def test_a_bad_status_is_invalid(personas):
    callback = callback_of(personas.a)
    response = api_as(personas.admin).post(f"/api/v1/callbacks/{callback.pk}/close/", {"status": "open"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_anonymous_callers_are_refused(personas):
    assert api_as(None).get("/api/v1/callbacks/").status_code in (401, 403)
