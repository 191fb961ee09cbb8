"""Typed reads of the environment for agency/settings.py (and agency/beat.py).

Each reader returns the default when the variable is unset (or blank) and fails
with ImproperlyConfigured naming the variable and what it expected when the value
cannot be read: a typo in a deployment stops the process at start with a sentence,
never a bare ValueError from deep inside the settings.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")
TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off", ""})


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def _read(name: str, default: T, parse: Callable[[str], T], expected: str) -> T:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return parse(raw.strip())
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not {expected}: set {name} to {expected} (it defaults to {default!r})."
        ) from error


def env_int(name: str, default: int) -> int:
    return _read(name, default, int, "a whole number")


def env_float(name: str, default: float) -> float:
    return _read(name, float(default), float, "a number")


def _bool(value: str) -> bool:
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise ValueError(value)


def env_bool(name: str, default: bool) -> bool:
    """1/true/yes/on or 0/false/no/off (any case); blank is off, as it always was."""
    raw = os.environ.get(name)
    if raw is not None and not raw.strip():
        return False
    return _read(name, default, _bool, "one of 1, true, yes, on, 0, false, no, off")


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated list; blank items are dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of `choices` (any case)."""

    def parse(value: str) -> str:
        if value.lower() not in choices:
            raise ValueError(value)
        return value.lower()

    return _read(name, default, parse, "one of " + ", ".join(choices))


def _host_port(item: str, default_port: int) -> tuple[str, int]:
    host, colon, port = item.rpartition(":")
    if not colon:
        return item, default_port
    if not host or not port.isdigit():
        raise ValueError(item)
    return host.strip("[]"), int(port)


def env_host_ports(name: str, default_port: int) -> tuple[tuple[str, int], ...]:
    """A comma-separated list of host:port (the port defaults to `default_port`), as (host, port) pairs."""
    return _read(
        name,
        (),
        lambda raw: tuple(_host_port(item.strip(), default_port) for item in raw.split(",") if item.strip()),
        "a comma-separated list of host:port",
    )


def env_json(name: str, default: str) -> object:
    return _read(name, json.loads(default), json.loads, "JSON")


def served_at() -> str:
    """The URL ./run serves on, from its HOST and PORT (a wildcard host means this machine)."""
    host = os.environ.get("HOST", "").strip() or "127.0.0.1"
    port = os.environ.get("PORT", "").strip() or "8000"
    return f"http://{'127.0.0.1' if host in {'0.0.0.0', '::'} else host}:{port}"  # noqa: S104
