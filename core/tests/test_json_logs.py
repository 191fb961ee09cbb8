"""LOG_FORMAT=json: one JSON object a line, with the request's context, and redacted like plain lines."""

import io
import json
import logging
import os
import subprocess
import sys

import pytest

from chats import visitor_presence
from conftest import ROOT, open_visitor, receive_until
from core import log_context
from core.json_logs import JsonFormatter, QuietProbes

TOKEN = "Zx9-visitor-secret-token_abc"


def json_line(record: logging.LogRecord) -> dict:
    return json.loads(JsonFormatter().format(record))


def record(msg: str, *args, name: str = "chats.consumers", level: int = logging.WARNING) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, msg, args, None)


def test_a_line_has_time_level_logger_message_and_the_context():
    with log_context.fresh(request_id="req-1", conversation_id=7, client_id=2):
        line = json_line(record("stored %s messages", 3))
    assert line["level"] == "WARNING" and line["logger"] == "chats.consumers"
    assert line["message"] == "stored 3 messages"
    assert line["time"].endswith("+00:00")
    assert (line["request_id"], line["conversation_id"], line["client_id"]) == ("req-1", 7, 2)
    assert "agent_id" not in line  # unknown: left out


def test_tokens_and_emails_never_reach_the_json():
    line = json_line(record("visitor maria.lopez@shop.example sent /ws/chat/1/?token=%s&x=1", TOKEN))
    assert TOKEN not in json.dumps(line) and "maria.lopez" not in json.dumps(line)
    assert line["message"] == "visitor [email] sent /ws/chat/1/?token=[redacted]&x=1"


def test_a_traceback_is_redacted_too():
    try:
        raise ValueError(f"no chat for token={TOKEN} of ana@agency.example")
    except ValueError:
        failed = logging.LogRecord("chats", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    line = json_line(failed)
    assert "ValueError" in line["exception"]
    assert TOKEN not in line["exception"] and "ana@agency.example" not in line["exception"]


def test_log_format_json_makes_every_line_json_and_redacted():
    """The real settings, in a fresh process: LOG_FORMAT=json selects the formatter, the redaction stays."""
    code = (
        "import django, logging; django.setup(); "
        f"logging.getLogger('chats.services').warning('transcript for %s', 'maria@shop.example?token={TOKEN}')"
    )
    env = {**os.environ, "LOG_FORMAT": "json", "DJANGO_SETTINGS_MODULE": "agency.settings"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    lines = [json.loads(text) for text in done.stderr.splitlines() if text.startswith("{")]
    assert len(lines) == 1, done.stderr
    assert lines[0]["logger"] == "chats.services" and lines[0]["level"] == "WARNING"
    assert lines[0]["message"] == "transcript for [email]?token=[redacted]"
    assert TOKEN not in done.stderr and "maria@" not in done.stderr


def test_an_unknown_log_format_stops_the_start():
    env = {**os.environ, "LOG_FORMAT": "yaml", "DJANGO_SETTINGS_MODULE": "agency.settings"}
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode != 0 and "LOG_FORMAT='yaml' is not one of text, json" in done.stderr


def test_answered_probes_stay_out_of_the_access_log():
    quiet = QuietProbes()

    def access(path: str, status: int) -> logging.LogRecord:
        return record('%s - "%s %s HTTP/%s" %d', "10.0.0.1:5000", "GET", path, "1.1", status, name="uvicorn.access")

    assert not quiet.filter(access("/healthz", 200))
    assert not quiet.filter(access("/metrics", 200))
    assert quiet.filter(access("/readyz", 503))  # a failing probe is news
    assert quiet.filter(access("/console/", 200))


def test_a_request_gets_an_id_and_sends_it_back(client):
    kept = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a.42")
    assert kept["X-Request-ID"] == "lb-7f3a.42"
    for forged in ("two words", "x" * 65, 'a"}{"level":"INFO'):
        fresh = client.get("/healthz", HTTP_X_REQUEST_ID=forged)
        assert fresh["X-Request-ID"] != forged and len(fresh["X-Request-ID"]) == 32
    assert client.get("/healthz")["X-Request-ID"] != client.get("/healthz")["X-Request-ID"]


@pytest.mark.django_db(transaction=True)
async def test_a_socket_s_lines_name_its_request_id_and_conversation(served_chat, monkeypatch):
    """Lines written by a service in a database thread still name the socket's connection and chat."""
    _, chat = served_chat
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("chats.services")
    logger.addHandler(handler)
    heartbeat = visitor_presence.visitor_heartbeat

    def logged_heartbeat(**kwargs):
        logger.warning("heartbeat of maria@shop.example")
        return heartbeat(**kwargs)

    monkeypatch.setattr(visitor_presence, "visitor_heartbeat", logged_heartbeat)
    try:
        visitor = await open_visitor(chat)
        await visitor.send_json_to({"type": "ping"})
        await receive_until(visitor, lambda f: f["type"] == "pong")
        await visitor.disconnect()
    finally:
        logger.removeHandler(handler)
    line = json.loads(stream.getvalue().splitlines()[0])
    assert line["message"] == "heartbeat of [email]"
    assert line["conversation_id"] == chat.conversation.pk
    assert line["client_id"] == chat.conversation.client_id
    assert len(line["request_id"]) == 32
