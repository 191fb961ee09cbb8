"""Sockets opened on a login end with it: a doorbell to the user's sockets when their
session ends (logout), their password changes or they are deactivated, another when
their roles change, and a check each socket repeats on a server timer, since the
channel layer delivers at most once."""

from __future__ import annotations

import asyncio
import logging
import random
from importlib import import_module

from asgiref.sync import async_to_sync
from channels.db import DatabaseSyncToAsync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils.crypto import constant_time_compare

from agency.models import Agent

logger = logging.getLogger(__name__)

# The websocket close code of an agent or floor socket whose login ended (docs/protocol.md).
SESSION_ENDED_CLOSE_CODE = 4401


def user_sockets_group(user_id: int) -> str:
    """Every agent and floor socket of one user, whatever their session."""
    return f"user.{user_id}"


def current_login_user(*, user_id: int, session_key: str | None):
    """The active user whose login `session_key` still is, with their current password; else None."""
    if not session_key:
        return None
    data = import_module(settings.SESSION_ENGINE).SessionStore(session_key).load()
    if data.get(SESSION_KEY) != str(user_id):
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not constant_time_compare(data.get(HASH_SESSION_KEY, ""), user.get_session_auth_hash()):
        return None
    return user


def ring_user_sockets(user_id: int, event: dict) -> None:
    """After commit, send `event` to every socket of the user, on every server process."""

    def ring() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            async_to_sync(layer.group_send)(user_sockets_group(user_id), event)
        except Exception as error:  # the layer's errors vary with its backend; the timer still catches it
            logger.warning("%s doorbell for user %s lost: %r", event["type"], user_id, error)

    transaction.on_commit(ring, robust=True)


def announce_session_ended(user_id: int, session_key: str | None = None) -> None:
    """After commit, tell the user's sockets on `session_key` (all of them when None) to close."""
    ring_user_sockets(user_id, {"type": "session.ended", "session_key": session_key})


def announce_login_changed(user_id: int) -> None:
    """After commit, have the user's sockets check at once that their login still allows them."""
    ring_user_sockets(user_id, {"type": "login.changed"})


# --- What ends or changes a login ------------------------------------------------------------
# One place for every path that changes a password (the password change and reset views, the
# admin's form, `changepassword`, `set_password` + `save` anywhere): the stored hash changing.
PASSWORD_CHANGED = "_sessions_password_changed"  # noqa: S105 (an attribute name)


def on_user_saving(sender, instance, raw: bool = False, update_fields=None, **kwargs) -> None:
    if raw or instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
    setattr(instance, PASSWORD_CHANGED, stored is not None and stored != instance.password)


def on_user_saved(sender, instance, created: bool, update_fields=None, **kwargs) -> None:
    password_changed = instance.__dict__.pop(PASSWORD_CHANGED, False)
    if created or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    if password_changed or not instance.is_active:
        announce_session_ended(instance.pk)
    else:
        announce_login_changed(instance.pk)  # a superuser flag, say: the floor checks it now


def on_logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        announce_session_ended(user.pk, request.session.session_key)


def on_agent_deleted(sender, instance, **kwargs) -> None:
    announce_login_changed(instance.user_id)


def on_groups_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """A role taken away (`user.groups.remove`, or `group.user_set.remove`)."""
    if action not in {"post_remove", "post_clear"}:
        return
    for user_id in (pk_set or ()) if reverse else (instance.pk,):
        announce_login_changed(user_id)


def connect_signals() -> None:
    user_model = get_user_model()
    user_logged_out.connect(on_logged_out, dispatch_uid="agency.sessions.logged_out")
    pre_save.connect(on_user_saving, sender=user_model, dispatch_uid="agency.sessions.user_saving")
    post_save.connect(on_user_saved, sender=user_model, dispatch_uid="agency.sessions.user_saved")
    post_delete.connect(on_agent_deleted, sender=Agent, dispatch_uid="agency.sessions.agent_deleted")
    m2m_changed.connect(
        on_groups_changed, sender=user_model.groups.through, dispatch_uid="agency.sessions.groups_changed"
    )


class LoginBoundSocket:
    """A consumer that lives on its Django login (the agent and floor sockets): closed with 4401
    the moment the login ends (a doorbell to the user's group, on any server process) and, should
    that doorbell be lost, by a check the server repeats every SOCKET_LOGIN_RECHECK_SECONDS,
    whatever the client sends. Once ended, nothing it receives is handled and nothing more is sent."""

    login_ended = True  # until `follow_login`: a socket refused at the handshake does nothing
    login_timer: asyncio.Task | None = None

    def may_keep_login(self, user) -> bool:
        """Does the (current, active) user still have what this socket needs (a role)? Sync: ORM."""
        return True

    async def dispatch(self, message: dict) -> None:
        if self.login_ended and message["type"] not in {"websocket.connect", "websocket.disconnect"}:
            return
        await super().dispatch(message)

    async def follow_login(self, user_id: int) -> None:
        """Call in `connect`, before accepting: join the user's group and start the timer."""
        self.login_user_id = user_id
        self.session_key = getattr(self.scope.get("session"), "session_key", None)
        self.login_ended = False
        try:
            await self.channel_layer.group_add(user_sockets_group(user_id), self.channel_name)
        except Exception as error:  # the layer's errors vary with its backend; the timer stands in
            logger.warning("could not join the sockets of user %s: %r", user_id, error)
        self.login_timer = asyncio.create_task(self.recheck_login_periodically())

    async def stop_following_login(self) -> None:
        """Call in `disconnect`."""
        self.stop_login_timer()
        if hasattr(self, "login_user_id"):
            try:
                await self.channel_layer.group_discard(user_sockets_group(self.login_user_id), self.channel_name)
            except Exception as error:  # the layer's errors vary with its backend
                logger.warning("could not leave the sockets of user %s: %r", self.login_user_id, error)

    def stop_login_timer(self) -> None:
        if self.login_timer is not None and self.login_timer is not asyncio.current_task():
            self.login_timer.cancel()
        self.login_timer = None

    def login_is_current(self) -> bool:
        user = current_login_user(user_id=self.login_user_id, session_key=self.session_key)
        return user is not None and self.may_keep_login(user)

    async def recheck_login(self) -> None:
        if self.login_ended:
            return
        if not await DatabaseSyncToAsync(self.login_is_current, thread_sensitive=False)():
            await self.end_login()

    async def recheck_login_periodically(self) -> None:
        interval = settings.SOCKET_LOGIN_RECHECK_SECONDS
        await asyncio.sleep(interval * random.uniform(0.5, 1))  # noqa: S311 (spreads sockets opened together)
        while not self.login_ended:
            try:
                await self.recheck_login()
            except Exception as error:  # the database is away: keep the socket, check again later
                logger.warning("login re-check of user %s failed: %r", self.login_user_id, error)
            await asyncio.sleep(interval)

    async def end_login(self) -> None:
        """Close with 4401; override to stop the socket's own timers too."""
        self.login_ended = True
        self.stop_login_timer()
        await self.close(code=SESSION_ENDED_CLOSE_CODE)

    async def session_ended(self, event: dict) -> None:
        if event["session_key"] in (None, self.session_key):
            await self.end_login()

    async def login_changed(self, event: dict) -> None:
        await self.recheck_login()
