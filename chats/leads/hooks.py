"""What the leads announce after commit, for apps chats must not import.

`lead_created_hooks`: functions called with a new lead's id once the transaction that
created it commits (reports emails the client's representatives; webhooks may emit
`lead.created`). Subscribe from your AppConfig.ready():

    from chats.leads import hooks
    hooks.lead_created_hooks.append(my_function)
"""
from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.db import transaction

lead_created_hooks: list[Callable[[int], None]] = []


def announce_lead_created(lead_id: int) -> None:
    for hook in lead_created_hooks:
        transaction.on_commit(partial(hook, lead_id), robust=True)
