"""The outbox engine (core.outbound.outbox) on a row model of its own: each due row is sent
once, failures are retried with backoff or given up, only the claim that took a row marks it,
and a row a lost worker left in "sending" is put back in line."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection, models
from django.test.utils import isolate_apps
from django.utils import timezone

from core.outbound import outbox as engine
from core.outbound.outbox import Outbox, OutboxRow, OutboxStatus
from core.outbound.transports import DeliveryError

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice_model():
    """A concrete outbox row, its table made for this test only (rolled back with it)."""
    with isolate_apps("core"):

        class Notice(OutboxRow):
            topic = models.CharField(max_length=40, default="")

            class Meta:
                app_label = "core"

    with connection.schema_editor() as editor:
        editor.create_model(Notice)
    return Notice


class Transport:
    """Records what is sent; `failures` are raised, one per send, before anything is recorded."""

    def __init__(self):
        self.sent: list = []
        self.failures: list[Exception] = []

    def send(self, message):
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(message)
        return f"ok {len(self.sent)}"


@pytest.fixture
def transport(monkeypatch):
    fake = Transport()
    monkeypatch.setattr(engine, "transport_for", lambda channel: fake)
    return fake


def outbox_of(model, **hooks) -> Outbox:
    return Outbox(model=model, compose=lambda rows: sorted(row.address for row in rows), **hooks)


def rows(model, *addresses: str, **fields) -> list[int]:
    return [model.objects.create(key=f"notice:{address}", address=address, **fields).pk for address in addresses]


def test_each_due_row_is_sent_once_however_often_it_is_asked(notice_model, transport):
    outbox = outbox_of(notice_model)
    ids = rows(notice_model, "a@example.com", "b@example.com")
    assert outbox.send_rollback_unsafe(ids) == 2
    assert outbox.send_rollback_unsafe(ids) == 0
    assert outbox.send_due_rollback_unsafe() == 0
    assert transport.sent == [["a@example.com"], ["b@example.com"]]
    assert set(notice_model.objects.values_list("status", "attempts")) == {(OutboxStatus.SENT, 1)}


def test_a_row_not_yet_due_waits(notice_model, transport):
    outbox = outbox_of(notice_model)
    rows(notice_model, "later@example.com", next_attempt_at=timezone.now() + timedelta(minutes=5))
    assert outbox.send_due_rollback_unsafe() == 0
    assert transport.sent == []


def test_rows_are_grouped_into_one_message_and_the_hooks_see_it(notice_model, transport):
    seen: list[tuple[object, ...]] = []
    outbox = outbox_of(
        notice_model,
        grouping_fields=("topic",),
        group=lambda due: [list(due)],
        after_sent=lambda group, at: seen.append(("sent", [row.address for row in group])),
        after_attempt=lambda group, result, error: seen.append(("attempt", result, error)),
    )
    rows(notice_model, "a@example.com", "b@example.com", topic="digest")
    assert outbox.send_due_rollback_unsafe() == 2
    assert transport.sent == [["a@example.com", "b@example.com"]]
    assert seen == [("sent", ["a@example.com", "b@example.com"]), ("attempt", "ok 1", None)]


def test_a_transient_failure_is_retried_with_backoff_and_a_permanent_one_is_given_up(notice_model, transport, settings):
    settings.REPORT_RETRY_BASE_SECONDS = 60
    outbox = outbox_of(notice_model)
    transient, permanent = rows(notice_model, "down@example.com", "refused@example.com")
    transport.failures = [DeliveryError("timed out"), DeliveryError("refused", is_permanent=True)]
    before = timezone.now()
    assert outbox.send_rollback_unsafe([transient, permanent]) == 0
    retrying, failed = notice_model.objects.get(pk=transient), notice_model.objects.get(pk=permanent)
    assert (retrying.status, retrying.attempts, retrying.last_error) == (OutboxStatus.RETRYING, 1, "timed out")
    assert retrying.next_attempt_at >= before + timedelta(seconds=60)
    assert (failed.status, failed.last_error) == (OutboxStatus.FAILED, "refused")


def test_a_row_fails_for_good_after_its_last_attempt(notice_model, transport, settings):
    settings.REPORT_MAX_ATTEMPTS = 2
    outbox = outbox_of(notice_model)
    [pk] = rows(notice_model, "down@example.com", attempts=1)
    transport.failures = [DeliveryError("still down")]
    outbox.send_rollback_unsafe([pk])
    assert notice_model.objects.get(pk=pk).status == OutboxStatus.FAILED
    assert outbox.retry_now([pk]) == 1
    assert notice_model.objects.get(pk=pk).status == OutboxStatus.RETRYING


def test_a_bug_composing_the_message_leaves_no_row_in_sending(notice_model, transport):
    def compose(group):
        raise KeyError("template")

    [pk] = rows(notice_model, "a@example.com")
    assert Outbox(model=notice_model, compose=compose).send_rollback_unsafe([pk]) == 0
    row = notice_model.objects.get(pk=pk)
    assert row.status == OutboxStatus.RETRYING and row.last_error.startswith("KeyError")


def test_a_failing_delivery_log_does_not_send_again(notice_model, transport):
    def after_attempt(group, result, error):
        raise RuntimeError("the log is down")

    outbox = outbox_of(notice_model, after_attempt=after_attempt)
    [pk] = rows(notice_model, "a@example.com")
    assert outbox.send_rollback_unsafe([pk]) == 1
    assert outbox.send_rollback_unsafe([pk]) == 0 and len(transport.sent) == 1


def test_a_row_is_claimed_once_and_only_its_claim_may_mark_it(notice_model):
    outbox = outbox_of(notice_model)
    [pk] = rows(notice_model, "a@example.com")
    first, second = uuid.uuid4(), uuid.uuid4()
    assert outbox.claim([pk], first) == [pk]
    assert outbox.claim([pk], second) == []
    row = notice_model.objects.get(pk=pk)
    assert outbox.mark_sent([row], second) == 0
    assert outbox.mark_sent([row], first) == 1


def test_a_row_whose_lease_ran_out_is_put_back_in_line_and_a_live_one_is_not(notice_model, settings):
    settings.REPORT_SENDING_STUCK_SECONDS = 60
    outbox = outbox_of(notice_model)
    lost, live = rows(notice_model, "lost@example.com", "live@example.com")
    now = timezone.now()
    notice_model.objects.filter(pk=lost).update(
        status=OutboxStatus.SENDING, claimed_at=now - timedelta(seconds=61), claim_token=uuid.uuid4()
    )
    notice_model.objects.filter(pk=live).update(
        status=OutboxStatus.SENDING, claimed_at=now - timedelta(seconds=30), claim_token=uuid.uuid4()
    )
    assert outbox.recover_stuck(now) == 1
    recovered = notice_model.objects.get(pk=lost)
    assert (recovered.status, recovered.claim_token) == (OutboxStatus.RETRYING, None)
    assert notice_model.objects.get(pk=live).status == OutboxStatus.SENDING


def test_every_attempt_carries_the_same_message_id_and_backoff_doubles_up_to_a_day(notice_model, settings):
    settings.RELEVO_MESSAGE_ID_DOMAIN = "relevo.example"
    settings.REPORT_RETRY_BASE_SECONDS = 60
    row = notice_model(key="escalation:12/rep 7")
    assert row.message_id == "<relevo.escalation.12.rep.7@relevo.example>"
    assert [notice_model.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert notice_model.backoff(30) == timedelta(days=1)
