"""A message left outside coverage is announced (clients.signals.offline_message_left) only after it commits."""

from __future__ import annotations

import pytest

from clients import services, signals
from clients.models import OfflineMessage
from conftest import make_client

pytestmark = pytest.mark.django_db


def test_an_offline_message_is_announced_once_it_commits(django_capture_on_commit_callbacks):
    heard: list = []

    def receiver(sender, *, offline_message_id, **kwargs):
        heard.append((sender, offline_message_id))

    signals.offline_message_left.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            stored = services.leave_offline_message(
                client=make_client(), name="Maria", email="m@example.com", message="Call me back, please.", consent=True
            )
            assert heard == []
        for callback in callbacks:
            callback()
    finally:
        signals.offline_message_left.disconnect(receiver)
    assert heard == [(OfflineMessage, stored.pk)]
