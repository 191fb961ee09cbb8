"""core.signals.CommitSignal: sent only once the transaction commits, to every receiver, and a
receiver that fails is logged, never raised into the code that committed."""

from __future__ import annotations

import logging

import pytest
from django.db import transaction

from core.signals import CommitSignal

pytestmark = pytest.mark.django_db


@pytest.fixture
def signal():
    return CommitSignal()


def recorder(heard: list):
    def receiver(sender, signal, **named):
        heard.append((sender, named))

    return receiver


def test_receivers_hear_nothing_until_the_transaction_commits(signal, django_capture_on_commit_callbacks):
    heard: list = []
    receiver = recorder(heard)
    signal.connect(receiver)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        signal.send_on_commit(sender="Lead", lead_id=7)
        assert heard == []
    for callback in callbacks:
        callback()
    assert heard == [("Lead", {"lead_id": 7})]


def test_a_rolled_back_change_is_never_announced(signal, django_capture_on_commit_callbacks):
    heard: list = []
    receiver = recorder(heard)
    signal.connect(receiver)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            signal.send_on_commit(sender="Lead", lead_id=7)
            raise RuntimeError("rolled back")
    assert heard == []


def test_a_failing_receiver_neither_stops_the_others_nor_reaches_the_sender_and_is_logged(
    signal, django_capture_on_commit_callbacks, caplog
):
    heard: list = []

    def broken(sender, **named):
        raise ValueError("the mail server is down")

    after = recorder(heard)
    signal.connect(broken)
    signal.connect(after)
    with caplog.at_level(logging.ERROR, logger="django.dispatch"):
        with django_capture_on_commit_callbacks(execute=True):
            signal.send_on_commit(sender="Conversation", conversation_id=3)  # raises nothing
    assert heard == [("Conversation", {"conversation_id": 3})]
    [failure] = [record for record in caplog.records if record.name == "django.dispatch"]
    assert "broken" in failure.getMessage() and "the mail server is down" in failure.getMessage()
    assert failure.exc_info and failure.exc_info[0] is ValueError


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_is_sent_at_once(signal):
    heard: list = []
    receiver = recorder(heard)
    signal.connect(receiver)
    signal.send_on_commit(sender="OfflineMessage", offline_message_id=1)
    assert heard == [("OfflineMessage", {"offline_message_id": 1})]
