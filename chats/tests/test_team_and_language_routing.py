"""Routing respects team limits (also under concurrency) and the client's required language."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from agency.models import Agent, Team
from chats import services
from chats.models import Conversation, ConversationStatus
from conftest import make_agent, make_client, start_chat


def team_of(*agents, limit):
    team = Team.objects.create(name=f"Team {limit} {agents[0].pk}", max_simultaneous_chats=limit)
    team.members.set(agents)
    return team


def active_of(team) -> int:
    return Conversation.objects.filter(status=ConversationStatus.ACTIVE, agent__teams=team).distinct().count()


@pytest.mark.django_db
def test_a_team_limit_caps_its_members_together():
    shop = make_client("Shop")
    team = team_of(make_agent("ana", shop), make_agent("piotr", shop), limit=4)
    chats = [start_chat(shop) for _ in range(6)]
    assert active_of(team) == 4
    assert [c.conversation.status for c in chats].count(ConversationStatus.QUEUED) == 2


@pytest.mark.django_db
def test_an_agent_outside_the_full_team_still_gets_chats():
    shop = make_client("Shop")
    team_of(make_agent("ana", shop), limit=1)
    make_agent("ewa", shop)
    statuses = [start_chat(shop).conversation.status for _ in range(3)]
    assert statuses.count(ConversationStatus.ACTIVE) == 3


@pytest.mark.django_db
def test_a_team_without_a_limit_changes_nothing():
    shop = make_client("Shop")
    team = Team.objects.create(name="Free")
    team.members.add(make_agent("ana", shop))
    assert [start_chat(shop).conversation.status for _ in range(3)].count(ConversationStatus.ACTIVE) == 3


@pytest.mark.django_db
def test_closing_a_chat_frees_a_team_slot_for_the_queue(django_capture_on_commit_callbacks):
    shop = make_client("Shop")
    ana = make_agent("ana", shop)
    team_of(ana, limit=1)
    first, second = start_chat(shop), start_chat(shop)
    assert second.conversation.status == ConversationStatus.QUEUED
    with django_capture_on_commit_callbacks(execute=True):
        services.close_conversation(conversation_id=first.conversation.pk, agent=ana)
    assert Conversation.objects.get(pk=second.conversation.pk).status == ConversationStatus.ACTIVE


@pytest.mark.django_db
def test_only_agents_who_speak_the_required_language_get_the_chat():
    shop = make_client("Tienda", required_language="es")
    Agent.objects.filter(pk=make_agent("piotr", shop).pk).update(languages="pl, en")
    ana = make_agent("ana", shop)
    Agent.objects.filter(pk=ana.pk).update(languages="en,es")
    conversation = Conversation.objects.select_related("agent__user").get(pk=start_chat(shop).conversation.pk)
    assert conversation.agent.user.username == "ana"


@pytest.mark.django_db
def test_nobody_gets_the_chat_when_nobody_speaks_the_language():
    shop = make_client("Tienda", required_language="es")
    Agent.objects.filter(pk=make_agent("piotr", shop).pk).update(languages="pl,en,esperanto")
    assert start_chat(shop).conversation.status == ConversationStatus.QUEUED


@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_never_push_a_team_over_its_limit():
    if connection.vendor != "postgresql":
        pytest.fail("this test proves the limit in PostgreSQL: run it with DATABASE_URL set")
    shop = make_client("Busy shop")
    agents = [make_agent(name, shop, max_chats=3) for name in ("ana", "piotr", "ewa")]
    team = team_of(*agents, limit=5)

    def request_chat(_):
        try:
            return start_chat(shop).conversation.pk
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=12) as pool:
        ids = list(pool.map(request_chat, range(30)))

    assert len(set(ids)) == 30
    assert active_of(team) == 5
    assert Conversation.objects.filter(status=ConversationStatus.QUEUED).count() == 25
