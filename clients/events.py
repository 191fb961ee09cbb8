"""What the clients domain announces after a commit, for apps that clients must not import.

Other apps (reports delivers leads) register here from their AppConfig.ready()."""
from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.db import transaction

# Called with an offline message's id once the transaction that stored it commits.
offline_message_left_hooks: list[Callable[[int], None]] = []


def announce_offline_message_left(offline_message_id: int) -> None:
    for hook in offline_message_left_hooks:
        transaction.on_commit(partial(hook, offline_message_id), robust=True)
