"""A visitor and their agent on different ASGI processes, over real sockets,
PostgreSQL and Redis: nothing may depend on process memory."""

import json
import uuid

import pytest
import websockets
from asgiref.sync import sync_to_async

from chats.tests.server_probes import next_frame
from conftest import make_agent, make_client, session_cookie, start_chat

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]


def setup_chat():
    shop = make_client("Two servers shop")
    ana = make_agent("ana", shop)
    return ana, start_chat(shop), session_cookie(ana.user).decode()


def agent_message(conversation: int, body: str) -> str:
    return json.dumps({"type": "message", "conversation": conversation, "client_id": str(uuid.uuid4()), "body": body})


async def twenty_visitor_messages_reach_the_agent_in_order(visitor, agent) -> None:
    sent = []
    for n in range(20):
        body = f"visitor message {n}"
        await visitor.send(json.dumps({"type": "message", "client_id": str(uuid.uuid4()), "body": body}))
        sent.append(body)
    received = []
    while len(received) < 20:
        frame = await next_frame(agent, lambda f: f["type"] == "message" and f["sender"] == "visitor")
        received.append(frame["body"])
    assert received == sent


async def agent_writes_three_while_the_visitor_is_away(agent, conversation: int) -> None:
    await next_frame(agent, lambda f: f["type"] == "assigned")
    for n in range(3):
        await agent.send(agent_message(conversation, f"while you were away {n}"))
        await next_frame(agent, lambda f: f["type"] == "ack")


async def test_a_visitor_and_an_agent_on_two_servers_talk_and_resume(asgi_servers):
    one, two = asgi_servers(), asgi_servers()
    ana, chat, cookie = await sync_to_async(setup_chat)()
    conversation = chat.conversation.pk
    visitor_url = f"ws://127.0.0.1:{one.port}/ws/chat/{conversation}/?token={chat.token}"
    agent_url = f"ws://127.0.0.1:{two.port}/ws/agent/"

    async with (
        websockets.connect(agent_url, origin=two.url, additional_headers={"Cookie": cookie}) as agent,
        websockets.connect(visitor_url, origin="https://shop.example") as visitor,
    ):
        await next_frame(agent, lambda f: f["type"] == "assigned")
        await next_frame(visitor, lambda f: f["type"] == "status")
        await twenty_visitor_messages_reach_the_agent_in_order(visitor, agent)

        await agent.send(agent_message(conversation, "Hello from server two"))
        reply = await next_frame(visitor, lambda f: f["type"] == "message" and f["sender"] == "agent")
        assert reply["body"] == "Hello from server two"
        last_seen = reply["seq"]

    # The visitor comes back through the other server and resumes.
    async with websockets.connect(
        agent_url.replace(str(two.port), str(one.port)), origin=one.url, additional_headers={"Cookie": cookie}
    ) as agent:
        await agent_writes_three_while_the_visitor_is_away(agent, conversation)
        visitor_url_two = visitor_url.replace(str(one.port), str(two.port))
        async with websockets.connect(visitor_url_two, origin="https://shop.example") as visitor:
            await next_frame(visitor, lambda f: f["type"] == "status")
            await visitor.send(json.dumps({"type": "resume", "after": last_seen}))
            bodies = [(await next_frame(visitor, lambda f: f["type"] == "message"))["body"] for _ in range(3)]
            assert bodies == [f"while you were away {n}" for n in range(3)]
