"""A backlog of abandoned queued chats is swept in batches: a bounded number of queries and one
announcement of places in line per client, not one per chat (which stalled the worker). A sweep
is never sent while the same sweep is queued or running, whoever sends it (beat, any process)."""

import hashlib
from datetime import timedelta

import pytest
import redis
from celery.app.task import Task
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agency.models import Presence
from chats import after_hours, assignment, events, services, tasks
from chats.models import Conversation, ConversationStatus, Visitor
from chats.tests.test_outside_coverage import close_today
from conftest import make_agent, make_client, new_client_id, start_chat
from core import limits

pytestmark = pytest.mark.django_db(transaction=True)


def abandoned_queue(client, count: int) -> None:
    """`count` queued chats of `client` whose visitors connected and left ten minutes ago."""
    long_ago = timezone.now() - timedelta(minutes=10)
    visitors = Visitor.objects.bulk_create([Visitor(client=client, name=f"Gone {n}") for n in range(count)])
    Conversation.objects.bulk_create(
        [
            Conversation(
                client=client,
                visitor=visitor,
                status=ConversationStatus.QUEUED,
                token_hash=hashlib.sha256(str(visitor.pk).encode()).hexdigest(),
                visitor_connected_at=long_ago,
                visitor_last_seen_at=long_ago,
            )
            for visitor in visitors
        ]
    )


@pytest.fixture
def announcements(monkeypatch):
    """Every announcement of a client's places in line, and every status doorbell rung."""
    seen = {"queues": [], "doorbells": 0}
    real_announce = assignment.announce_queue_positions

    def announce(*, client_id):
        seen["queues"].append(client_id)
        real_announce(client_id=client_id)

    def send_now(group, event):
        seen["doorbells"] += 1

    monkeypatch.setattr(assignment, "announce_queue_positions", announce)
    monkeypatch.setattr(events, "send_now", send_now)
    return seen


def test_eight_hundred_abandoned_chats_are_swept_in_a_bounded_number_of_queries(announcements):
    shop, other = make_client("Shop"), make_client("Other shop")
    make_agent("ana", shop, presence=Presence.OFFLINE)
    abandoned_queue(shop, 500)
    abandoned_queue(other, 300)
    still_waiting = start_chat(shop, "Still here")

    with CaptureQueriesContext(connection) as queries:
        assert services.sweep_abandoned_conversations() == 800

    assert Conversation.objects.filter(status=ConversationStatus.MISSED).count() == 800
    assert Conversation.objects.get(pk=still_waiting.conversation.pk).status == ConversationStatus.QUEUED
    assert sorted(announcements["queues"]) == sorted([shop.pk, other.pk]), "one announcement per client"
    assert len(queries) <= 60, f"{len(queries)} queries for 800 chats"
    # One status doorbell per missed chat, one floor ring per batch and one place for the visitor left.
    assert announcements["doorbells"] <= 800 + 800 // settings.CHAT_SWEEP_BATCH + 1 + 1


def test_chats_whose_visitors_wrote_still_become_leads_in_a_batch(announcements):
    shop = make_client("Shop")
    chats = [start_chat(shop, f"Writer {n}") for n in range(3)]
    services.post_message(
        conversation_id=chats[1].conversation.pk,
        sender="visitor",
        body="Please call me back",
        client_id=new_client_id(),
    )
    Conversation.objects.filter(status=ConversationStatus.QUEUED).update(
        visitor_last_seen_at=timezone.now() - timedelta(minutes=10)
    )
    assert services.sweep_abandoned_conversations() == 3
    leads = list(Conversation.objects.filter(lead__isnull=False).values_list("pk", flat=True))
    assert leads == [chats[1].conversation.pk]


