"""Web origins (RFC 6454): exactly `scheme://host[:port]`, compared on all three.

One strict parser for every check: a client's allowed widget origins, the CORS
echo, the visitor socket, and the console's own sockets. Anything else (a path,
userinfo, a query, a bad port, `null`) is not an origin and is refused, never
matched by prefix or by hostname alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}
ORIGIN = re.compile(
    r"(?P<scheme>https?)://"
    r"(?P<host>\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)"
    r"(?::(?P<port>[0-9]{1,5}))?",
    re.IGNORECASE | re.ASCII,
)


@dataclass(frozen=True, slots=True)
class Origin:
    scheme: str
    host: str
    port: int

    def __str__(self) -> str:
        port = "" if DEFAULT_PORTS[self.scheme] == self.port else f":{self.port}"
        return f"{self.scheme}://{self.host}{port}"


def parse_origin(value: str | None) -> Origin | None:
    """The origin `value` names exactly (an `Origin` header), or None when it is not one."""
    if not value:
        return None
    match = ORIGIN.fullmatch(value)
    if match is None:
        return None
    scheme = match["scheme"].lower()
    port = int(match["port"]) if match["port"] else DEFAULT_PORTS[scheme]
    if not 0 < port < 65536:
        return None
    return Origin(scheme=scheme, host=match["host"].lower(), port=port)


def parse_configured_origin(value: str) -> Origin | None:
    """An origin typed in a setting or the admin: surrounding blanks and one trailing slash allowed."""
    value = value.strip()
    return parse_origin(value[:-1] if value.endswith("/") else value)


def is_own_origin(origin: str | None, *, host: str | None, is_secure: bool) -> bool:
    """Is `origin` a page of Relevo itself? The same rule as Django's CSRF origin check:
    the request's own origin (its scheme, and a Host within ALLOWED_HOSTS) or one of
    CSRF_TRUSTED_ORIGINS (exact entries; wildcards are not honoured here)."""
    parsed = parse_origin(origin)
    if parsed is None:
        return False
    if host:
        domain, _port = split_domain_port(host)
        own = parse_origin(f"{'https' if is_secure else 'http'}://{host}")
        if domain and validate_host(domain, settings.ALLOWED_HOSTS) and parsed == own:
            return True
    return parsed in {parse_configured_origin(trusted) for trusted in settings.CSRF_TRUSTED_ORIGINS}
