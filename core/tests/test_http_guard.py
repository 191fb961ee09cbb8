"""Webhooks over HTTPS (core.outbound.http_guard): the socket goes to the address checked and pinned,
and TLS checks the certificate against the URL's host name, not that address."""

import socket
import ssl

from core.outbound import http_guard


def test_https_connects_to_the_pinned_address_and_checks_the_certificate_for_the_urls_host(monkeypatch):
    contexts, wrapped = [], []
    default_context = ssl.create_default_context

    def wrap_socket(raw, *, server_hostname):
        wrapped.append((raw, server_hostname))
        return "TLS"

    def recording_context():  # the real default context, recording what it is asked to wrap
        context = default_context()
        monkeypatch.setattr(context, "wrap_socket", wrap_socket)
        contexts.append(context)
        return context

    monkeypatch.setattr(ssl, "create_default_context", recording_context)
    monkeypatch.setattr(socket, "create_connection", lambda address, timeout: ("raw socket", address))
    connection = http_guard.PinnedHTTPSConnection("hooks.example.com", 443, address="203.0.113.7", timeout=2)
    connection.connect()
    assert wrapped == [(("raw socket", ("203.0.113.7", 443)), "hooks.example.com")]
    assert connection.sock == "TLS"
    [context] = contexts
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