def test_a_queue_of_eight_hundred_closing_with_coverage_takes_a_bounded_number_of_queries(announcements):
    shop = make_client("Shop", timezone="UTC")
    abandoned_queue(shop, 800)
    close_today(shop)
    with CaptureQueriesContext(connection) as queries:
        assert after_hours.close_queues_outside_coverage() == 800
    assert Conversation.objects.filter(status=ConversationStatus.MISSED).count() == 800
    assert announcements["queues"] == [], "a closed queue has no places left to announce"
    assert len(queries) <= 60, f"{len(queries)} queries for 800 chats"
    # Per chat its missed and its offline status; one floor ring per batch.
    assert announcements["doorbells"] <= 2 * 800 + 800 // settings.CHAT_SWEEP_BATCH


def test_eight_hundred_unconnected_chats_are_dropped_in_a_bounded_number_of_queries(settings):
    shop = make_client("Shop")
    abandoned_queue(shop, 800)
    Conversation.objects.update(visitor_connected_at=None, requested_at=timezone.now() - timedelta(minutes=10))
    with CaptureQueriesContext(connection) as queries:
        assert services.sweep_unconnected_conversations() == 800
    assert not Conversation.objects.exists() and not Visitor.objects.exists()
    # The cascade over every table that points at a chat costs the same for one batch or 200 chats.
    assert len(queries) <= 30 * (800 // settings.CHAT_SWEEP_BATCH), f"{len(queries)} queries for 800 chats"


# --- At most one of each sweep queued or running -------------------------------------------


@pytest.fixture
def broker(monkeypatch):
    """What reaches the broker: the sends Celery would make (no worker runs them)."""
    sent = []

    def send(task, args=None, kwargs=None, task_id=None, **options):
        sent.append((task.name, task_id))
        return task.AsyncResult(task_id)

    monkeypatch.setattr(Task, "apply_async", send)
    yield sent
    with redis.Redis.from_url(settings.REDIS_URL) as probe:
        probe.delete(
            *(claim_key(task) for task in (tasks.sweep_abandoned_conversations, tasks.sweep_unconnected_conversations))
        )


def claim_key(task) -> str:
    return f"{settings.CHANNEL_LAYER_PREFIX}:claim:{task.claim_key()}"


def redis_claim(task) -> bytes | None:
    with redis.Redis.from_url(settings.REDIS_URL) as probe:
        return probe.get(claim_key(task))


def test_a_sweep_is_not_sent_again_while_one_is_queued(broker):
    sweep = tasks.sweep_abandoned_conversations
    first = sweep.apply_async()
    assert first is not None and redis_claim(sweep) == first.id.encode(), "the claim is in Redis"
    assert sweep.apply_async() is None
    assert sweep.delay() is None
    assert tasks.sweep_unconnected_conversations.apply_async() is not None, "another sweep has its own claim"
    assert [name for name, _ in broker] == [
        "chats.tasks.sweep_abandoned_conversations",
        "chats.tasks.sweep_unconnected_conversations",
    ]

    sweep.after_return("SUCCESS", 0, first.id, (), {}, None)  # the worker ran it
    assert redis_claim(sweep) is None
    assert sweep.apply_async() is not None


def test_another_process_cannot_send_the_sweep_while_one_is_queued(broker):
    sweep = tasks.sweep_abandoned_conversations
    first = sweep.apply_async()
    beat = limits.SharedCounters(settings.REDIS_URL, settings.CHANNEL_LAYER_PREFIX)  # as another process sees it
    assert not beat.claim(sweep.claim_key(), owner="beat", seconds=60)
    sweep.after_return("SUCCESS", 0, "someone else's id", (), {}, None)
    assert redis_claim(sweep) == first.id.encode(), "only the claim's owner gives it back"


def test_eager_sweeps_run_every_time_they_are_sent():
    shop = make_client("Shop")
    abandoned_queue(shop, 2)
    assert tasks.sweep_abandoned_conversations.delay().get() == 2
    abandoned_queue(shop, 1)
    assert tasks.sweep_abandoned_conversations.delay().get() == 1
