"""The visitor's `rating` frame: validated against the client's scale, stored once, shown to the agent live."""

import pytest
from channels.db import database_sync_to_async
from django.db import transaction

from chats import services
from chats.ratings import services as ratings
from chats.ratings import signals as rating_signals
from chats.ratings.models import Rating
from clients.models import QualitySettings, RatingScale
from conftest import make_client, open_agent, open_visitor, receive_until, start_chat

pytestmark = pytest.mark.django_db(transaction=True)


def close(conversation_id, agent):
    services.close_conversation(conversation_id=conversation_id, agent=agent)


async def test_the_visitor_rates_an_ended_chat_and_the_agent_sees_it_live(served_chat):
    agent, chat = served_chat
    console = await open_agent(agent)
    visitor = await open_visitor(chat)
    await database_sync_to_async(close)(chat.conversation.pk, agent)
    await visitor.send_json_to({"type": "rating", "score": 5, "comment": "Great, card 4111 1111 1111 1111"})
    rated = await receive_until(visitor, lambda f: f["type"] == "rated")
    assert rated["score"] == 5 and "1111 1111 1111" not in rated["comment"]
    shown = await receive_until(console, lambda f: f["type"] == "rating")
    assert shown["conversation"] == chat.conversation.pk and shown["score"] == 5 and shown["scale"] == "five"
    assert "4111 11" in shown["comment"] and "1111 1111 1111" not in shown["comment"]
    await visitor.disconnect()
    await console.disconnect()


async def test_a_second_rating_is_refused_with_a_clear_error_and_stored_once(served_chat):
    agent, chat = served_chat
    visitor = await open_visitor(chat)
    await visitor.send_json_to({"type": "rating", "score": 4})
    await receive_until(visitor, lambda f: f["type"] == "rated")
    await visitor.send_json_to({"type": "rating", "score": 1, "comment": "changed my mind"})
    error = await receive_until(visitor, lambda f: f["type"] == "error")
    assert error["code"] == "already_rated" and error["detail"]
    scores = await database_sync_to_async(lambda: list(Rating.objects.values_list("score", flat=True)))()
    assert scores == [4]
    await visitor.disconnect()


@pytest.mark.parametrize(
    "frame, code",
    [
        ({"type": "rating", "score": 6}, "invalid"),
        ({"type": "rating", "score": 0}, "invalid"),
        ({"type": "rating", "score": "5"}, "bad_frame"),
        ({"type": "rating", "score": True}, "bad_frame"),
        ({"type": "rating"}, "bad_frame"),
        ({"type": "rating", "score": 3, "comment": 7}, "bad_frame"),
        ({"type": "rating", "score": 3, "comment": "nul\x00here"}, "invalid"),
    ],
)
async def test_bad_ratings_get_an_error_frame_and_nothing_is_stored(served_chat, frame, code):
    _, chat = served_chat
    visitor = await open_visitor(chat)
    await visitor.send_json_to(frame)
    error = await receive_until(visitor, lambda f: f["type"] == "error")
    assert error["code"] == code
    assert not await database_sync_to_async(Rating.objects.exists)()
    await visitor.disconnect()


def test_the_good_or_bad_scale_takes_0_or_1(served_chat):
    _, chat = served_chat
    QualitySettings.objects.create(client_id=chat.conversation.client_id, rating_scale=RatingScale.THUMBS)
    with pytest.raises(Exception) as refused:
        ratings.rate_conversation(conversation_id=chat.conversation.pk, score=5)
    assert refused.value.code == "invalid"
    rating = ratings.rate_conversation(conversation_id=chat.conversation.pk, score=1)
    assert rating.scale == "thumbs" and rating.is_satisfied


def test_a_chat_no_agent_took_cannot_be_rated(db):
    chat = start_chat(make_client())  # nobody serves the client: it waits in line
    with pytest.raises(Exception) as refused:
        ratings.rate_conversation(conversation_id=chat.conversation.pk, score=3)
    assert refused.value.code == "not_rateable"


def test_receivers_hear_of_a_rating_only_after_it_commits(served_chat):
    _, chat = served_chat
    heard = []

    def receiver(sender, *, rating_id, **kwargs):
        heard.append(rating_id)

    rating_signals.rating_created.connect(receiver)
    try:
        with transaction.atomic():
            rating = ratings.rate_conversation(conversation_id=chat.conversation.pk, score=2, comment="slow")
            assert heard == []
        assert heard == [rating.pk]
    finally:
        rating_signals.rating_created.disconnect(receiver)
