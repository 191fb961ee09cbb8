"""Transfers: an agent hands a chat to a colleague or a team, with a note; limits always hold."""

import threading

import pytest
from channels.db import database_sync_to_async
from django.db import connection

from agency.models import Agent, Presence, Team
from chats import services
from chats.models import Conversation, Message
from chats.teamwork import transfers
from chats.teamwork.errors import NoFreeSlot, NoOneToTransferTo
from chats.teamwork.models import Transfer, TransferStatus
from conftest import make_agent, make_client, open_agent, open_visitor, receive_until, start_chat
from core.errors import Forbidden

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shop_with_two_agents(db):
    client = make_client()
    ana = make_agent("ana", client)
    bea = make_agent("bea", client, presence=Presence.AWAY)  # gets no chat by routing
    chat = start_chat(client)
    assert chat.conversation.agent_id == ana.pk
    Agent.objects.filter(pk=bea.pk).update(presence=Presence.ONLINE)
    return client, ana, bea, chat


def slots(*agents):
    return [Agent.objects.get(pk=agent.pk).active_chats for agent in agents]


async def test_the_receiving_agent_gets_the_history_and_the_note_and_the_visitor_a_line(shop_with_two_agents):
    _, ana, bea, chat = shop_with_two_agents
    conversation = chat.conversation.pk
    visitor = await open_visitor(chat)
    ana_console, bea_console = await open_agent(ana), await open_agent(bea)
    await receive_until(ana_console, lambda f: f["type"] == "assigned")
    await ana_console.send_json_to(
        {"type": "transfer", "conversation": conversation, "to_agent": bea.pk, "note": "Wants a refund for order 12"}
    )
    result = await receive_until(ana_console, lambda f: f["type"] == "transfer_result")
    assert result["status"] == "accepted"
    assert (await receive_until(ana_console, lambda f: f["type"] == "transferred"))["to"] == {"name": "Bea"}
    assigned = await receive_until(bea_console, lambda f: f["type"] == "assigned")
    assert assigned["conversation"]["id"] == conversation
    note = await receive_until(bea_console, lambda f: f.get("internal"))
    assert note["body"] == "Wants a refund for order 12" and note["author"] == "Ana"
    await receive_until(bea_console, lambda f: f.get("body") == "You are now chatting with Bea.")
    seen = []
    await receive_until(visitor, lambda f: seen.append(f) or f["type"] == "status" and f["agent"] == {"name": "Bea"})
    lines = [(f["sender"], f["body"]) for f in seen if f["type"] == "message"]
    assert lines == [("system", "You are now chatting with Bea.")]
    assert not any(frame.get("internal") or "refund" in str(frame) for frame in seen)
    assert await database_sync_to_async(slots)(ana, bea) == [0, 1]
    for socket in (visitor, ana_console, bea_console):
        await socket.disconnect()


async def test_a_transfer_to_an_agent_who_does_not_serve_the_client_is_refused(shop_with_two_agents):
    _, ana, _, chat = shop_with_two_agents
    stranger = await database_sync_to_async(make_agent)("sam", await database_sync_to_async(make_client)("Other"))
    console = await open_agent(ana)
    await console.send_json_to({"type": "transfer", "conversation": chat.conversation.pk, "to_agent": stranger.pk})
    error = await receive_until(console, lambda f: f["type"] == "error")
    assert error["code"] == "forbidden"
    agent_id = await database_sync_to_async(lambda: Conversation.objects.get(pk=chat.conversation.pk).agent_id)()
    assert agent_id == ana.pk
    await console.disconnect()


def test_only_the_chats_agent_may_transfer_it(shop_with_two_agents):
    _, _, bea, chat = shop_with_two_agents
    with pytest.raises(Forbidden):
        transfers.transfer_conversation(conversation_id=chat.conversation.pk, agent=bea, to_agent_id=bea.pk)


def test_a_target_without_a_free_slot_gets_an_offer_and_accepts_once_free(shop_with_two_agents):
    client, ana, bea, chat = shop_with_two_agents
    Agent.objects.filter(pk=bea.pk).update(max_concurrent_chats=0)
    outcome = transfers.transfer_conversation(
        conversation_id=chat.conversation.pk, agent=ana, to_agent_id=bea.pk, note="over to you"
    )
    assert outcome.status == TransferStatus.PENDING
    assert Conversation.objects.get(pk=chat.conversation.pk).agent_id == ana.pk
    [offer] = transfers.pending_offers_for(agent_id=bea.pk)
    assert offer["transfer"]["note"] == "over to you" and offer["conversation"]["id"] == chat.conversation.pk
    with pytest.raises(NoFreeSlot):
        transfers.accept_transfer(conversation_id=chat.conversation.pk, agent=bea)
    Agent.objects.filter(pk=bea.pk).update(max_concurrent_chats=1)
    transfers.accept_transfer(conversation_id=chat.conversation.pk, agent=bea)
    assert Conversation.objects.get(pk=chat.conversation.pk).agent_id == bea.pk
    assert Transfer.objects.get().status == TransferStatus.ACCEPTED
    assert slots(ana, bea) == [0, 1]
    assert Message.objects.filter(conversation_id=chat.conversation.pk, is_internal=True, body="over to you").exists()


