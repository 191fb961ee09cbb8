"""What a log line knows about where it was written: the request id, and the conversation,
client and agent when the edge that serves them knows them.

Each is a context variable: set once by an edge (the request id by `RequestIdMiddleware`,
one per websocket by core.sockets; the ids by the chat and visit sockets), read by
core.json_logs when it writes a line. Context variables follow asyncio tasks and the
threads that asgiref's sync_to_async runs work on, so a line logged by a service deep in
a database thread still names its socket's conversation.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token

from django.http import HttpRequest, HttpResponse

FIELDS = ("request_id", "conversation_id", "client_id", "agent_id")
Value = str | int | None
_fields: dict[str, ContextVar[Value]] = {name: ContextVar(f"relevo_log_{name}", default=None) for name in FIELDS}

REQUEST_ID_HEADER = "X-Request-ID"
# A caller's (a balancer's) request id is kept when it is a short plain token; anything
# else (long, spaces, quotes, control characters) could forge or break log lines.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def request_id_from(header: str | None) -> str:
    """The caller's request id if it is a sane short token, else a new one."""
    if header and SANE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def bind(**fields: Value) -> None:
    """Name what the rest of this task (or request) works on: `bind(conversation_id=7, client_id=2)`."""
    for name, value in fields.items():
        _fields[name].set(value)


def current() -> dict[str, Value]:
    """The fields known here, without the unknown ones."""
    return {name: value for name, var in _fields.items() if (value := var.get()) is not None}


def start(**fields: Value) -> None:
    """Only `fields` are known from here on: a new request on a thread that served another."""
    for name, var in _fields.items():
        var.set(fields.get(name))


@contextmanager
def fresh(**fields: Value) -> Iterator[None]:
    """Within the block only `fields` are known (nothing left from an earlier request on this thread)."""
    tokens: list[tuple[ContextVar[Value], Token[Value]]] = [
        (var, var.set(fields.get(name))) for name, var in _fields.items()
    ]
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


class RequestIdMiddleware:
    """Give each HTTP request its id (the caller's X-Request-ID if sane) for its log lines,
    and send it back in the response's X-Request-ID. First in MIDDLEWARE."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        # Set, not reset at the end: Django logs a failed response (django.request) after the
        # middleware has returned, and asgiref carries the context back to that code.
        start(request_id=request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response
