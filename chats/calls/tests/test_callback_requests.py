"""A visitor who cannot take a call leaves a phone number and a time inside the client's coverage."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from chats import errors
from chats.calls import callbacks
from chats.calls.models import CallbackHandler, CallbackRequest, CallbackSettings
from chats.models import Message
from clients.local_times import client_time
from clients.models import CoverageWindow
from conftest import make_agent, make_client, open_agent, open_visitor, receive_until, start_chat

UTC = dt.UTC


def tomorrow_at(hour: int) -> dt.datetime:
    day = timezone.now().astimezone(UTC).date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=UTC)


@pytest.fixture
def chat(db):
    """A chat with Ana at a client whose calls are answered 9–17 UTC every day."""
    client = make_client(timezone="UTC")
    make_agent("ana", client)
    started = start_chat(client)
    client.is_24_7 = False
    client.save(update_fields=["is_24_7"])
    for weekday in range(7):
        CoverageWindow.objects.create(client=client, weekday=weekday, starts_at=dt.time(9), ends_at=dt.time(17))
    return started


def request(chat, *, phone="+34 600 123 456", at=None, zone="Europe/Madrid"):
    return callbacks.request_callback(
        conversation_id=chat.conversation.pk,
        phone=phone,
        preferred_at=(at or tomorrow_at(10)).isoformat(),
        visitor_timezone=zone,
    )


def test_a_callback_inside_coverage_becomes_an_open_task_for_the_agency(chat):
    callback = request(chat)
    assert (callback.status, callback.handled_by, callback.phone) == ("open", "agency", "+34 600 123 456")
    assert callback.preferred_at == tomorrow_at(10) and callback.visitor_timezone == "Europe/Madrid"
    line = Message.objects.filter(conversation=chat.conversation, sender="system").last().body
    madrid = client_time(tomorrow_at(10), "Europe/Madrid")  # the visitor's clock first, as in a refusal
    assert "+34 600 123 456" in line and f"{madrid} / " in line and "10 a.m. (UTC)." in line  # then the client's


def test_the_system_line_says_the_visitors_time_as_a_refusal_does_then_the_clients_each_with_its_zone(db):
    client = make_client(timezone="Europe/Warsaw")
    chat = start_chat(client)
    at = tomorrow_at(10) + dt.timedelta(minutes=30)
    request(chat, at=at, zone="America/New_York")
    line = Message.objects.filter(conversation=chat.conversation, sender="system").last().body
    new_york = client_time(at, "America/New_York")  # "Dec. 8, 2026, 5:30 a.m. (America/New_York)"
    warsaw = client_time(at, "Europe/Warsaw")  # "Dec. 8, 2026, 11:30 a.m. (Europe/Warsaw)"
    assert line == f"You asked us to call you back on +34 600 123 456 at {new_york} / {warsaw}."
    assert ".." not in line


def test_a_visitor_on_the_clients_clock_reads_the_time_once(db):
    client = make_client(timezone="Europe/Warsaw")
    chat = start_chat(client)
    at = tomorrow_at(10)
    request(chat, at=at, zone="Europe/Warsaw")
    line = Message.objects.filter(conversation=chat.conversation, sender="system").last().body
    assert line == f"You asked us to call you back on +34 600 123 456 at {client_time(at, 'Europe/Warsaw')}."


def test_the_client_setting_makes_it_a_task_for_its_representatives(chat):
    CallbackSettings.objects.create(client=chat.conversation.client, handled_by=CallbackHandler.CLIENT)
    assert request(chat).handled_by == "client"


def test_a_time_outside_coverage_is_refused_naming_the_next_possible_time_in_the_visitors_clock(chat):
    with pytest.raises(errors.InvalidInput) as refused:
        request(chat, at=tomorrow_at(20))
    next_opening = timezone.localtime(tomorrow_at(9) + dt.timedelta(days=1), ZoneInfo("Europe/Madrid"))
    assert "next possible time" in str(refused.value.detail)
    assert str(next_opening.day) in str(refused.value.detail)
    assert str(refused.value.detail).endswith(" (Europe/Madrid).")  # the zone named, no "a.m.."
    assert not CallbackRequest.objects.exists()


@pytest.mark.parametrize("phone", ["", "12", "call me", "+34 600\x00123", "4111 1111 1111 1111", None, 34600123456])
def test_a_bad_phone_number_is_refused(chat, phone):
    with pytest.raises(errors.InvalidInput):
        request(chat, phone=phone)


@pytest.mark.parametrize("at", ["soon", "2026-01-01T10:00:00", "1999-01-01T10:00:00+00:00", None])
def test_a_missing_naive_or_past_time_is_refused(chat, at):
    with pytest.raises(errors.InvalidInput):
        callbacks.request_callback(
            conversation_id=chat.conversation.pk, phone="+34 600 123 456", preferred_at=at, visitor_timezone="UTC"
        )


def test_a_time_too_far_ahead_is_refused(chat, settings):
    settings.CHAT_CALLBACK_MAX_DAYS_AHEAD = 1
    with pytest.raises(errors.InvalidInput):
        request(chat, at=tomorrow_at(10) + dt.timedelta(days=2))


def test_a_closed_chat_takes_no_callback(chat):
    chat.conversation.status = "closed"
    chat.conversation.save(update_fields=["status"])
    with pytest.raises(errors.ConversationClosed):
        request(chat)


def test_an_unknown_timezone_falls_back_to_utc(chat):
    assert request(chat, zone="Mars/Olympus").visitor_timezone == "UTC"


@pytest.mark.django_db(transaction=True)
async def test_the_visitor_asks_for_a_callback_over_the_socket_and_the_agent_sees_it(served_chat):
    agent, chat = served_chat
    visitor = await open_visitor(chat)
    console = await open_agent(agent)
    await visitor.send_json_to(
        {
            "type": "callback.request",
            "phone": "+48 600 100 200",
            "at": tomorrow_at(10).isoformat(),
            "timezone": "Europe/Warsaw",
        }
    )
    answer = await receive_until(visitor, lambda f: f["type"] in {"callback", "error"})
    assert answer["type"] == "callback" and answer["callback"]["status"] == "open"
    line = await receive_until(console, lambda f: f["type"] == "message" and "call you back" in f["body"])
    assert "+48 600 100 200" in line["body"]
    await visitor.send_json_to({"type": "callback.request", "phone": "no", "at": tomorrow_at(10).isoformat()})
    assert (await receive_until(visitor, lambda f: f["type"] == "error"))["code"] == "invalid"
    await console.send_json_to({"type": "callback.request", "conversation": chat.conversation.pk, "phone": "+48 1"})
    assert (await receive_until(console, lambda f: f["type"] == "error"))["code"] == "bad_frame"
    await visitor.disconnect()
    await console.disconnect()
