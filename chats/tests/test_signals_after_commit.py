"""What chats announces to apps it must not import goes out as django.dispatch signals, only
after the change commits; a receiver that fails is logged and never undoes or breaks the change."""

from __future__ import annotations

import logging

import pytest
from django.db import transaction

from chats import services, signals, transcript_requests
from chats.leads import signals as lead_signals
from chats.models import Conversation, ConversationStatus
from clients import signals as client_signals
from quality import receivers as quality_receivers
from reports import receivers as report_receivers

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    """`listen(signal)` records what the signal sends during the test: (sender, named arguments)."""
    records: list = []
    connected: list = []

    def listen(signal):
        def receiver(sender, **named):
            named.pop("signal")
            records.append((sender, named))

        signal.connect(receiver, weak=False)
        connected.append((signal, receiver))

    yield listen, records
    for signal, receiver in connected:
        signal.disconnect(receiver)


def test_a_closed_chat_is_announced_once_the_close_commits(served_chat, heard, django_capture_on_commit_callbacks):
    agent, chat = served_chat
    listen, records = heard
    listen(signals.conversation_closed)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            services.close_conversation(conversation_id=chat.conversation.pk, agent=agent)
        assert records == []
    for callback in callbacks:
        callback()
    assert records == [(Conversation, {"conversation_id": chat.conversation.pk})]


def test_a_transcript_request_is_announced_with_its_address_after_commit(
    served_chat, heard, django_capture_on_commit_callbacks
):
    _agent, chat = served_chat
    listen, records = heard
    listen(signals.transcript_requested)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        transcript_requests.request_transcript(conversation_id=chat.conversation.pk, email="maria@example.com")
        assert records == []
    for callback in callbacks:
        callback()
    assert records == [(Conversation, {"conversation_id": chat.conversation.pk, "address": "maria@example.com"})]


def test_a_receiver_that_fails_after_a_close_is_logged_and_the_others_still_run(
    served_chat, heard, django_capture_on_commit_callbacks, caplog
):
    agent, chat = served_chat
    listen, records = heard

    def broken_receiver(sender, **named):
        raise RuntimeError("the reporting service is down")

    signals.conversation_closed.connect(broken_receiver)
    listen(signals.conversation_closed)
    try:
        with caplog.at_level(logging.ERROR, logger="django.dispatch"):
            with django_capture_on_commit_callbacks(execute=True):
                services.close_conversation(conversation_id=chat.conversation.pk, agent=agent)
    finally:
        signals.conversation_closed.disconnect(broken_receiver)
    assert Conversation.objects.get(pk=chat.conversation.pk).status == ConversationStatus.CLOSED
    assert records == [(Conversation, {"conversation_id": chat.conversation.pk})]
    [failure] = [r for r in caplog.records if r.name == "django.dispatch"]
    assert "broken_receiver" in failure.getMessage() and failure.exc_info[0] is RuntimeError


def test_the_receiving_apps_are_connected_from_their_ready():
    def receivers_of(signal):
        return {ref() for _key, ref, *_rest in signal.receivers}

    closed = receivers_of(signals.conversation_closed)
    assert {report_receivers.report_closed_chat, quality_receivers.send_transcript_after_close} <= closed
    assert {r.__module__ for r in closed} >= {"chats.receivers", "reports.receivers", "quality.receivers"}
    assert quality_receivers.send_requested_transcript in receivers_of(signals.transcript_requested)
    assert report_receivers.deliver_lead in receivers_of(lead_signals.lead_created)
    assert report_receivers.deliver_offline_message in receivers_of(client_signals.offline_message_left)
