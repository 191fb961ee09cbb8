"""Emails leave over SMTP when the operator sets EMAIL_HOST and a login: a password reset from
a real server, and an escalation report built and sent by a real Celery worker, reach a real
SMTP server on a non-default port that takes mail only after that login."""

import re
import uuid
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pytest
from django.contrib.auth import get_user_model

from agency.tests.smtp_server import SmtpServer
from chats.tests.test_faults import RedisServer
from conftest import AsgiServer, make_agent, make_client, session_cookie, start_chat, subprocess_env
from reports.delivery.tests.real_worker import CeleryWorker, close_over_websocket, escalate_over_http, worker_env
from reports.tests.personas import make_representative

pytestmark = [
    pytest.mark.server,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS"),
]  # loopback only


@pytest.fixture
def smtp_server():
    server = SmtpServer(username="relevo-mailer", password=f"pw-{uuid.uuid4().hex[:8]}").start()
    yield server
    server.stop()


def smtp_env(base: dict, smtp: SmtpServer) -> dict:
    """Only what the README tells an operator to set: no EMAIL_BACKEND."""
    return {name: value for name, value in base.items() if name != "EMAIL_BACKEND"} | smtp.environment()


def ask_for_a_password_reset(server: AsgiServer, address: str) -> None:
    csrf = uuid.uuid4().hex  # 32 characters: a valid unmasked CSRF secret
    request = Request(  # noqa: S310 (our own server on 127.0.0.1)
        f"{server.url}/accounts/password_reset/",
        method="POST",
        data=urlencode({"email": address, "csrfmiddlewaretoken": csrf}).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}",
            "Origin": server.url,
            "Referer": f"{server.url}/accounts/password_reset/",
        },
    )
    with urlopen(request, timeout=20) as response:  # noqa: S310 (our own server on 127.0.0.1)
        assert response.url.endswith("/accounts/password_reset/done/")


def test_a_password_reset_email_goes_out_through_the_smtp_server_with_the_login(smtp_server):
    address = f"olga-{uuid.uuid4().hex[:8]}@example.com"
    get_user_model().objects.create_user("olga", address, "old-pw-olga")
    server = AsgiServer(smtp_env(subprocess_env(), smtp_server)).start()
    try:
        ask_for_a_password_reset(server, address)
        [(login, message)] = smtp_server.wait_for(1, timeout=20)
    finally:
        server.stop()
    assert login == "relevo-mailer"
    assert message["To"] == address
    text = next(part for part in message.walk() if part.get_content_type() == "text/plain")
    assert re.search(r"/accounts/reset/\S+/\S+/", text.get_payload(decode=True).decode())
    assert not smtp_server.refused_logins


def test_a_real_worker_sends_an_escalation_report_through_the_smtp_server(smtp_server, tmp_path):
    shop = make_client("SMTP shop")
    ana = make_agent("ana", shop)
    chat = start_chat(shop)
    rita = make_representative("rita", shop)
    redis = RedisServer().start()
    env = smtp_env(worker_env(subprocess_env(), redis_port=redis.port, email_dir=tmp_path), smtp_server)
    server = AsgiServer(env).start()
    worker = CeleryWorker(env).start()
    try:
        cookie = session_cookie(ana.user).decode()
        escalate_over_http(
            server, cookie=cookie, conversation_id=chat.conversation.pk, question="Can I return the vase after 60 days?"
        )
        close_over_websocket(server, cookie=cookie, conversation_id=chat.conversation.pk)
        [(login, message)] = smtp_server.wait_for(1, timeout=40)
    finally:
        worker.stop()
        server.stop()
        redis.stop()
    assert login == "relevo-mailer"
    assert message["To"] == rita.user.email
    body = next(part for part in message.walk() if part.get_content_type() == "text/plain")
    assert "Can I return the vase" in body.get_payload(decode=True).decode()
    assert not list(tmp_path.glob("*.log")), "nothing went to the file backend"
