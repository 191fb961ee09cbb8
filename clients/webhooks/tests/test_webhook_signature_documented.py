"""The verification documented in docs/webhooks.md accepts Relevo's requests and rejects replays and forgeries."""

import re
import time
from pathlib import Path

import pytest

from clients.webhooks.tests.webhook_fixtures import emit, make_endpoint
from conftest import make_client
from core.outbound.transports import webhook_signature

DOC = Path(__file__).resolve().parents[3] / "docs" / "webhooks.md"


@pytest.fixture
def verify():
    code = re.search(r"## Verifying the signature.*?```python\n(.*?)```", DOC.read_text(), re.S).group(1)
    assert len(code.strip().splitlines()) <= 11
    namespace = {}
    exec(code, namespace)  # noqa: S102  (our own documentation)
    return namespace["verify"]


def test_the_documented_verification_accepts_a_real_request(
    db, receiver, webhook_settings, verify, django_capture_on_commit_callbacks
):
    endpoint = make_endpoint(make_client(), receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        emit(endpoint.client)
    seen = receiver.received[0]
    assert verify(endpoint.secret, seen.body, seen.headers["Relevo-Signature"])
    assert not verify("whsec_wrong", seen.body, seen.headers["Relevo-Signature"])
    assert not verify(endpoint.secret, seen.body.replace(b"lead", b"fake"), seen.headers["Relevo-Signature"])


def test_the_documented_verification_rejects_a_stale_timestamp(verify):
    stale = int(time.time()) - 3600
    header = f"t={stale},v1={webhook_signature('whsec_s', stale, b'{}')}"
    assert not verify("whsec_s", b"{}", header)
