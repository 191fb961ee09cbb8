"""Webhook requests never reach private, loopback or link-local addresses (after DNS) unless allowed;
they go to the address that was checked, with a timeout and a cap on the answer read."""

import ipaddress
import socket

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from clients.webhooks import services
from conftest import make_client
from core.outbound import http_guard
from core.outbound.transports import DeliveryError, OutboundWebhook, WebhookTransport


def webhook_to(url: str) -> OutboundWebhook:
    return OutboundWebhook(url=url, secret="whsec_test", body=b"{}", event_id="e1", event_type="lead.created")


@pytest.fixture
def private_refused(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    settings.WEBHOOK_TIMEOUT_SECONDS = 1.0


@pytest.fixture
def hooks_example_is(monkeypatch):
    """Make the name hooks.example resolve to the given address (as a hostile DNS answer would)."""
    real = socket.getaddrinfo

    def answer(address):
        def getaddrinfo(host, port, *args, **kwargs):
            if host == "hooks.example":
                return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
            return real(host, port, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)

    return answer


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://172.16.5.4/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://[fe80::1]/hook",
        "http://0.0.0.0/hook",
        "http://[::ffff:127.0.0.1]/hook",
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused_for_good(private_refused, url):
    with pytest.raises(DeliveryError) as refused:
        WebhookTransport().send(webhook_to(url))
    assert refused.value.is_permanent
    assert "refused" in str(refused.value)


def test_a_name_resolving_to_loopback_is_refused_and_never_connected(private_refused, receiver, hooks_example_is):
    hooks_example_is("127.0.0.1")
    port = receiver.server.server_address[1]
    with pytest.raises(DeliveryError) as refused:
        WebhookTransport().send(webhook_to(f"http://hooks.example:{port}/hook"))
    assert refused.value.is_permanent
    assert receiver.received == []


def test_localhost_is_refused(private_refused, receiver):
    port = receiver.server.server_address[1]
    with pytest.raises(DeliveryError):
        WebhookTransport().send(webhook_to(f"http://localhost:{port}/hook"))
    assert receiver.received == []


def test_the_request_goes_to_the_checked_address_with_the_urls_host_name(settings, receiver, hooks_example_is):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    hooks_example_is("127.0.0.1")
    port = receiver.server.server_address[1]
    assert WebhookTransport().send(webhook_to(f"http://hooks.example:{port}/hook")).status_code == 200
    assert receiver.received[0].headers["Host"] == f"hooks.example:{port}"


def test_public_addresses_pass_the_check():
    assert http_guard.is_public_address("93.184.216.34")
    assert http_guard.is_public_address("2606:4700::6810:84e5")
    assert not http_guard.is_public_address("100.64.0.1")  # carrier-grade NAT is not the internet either


def six_to_four(v4: str) -> str:
    return str(ipaddress.IPv6Address((0x2002 << 112) | (int(ipaddress.IPv4Address(v4)) << 80) | 1))


def teredo(client: str, server: str = "65.54.227.120") -> str:
    """A Teredo address: 2001:0::/32, the server, flags and port, then the client XOR ffff:ffff."""
    obscured = int(ipaddress.IPv4Address(client)) ^ 0xFFFFFFFF
    return str(
        ipaddress.IPv6Address(
            (0x20010000 << 96) | (int(ipaddress.IPv4Address(server)) << 64) | (0x8000 << 48) | (0x63BF << 32) | obscured
        )
    )


def in_last_32_bits(prefix: str, v4: str) -> str:
    return str(ipaddress.IPv6Address(int(ipaddress.IPv6Address(prefix)) | int(ipaddress.IPv4Address(v4))))


EMBEDDINGS = {
    "IPv4-mapped": lambda v4: in_last_32_bits("::ffff:0:0", v4),
    "IPv4-compatible": lambda v4: in_last_32_bits("::", v4),
    "6to4": six_to_four,
    "Teredo client": teredo,
    "Teredo server": lambda v4: teredo("93.184.216.34", server=v4),
    "NAT64": lambda v4: in_last_32_bits("64:ff9b::", v4),
}
PRIVATE_V4 = {
    "loopback": "127.0.0.1",
    "private 10/8": "10.1.2.3",
    "private 172.16/12": "172.16.5.4",
    "private 192.168/16": "192.168.0.10",
    "link-local (metadata)": "169.254.169.254",
    "CGNAT": "100.64.0.1",
    "unspecified": "0.0.0.0",  # noqa: S104 (an address the guard must refuse, not a bind)
    "this network": "0.1.2.3",
    "multicast": "224.0.0.1",
    "reserved": "240.0.0.1",
    "broadcast": "255.255.255.255",
    "benchmarking": "198.18.0.1",
    "documentation": "192.0.2.1",
    "IETF protocol": "192.0.0.1",
}


@pytest.mark.parametrize("form", EMBEDDINGS)
@pytest.mark.parametrize("kind", PRIVATE_V4)
def test_every_ipv6_form_of_a_private_ipv4_address_is_refused(private_refused, form, kind):
    address = EMBEDDINGS[form](PRIVATE_V4[kind])
    assert not http_guard.is_public_address(address)
    with pytest.raises(DeliveryError) as refused:
        WebhookTransport().send(webhook_to(f"http://[{address}]:9999/hook"))
    assert refused.value.is_permanent


@pytest.mark.parametrize(
    "address", ["2002:7f00:1::", "2002:a9fe:a9fe::1", "64:ff9b:1::7f00:1", "64:ff9b:1:5db8:d8:2200::", "::1", "::"]
)
def test_the_reported_6to4_loopback_and_nat64_local_use_are_refused(address):
    assert not http_guard.is_public_address(address)


@pytest.mark.parametrize("form", EMBEDDINGS)
def test_every_ipv6_form_of_a_public_ipv4_address_is_allowed(form):
    assert http_guard.is_public_address(EMBEDDINGS[form]("93.184.216.34"))


ipv4_addresses = st.integers(0, 2**32 - 1).map(ipaddress.IPv4Address).map(str)


@given(ipv4_addresses, st.sampled_from(sorted(EMBEDDINGS)))
def test_an_embedded_ipv4_address_is_judged_as_the_address_itself(v4, form):
    assert http_guard.is_public_address(EMBEDDINGS[form](v4)) == http_guard.is_public_address(v4)


def test_only_the_capped_part_of_an_answer_is_read(receiver):
    receiver.script = lambda event_id, nth: "200-huge"
    answer = http_guard.post_guarded(receiver.url, b"{}", {}, timeout=5, max_response_bytes=1024, allow_private=True)
    assert answer.status == 200 and len(answer.body) == 1024


@pytest.mark.parametrize("url", ["ftp://hooks.example/", "http://user:pw@hooks.example/", "hooks.example"])
def test_other_urls_are_refused_for_good(private_refused, url):
    with pytest.raises(DeliveryError) as refused:
        WebhookTransport().send(webhook_to(url))
    assert refused.value.is_permanent


def test_an_endpoint_on_a_literal_private_address_is_not_saved(db, private_refused):
    with pytest.raises(ValidationError) as refused:
        services.create_endpoint(client=make_client(), url="http://169.254.169.254/", events=["lead.created"])
    assert "url" in refused.value.message_dict
