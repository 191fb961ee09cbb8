"""Full-text search over messages: stems English and Spanish, matches Polish words whole, and
never leaves the clients the user may see (the console's history search included)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import OperationalError, connection, transaction
from django.db.models import QuerySet

from agency.tests.api_personas import make_conversation, make_personas
from chats.models import Message, SenderKind
from chats.search import selectors as search


@pytest.fixture
def personas(db):
    personas = make_personas()
    conversation = personas.a.conversation
    for seq, body in (
        (3, "We are shipping your parcel today."),
        (4, "Los pedidos entregados llegan mañana."),
        (5, "Zamówienie zostało wysłane."),
    ):
        Message.objects.create(conversation=conversation, seq=seq, sender=SenderKind.AGENT, body=body)
    return personas


def bodies(user, query, language=None):
    return [m.body for m in search.search_messages(user=user, query=query, language=language)]


def test_english_and_spanish_words_match_their_other_forms(personas):
    assert bodies(personas.supervisor, "ships", "en") == ["We are shipping your parcel today."]
    assert bodies(personas.supervisor, "entregado pedido", "es") == ["Los pedidos entregados llegan mañana."]


def test_polish_matches_whole_words_whatever_their_case(personas):
    assert bodies(personas.supervisor, "ZAMÓWIENIE", "pl") == ["Zamówienie zostało wysłane."]
    assert bodies(personas.supervisor, "zamówień", "pl") == []


def test_an_owner_and_an_agent_never_find_another_clients_messages(personas):
    make_conversation(personas.b.client, personas.b.agent, body="We are shipping Beta's parcel.")
    for user in (personas.a.owner, personas.a.agent.user):
        assert bodies(user, "shipping", "en") == ["We are shipping your parcel today."]
    for user in (personas.b.owner, personas.b.agent.user):
        assert bodies(user, "shipping", "en") == ["We are shipping Beta's parcel."]
    nobody = get_user_model().objects.create_user("nobody")
    assert bodies(nobody, "shipping", "en") == []


def test_the_console_search_answers_agents_only_within_their_clients(personas, client):
    make_conversation(personas.b.client, personas.b.agent, body="We are shipping Beta's parcel.")
    client.force_login(personas.a.agent.user)
    found = client.get("/console/api/search/", {"q": "shipping", "language": "en"}).json()["results"]
    assert [(r["conversation"], r["body"]) for r in found] == [
        (personas.a.conversation.pk, "We are shipping your parcel today.")
    ]
    assert client.get("/console/api/search/", {"q": "nul\x00"}).json()["code"] == "invalid"
    client.force_login(personas.a.owner)
    assert client.get("/console/api/search/", {"q": "shipping"}).status_code == 403
    client.logout()
    assert client.get("/console/api/search/", {"q": "shipping"}).status_code == 401


class QueryCanceled(Exception):
    pgcode = "57014"


def test_a_plan_cut_short_is_read_again_from_the_index_alone(personas, monkeypatch):
    """PostgreSQL's first plan may walk the whole table for a word it wrongly thinks common:
    after SEARCH_FAST_PLAN_MS the same page is read from the GIN index."""
    original = QuerySet._fetch_all
    calls = []

    def first_plan_times_out(queryset):
        if queryset.model is not Message:
            return original(queryset)
        calls.append(str(queryset.query))
        if len(calls) == 1:
            raise OperationalError("canceling statement due to statement timeout") from QueryCanceled()
        return original(queryset)

    monkeypatch.setattr(QuerySet, "_fetch_all", first_plan_times_out)
    assert bodies(personas.supervisor, "shipping", "en") == ["We are shipping your parcel today."]
    assert len(calls) >= 2 and all("+ 0) DESC" in query for query in calls[1:])


def test_a_search_gives_the_transaction_its_statement_timeout_back(personas):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = '7s'")
        bodies(personas.supervisor, "shipping", "en")
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "7s"
