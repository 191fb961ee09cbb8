"""Sockets opened on a login end with it: a doorbell to the user's sockets when their
session ends (logout) or the user is deactivated, and a check each socket repeats on its
heartbeat, since the channel layer delivers at most once."""
from __future__ import annotations

import logging
from importlib import import_module

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.db.models.signals import post_save
from django.utils.crypto import constant_time_compare

logger = logging.getLogger(__name__)

# The websocket close code of an agent or floor socket whose login ended (docs/protocol.md).
SESSION_ENDED_CLOSE_CODE = 4401


def user_sockets_group(user_id: int) -> str:
    """Every agent and floor socket of one user, whatever their session."""
    return f"user.{user_id}"


def session_is_current(*, user_id: int, session_key: str | None) -> bool:
    """Is `session_key` still a login of this active user, with their current password?"""
    if not session_key:
        return False
    data = import_module(settings.SESSION_ENGINE).SessionStore(session_key).load()
    if data.get(SESSION_KEY) != str(user_id):
        return False
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    return user is not None and constant_time_compare(data.get(HASH_SESSION_KEY, ""), user.get_session_auth_hash())


def announce_session_ended(user_id: int, session_key: str | None = None) -> None:
    """After commit, tell the user's sockets on `session_key` (all of them when None) to close."""
    def ring() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            async_to_sync(layer.group_send)(user_sockets_group(user_id),
                                            {"type": "session.ended", "session_key": session_key})
        except Exception as error:  # the layer's errors vary with its backend; heartbeats still catch it
            logger.warning("session-ended doorbell for user %s lost: %r", user_id, error)
    transaction.on_commit(ring, robust=True)


def on_logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        announce_session_ended(user.pk, request.session.session_key)


def on_user_saved(sender, instance, created: bool, **kwargs) -> None:
    if not created and not instance.is_active:
        announce_session_ended(instance.pk)


def connect_signals() -> None:
    user_logged_out.connect(on_logged_out, dispatch_uid="agency.sessions.logged_out")
    post_save.connect(on_user_saved, sender=get_user_model(), dispatch_uid="agency.sessions.user_saved")