def test_a_pending_transfer_cannot_be_accepted_by_someone_else(shop_with_two_agents):
    client, ana, bea, chat = shop_with_two_agents
    carl = make_agent("carl", client)
    Agent.objects.filter(pk=bea.pk).update(max_concurrent_chats=0)
    transfers.transfer_conversation(conversation_id=chat.conversation.pk, agent=ana, to_agent_id=bea.pk)
    with pytest.raises(Forbidden):
        transfers.accept_transfer(conversation_id=chat.conversation.pk, agent=carl)


def test_a_transfer_to_a_team_goes_to_a_member_who_serves_the_client_in_its_language(db):
    client = make_client(required_language="es")
    ana = make_agent("ana", client)
    Agent.objects.filter(pk=ana.pk).update(languages="es")
    chat = start_chat(client)
    assert chat.conversation.agent_id == ana.pk
    english, spanish = make_agent("eve", client), make_agent("sol", client)
    Agent.objects.filter(pk=english.pk).update(languages="en")
    Agent.objects.filter(pk=spanish.pk).update(languages="es, en")
    team = Team.objects.create(name="Refunds")
    team.members.set([english, spanish])
    outcome = transfers.transfer_conversation(conversation_id=chat.conversation.pk, agent=ana, to_team_id=team.pk)
    assert outcome.status == TransferStatus.ACCEPTED
    assert Conversation.objects.get(pk=chat.conversation.pk).agent_id == spanish.pk


def test_two_transfers_to_one_free_slot_never_exceed_the_limit(db):
    client = make_client()
    ana, bob = make_agent("ana", client, max_chats=1), make_agent("bob", client, max_chats=1)
    first, second = start_chat(client), start_chat(client)
    assert {first.conversation.agent_id, second.conversation.agent_id} == {ana.pk, bob.pk}
    target = make_agent("tia", client, max_chats=1)
    owners = {first.conversation.pk: first.conversation.agent, second.conversation.pk: second.conversation.agent}
    barrier, outcomes = threading.Barrier(2), []

    def transfer(conversation_id):
        try:
            barrier.wait(timeout=10)
            outcomes.append(
                transfers.transfer_conversation(
                    conversation_id=conversation_id, agent=owners[conversation_id], to_agent_id=target.pk
                ).status
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=transfer, args=(pk,)) for pk in owners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == [TransferStatus.ACCEPTED, TransferStatus.PENDING]
    assert Agent.objects.get(pk=target.pk).active_chats == 1
    assert Conversation.objects.filter(agent=target, status="active").count() == 1


def test_closing_the_chat_withdraws_its_pending_transfer(shop_with_two_agents, django_capture_on_commit_callbacks):
    _, ana, bea, chat = shop_with_two_agents
    Agent.objects.filter(pk=bea.pk).update(max_concurrent_chats=0)
    transfers.transfer_conversation(conversation_id=chat.conversation.pk, agent=ana, to_agent_id=bea.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.close_conversation(conversation_id=chat.conversation.pk, agent=ana)
    assert Transfer.objects.get().status == TransferStatus.CANCELLED
    assert transfers.pending_offers_for(agent_id=bea.pk) == []


def test_an_agent_of_another_client_can_neither_transfer_nor_accept_the_chat(shop_with_two_agents):
    _, ana, bea, chat = shop_with_two_agents
    outsider = make_agent("otto", make_client("Other shop"))
    with pytest.raises(Forbidden):
        transfers.transfer_conversation(conversation_id=chat.conversation.pk, agent=outsider, to_agent_id=bea.pk)
    Agent.objects.filter(pk=bea.pk).update(max_concurrent_chats=0)
    transfers.transfer_conversation(conversation_id=chat.conversation.pk, agent=ana, to_agent_id=bea.pk)
    with pytest.raises(Forbidden):
        transfers.accept_transfer(conversation_id=chat.conversation.pk, agent=outsider)
    assert transfers.pending_offers_for(agent_id=outsider.pk) == []


def test_a_team_with_nobody_serving_the_client_is_refused(shop_with_two_agents):
    _, ana, _, chat = shop_with_two_agents
    team = Team.objects.create(name="Elsewhere")
    team.members.set([make_agent("otto", make_client("Other shop"))])
    with pytest.raises(NoOneToTransferTo):
        transfers.transfer_conversation(conversation_id=chat.conversation.pk, agent=ana, to_team_id=team.pk)
    assert Transfer.objects.count() == 0
