"""A real uvicorn process with LOG_FORMAT=json: its own lines and Django's are JSON, carry the request
id, are redacted, and the answered probes stay out of the access log."""

import json
import urllib.error
import urllib.request

import pytest

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]
TOKEN = "Zx9-visitor-secret-token_abc"


def get(port: int, path: str, **headers) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (our own server)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_server_writes_json_lines_with_the_request_id_and_no_secrets(asgi_servers, tmp_path):
    log = tmp_path / "server.log"
    with log.open("w") as output:
        server = asgi_servers(env={"LOG_FORMAT": "json"}, args=("--log-level", "info"), output=output)
        assert get(server.port, "/healthz") == 200
        assert get(server.port, f"/nope/maria@shop.example/?token={TOKEN}", **{"X-Request-ID": "lb-1234"}) == 404
        server.stop()
    text = log.read_text()
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    assert {line["logger"] for line in lines} >= {"uvicorn.error", "uvicorn.access", "django.request"}
    failed = [line for line in lines if "/nope/" in line["message"]]
    assert {line["logger"] for line in failed} == {"uvicorn.access", "django.request"}
    assert all(line["request_id"] == "lb-1234" for line in failed)
    assert TOKEN not in text and "maria@" not in text
    assert not any("/healthz" in line["message"] for line in lines)  # an answered probe is not news
