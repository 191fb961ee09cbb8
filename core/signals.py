"""Announcements between apps that must not import each other: `django.dispatch` signals sent after commit.

A domain app declares a `CommitSignal` in its `signals.py` and sends it from the service that
made the change; an app that reacts connects a receiver in its `receivers.py` from its
AppConfig.ready() (so the sender never imports it). `send_on_commit` sends once the current
transaction commits (at once outside one; never after a rollback) and robustly: every receiver
runs even when another raises, and each failure is logged with its traceback by Django's
`django.dispatch` logger ("Error calling … in Signal.send_robust()"), never raised into the
code that committed."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.dispatch import Signal


class CommitSignal(Signal):
    """A Signal whose senders announce committed changes: see the module."""

    def send_on_commit(self, sender: object, **named: Any) -> None:
        transaction.on_commit(partial(self.send_robust, sender, **named), robust=True)
