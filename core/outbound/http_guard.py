"""Outbound HTTP that cannot be aimed at the agency's own network (SSRF).

A webhook URL is typed by a client: resolving it could reach a private service, the
loopback interface or a cloud metadata address. The host is resolved once, every
address it resolves to is checked, and the connection is made to that checked address
(pinned), so a DNS answer that changes between the check and the connection
(rebinding) cannot slip through. TLS still verifies the certificate for the host name.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit


class RefusedAddress(Exception):
    """The URL's host is (or resolves to) an address outbound requests may not reach."""


class UnresolvableHost(Exception):
    """DNS gave no address for the host (perhaps for now)."""


@dataclass(frozen=True, slots=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str


def parse_target(url: str) -> Target:
    """The parts of an http(s) URL a request needs; ValueError for anything else."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("only http and https URLs with a host")
    if parts.username or parts.password:
        raise ValueError("no credentials in the URL")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme=parts.scheme, host=parts.hostname, port=port, path=path)


# NAT64 (RFC 6052): the well-known prefix carries the IPv4 address in its last 32 bits; the
# local-use prefix (RFC 8215) may carry it at any of six places and is never global, so it is refused whole.
NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")
NAT64_LOCAL_USE = ipaddress.IPv6Network("64:ff9b:1::/48")
IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address] | None:
    """The IPv4 addresses an IPv6 address leads to (IPv4-mapped, IPv4-compatible, 6to4, Teredo
    server and client, NAT64), or None when it embeds none: a packet to it reaches those."""
    if ip.ipv4_mapped:
        return [ip.ipv4_mapped]
    if ip.sixtofour:
        return [ip.sixtofour]
    if ip.teredo:
        return list(ip.teredo)
    if ip in NAT64_WELL_KNOWN or ip in IPV4_COMPATIBLE:
        return [ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)]
    return None


def is_public_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Globally routable unicast, judged by what the address itself names (no embedding)."""
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local)


def is_public_address(address: str) -> bool:
    """Globally routable unicast: not private, loopback, link-local, CGNAT, multicast, reserved or
    unspecified; an IPv6 address embedding IPv4 ones (6to4, Teredo, NAT64, IPv4-mapped or
    -compatible) is judged by every address it embeds, the way a packet sent to it would travel."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in NAT64_LOCAL_USE:
            return False
        embedded = embedded_ipv4(ip)
        if embedded is not None:
            return all(is_public_ip(v4) for v4 in embedded)
    return is_public_ip(ip)


def resolve_pinned(host: str, port: int, *, allow_private: bool) -> str:
    """The one address to connect to: the first the host resolves to, after every one is checked."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise UnresolvableHost(f"cannot resolve {host}: {error}") from error
    addresses = [str(info[4][0]) for info in infos]  # the host of an IPv4 or IPv6 sockaddr (a str already)
    if not addresses:
        raise UnresolvableHost(f"cannot resolve {host}")
    if not allow_private:
        refused = [address for address in addresses if not is_public_address(address)]
        if refused:
            raise RefusedAddress(f"{host} resolves to a private, loopback or link-local address ({refused[0]})")
    return addresses[0]


class PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to `address` while the Host header names the URL's host."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to `address`; TLS checks the certificate against the URL's host name."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        self.tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.address = address

    def connect(self) -> None:
        raw = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(raw, server_hostname=self.host)


@dataclass(frozen=True, slots=True)
class GuardedResponse:
    status: int
    body: bytes  # at most the size cap


def post_guarded(
    url: str, body: bytes, headers: dict[str, str], *, timeout: float, max_response_bytes: int, allow_private: bool
) -> GuardedResponse:
    """POST `body` to a checked, pinned address; redirects are not followed; the answer is read up to the cap.

    Raises ValueError (bad URL), RefusedAddress, UnresolvableHost, OSError (connection, timeout)
    or http.client.HTTPException."""
    target = parse_target(url)
    address = resolve_pinned(target.host, target.port, allow_private=allow_private)
    connection_class = PinnedHTTPSConnection if target.scheme == "https" else PinnedHTTPConnection
    connection = connection_class(target.host, target.port, address=address, timeout=timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        return GuardedResponse(status=response.status, body=response.read(max_response_bytes))
    finally:
        connection.close()
