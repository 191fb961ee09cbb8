"""Reports go through real processes: uvicorn enqueues to Redis, a Celery worker builds and sends.

A worker killed with SIGKILL in the middle of an email loses nothing: a new worker's
sweep sends the emails the dead one had not started at once, and the one it left in
"sending" once its lease runs out; every representative sees the report once
(counted by Message-ID). Counts are printed for the issue's note (pytest -s).
"""

from datetime import timedelta

import pytest

from chats.tests.test_faults import RedisServer
from conftest import AsgiServer, make_agent, make_client, session_cookie, start_chat, subprocess_env
from reports.delivery.tests.real_worker import (
    CeleryWorker,
    close_over_websocket,
    delivery_counts,
    escalate_over_http,
    sent_emails,
    wait_until,
    worker_env,
)
from reports.models import Delivery, DeliveryStatus, Report
from reports.tests.personas import make_representative

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_server():
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def report_world(transactional_db, redis_server, tmp_path):
    """A served chat, two subscribed representatives, one who gets no emails, and an outsider."""
    shop = make_client("Worker shop")
    ana = make_agent("ana", shop)
    chat = start_chat(shop)
    subscribed = [make_representative("rita", shop), make_representative("rafa", shop, categories=["refund"])]
    make_representative("quiet", shop, receives_emails=False)
    make_representative("oscar", make_client("Other shop"))
    email_dir = tmp_path / "emails"
    email_dir.mkdir()
    return {
        "chat": chat,
        "cookie": session_cookie(ana.user).decode(),
        "email_dir": email_dir,
        "addresses": sorted(rep.user.email for rep in subscribed),
        "tmp_path": tmp_path,
        "redis_port": redis_server.port,
    }


def chat_with_an_escalation_is_closed(world, server) -> int:
    conversation_id = world["chat"].conversation.pk
    escalate_over_http(
        server, cookie=world["cookie"], conversation_id=conversation_id, question="Can I return the vase after 60 days?"
    )
    close_over_websocket(server, cookie=world["cookie"], conversation_id=conversation_id)
    return conversation_id


def report_deliveries(conversation_id: int):
    report = Report.objects.filter(conversation_id=conversation_id).first()
    return list(report.deliveries.order_by("pk")) if report else []


def all_sent(conversation_id: int) -> bool:
    rows = report_deliveries(conversation_id)
    return bool(rows) and all(row.status == DeliveryStatus.SENT for row in rows)


def test_a_closed_chat_is_reported_by_a_real_worker_once_per_representative(report_world):
    env = worker_env(subprocess_env(), redis_port=report_world["redis_port"], email_dir=report_world["email_dir"])
    server = AsgiServer(env).start()
    worker = CeleryWorker(env).start()
    try:
        conversation_id = chat_with_an_escalation_is_closed(report_world, server)
        wait_until(lambda: all_sent(conversation_id), timeout=25, what="the report's deliveries to be sent")
    finally:
        worker.stop()
        server.stop()
    messages = sent_emails(report_world["email_dir"])
    counts = delivery_counts(messages)
    print(f"\nreal worker: {counts}")  # noqa: T201
    assert sorted(message["To"] for message in messages) == report_world["addresses"]
    assert counts["duplicated"] == 0
    assert all(
        "Can I return the vase" in message.get_payload()[0].get_payload(decode=True).decode() for message in messages
    )


def slow_email_env(world, lease: int) -> dict:
    return worker_env(
        subprocess_env(),
        redis_port=world["redis_port"],
        email_dir=world["email_dir"],
        EMAIL_BACKEND="reports.delivery.tests.slow_email_backend.EmailBackend",
        EMAIL_SLOW_SECONDS="2",
        REPORT_SENDING_STUCK_SECONDS=str(lease),
        REPORT_SWEEP_SECONDS="1",
    )


def kill_the_worker_mid_email(world, worker, conversation_id: int) -> tuple[Delivery, Delivery]:
    """Rows are claimed one email at a time: kill the worker while the first email is on its way."""
    wait_until(
        lambda: [row.status for row in report_deliveries(conversation_id)].count(DeliveryStatus.SENDING),
        timeout=25,
        what="the first email to start",
    )
    worker.kill()
    stuck, waiting = sorted(report_deliveries(conversation_id), key=lambda row: row.status != "sending")
    assert (stuck.status, waiting.status) == (DeliveryStatus.SENDING, DeliveryStatus.QUEUED)
    assert not sent_emails(world["email_dir"])
    return stuck, waiting


def each_representative_got_the_report_once(world) -> None:
    messages = sent_emails(world["email_dir"])
    counts = delivery_counts(messages)
    print(f"\nworker killed while sending: {counts}")  # noqa: T201
    by_recipient = {
        address: {m["Message-ID"] for m in messages if m["To"] == address} for address in world["addresses"]
    }
    assert all(len(ids) == 1 for ids in by_recipient.values()), by_recipient
    assert counts["delivered"] == len(world["addresses"]) and counts["duplicated"] == 0
    assert set().union(*by_recipient.values()) == {row.message_id for row in Delivery.objects.all()}


def test_a_worker_killed_while_sending_loses_and_duplicates_no_report(report_world):
    lease = 10
    env = slow_email_env(report_world, lease)
    server = AsgiServer(env).start()
    first = CeleryWorker(env).start()
    second = CeleryWorker(env, with_beat=True, schedule_dir=report_world["tmp_path"])
    try:
        conversation_id = chat_with_an_escalation_is_closed(report_world, server)
        stuck, waiting = kill_the_worker_mid_email(report_world, first, conversation_id)
        second.start()
        # The other recipient's email was never claimed: it goes out at the next sweep, not after the lease.
        wait_until(
            lambda: Delivery.objects.get(pk=waiting.pk).status == DeliveryStatus.SENT,
            timeout=lease,
            what="the other recipient's email",
        )
        assert Delivery.objects.get(pk=stuck.pk).claim_token == stuck.claim_token  # still the dead worker's
        wait_until(lambda: all_sent(conversation_id), timeout=lease + 15, what="the stuck delivery to be sent again")
    finally:
        first.kill()
        second.stop()
        server.stop()
    each_representative_got_the_report_once(report_world)
    recovered = Delivery.objects.get(pk=stuck.pk)
    assert recovered.attempts == 2 and recovered.claimed_at - stuck.claimed_at >= timedelta(seconds=lease)
