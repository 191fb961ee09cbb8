"""The analytics selectors, against chats with fixed timestamps and hand-computed figures."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from chats.models import Conversation, ConversationStatus, Message, SenderKind, Visitor
from conftest import make_agent, make_client
from reports.analytics import selectors as analytics

pytestmark = pytest.mark.django_db

DAY_START = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday
DAY_END = DAY_START + timedelta(days=1)


def chat_at(
    client,
    requested_at,
    *,
    agent=None,
    assigned=None,
    first_response=None,
    closed=None,
    status=ConversationStatus.CLOSED,
    messages=0,
) -> Conversation:
    """A conversation requested at `requested_at`; the other times are seconds after it."""
    visitor = Visitor.objects.create(client=client, name="Maria")
    conversation = Conversation.objects.create(client=client, visitor=visitor, agent=agent, status=status)

    def offset(seconds):
        return None if seconds is None else requested_at + timedelta(seconds=seconds)

    Conversation.objects.filter(pk=conversation.pk).update(
        requested_at=requested_at,
        assigned_at=offset(assigned),
        first_response_at=offset(first_response),
        closed_at=offset(closed),
        last_seq=messages + 1,
    )
    Message.objects.bulk_create(
        [Message(conversation=conversation, seq=1, sender=SenderKind.SYSTEM, body="joined")]
        + [
            Message(
                conversation=conversation,
                seq=n + 2,
                body=f"m{n}",
                sender=SenderKind.VISITOR if n % 2 else SenderKind.AGENT,
            )
            for n in range(messages)
        ]
    )
    return conversation


@pytest.fixture
def day_of_chats():
    """Shop's day: three answered chats (two Ana, one Piotr), one missed, one the next day;
    Other shop: one chat of Piotr, one of Zoe."""
    shop, other_shop = make_client("Shop"), make_client("Other shop")
    ana, piotr, zoe = make_agent("ana", shop), make_agent("piotr", shop, other_shop), make_agent("zoe", other_shop)
    hour = timedelta(hours=1)
    chat_at(shop, DAY_START + 10 * hour, agent=ana, assigned=10, first_response=20, closed=610, messages=4)
    chat_at(shop, DAY_START + 11 * hour, agent=ana, assigned=30, first_response=40, closed=330, messages=2)
    chat_at(shop, DAY_START + 12 * hour, agent=piotr, assigned=2, first_response=5, closed=902, messages=1)
    chat_at(shop, DAY_START + 13 * hour, status=ConversationStatus.MISSED)
    chat_at(shop, DAY_END, agent=ana, assigned=1, first_response=1, closed=100, messages=9)
    chat_at(other_shop, DAY_START + 9 * hour, agent=piotr, assigned=4, first_response=8, closed=58, messages=3)
    chat_at(other_shop, DAY_START + 9 * hour, agent=zoe, assigned=6, first_response=60, closed=66, messages=2)
    return shop, other_shop, ana, piotr, zoe


def test_client_kpis_count_the_chats_requested_in_the_period(day_of_chats):
    shop, *_ = day_of_chats
    kpis = analytics.client_kpis(client_id=shop.pk, start=DAY_START, end=DAY_END)
    assert kpis == {
        "chats": 4,
        "missed": 1,
        "missed_share": 0.25,
        # queue waits 10, 30, 2: p90 interpolates 10 + 0.8 × (30 − 10)
        "queue_wait": {"avg": 14.0, "p50": 10.0, "p90": 26.0},
        # first responses 20, 40, 5
        "first_response": {"avg": 21.667, "p50": 20.0, "p90": 36.0},
        "sla_target_seconds": 22,
        "sla_target_share": 0.9,
        "answered_within_sla_share": 0.5,  # 20 s and 5 s of 4 chats; the missed one fails
        "sla_target_met": False,
        "duration": {"avg": 600.0},
        "messages": 11,  # 4 + 2 + 1 + 0, and each chat's "joined" system line
        "avg_simultaneous_chats": 0.021,  # 1,800 s of chats over 86,400 s
    }


def test_client_kpis_use_the_clients_own_sla_target(day_of_chats):
    shop, *_ = day_of_chats
    shop.sla_target_seconds = 40
    shop.save(update_fields=["sla_target_seconds"])
    kpis = analytics.client_kpis(client_id=shop.pk, start=DAY_START, end=DAY_END)
    assert (kpis["sla_target_seconds"], kpis["answered_within_sla_share"]) == (40, 0.75)


def test_an_empty_period_has_no_averages_or_shares(day_of_chats):
    shop, *_ = day_of_chats
    kpis = analytics.client_kpis(client_id=shop.pk, start=DAY_START - timedelta(days=7), end=DAY_START)
    assert kpis["chats"] == 0 and kpis["missed_share"] is None and kpis["answered_within_sla_share"] is None
    assert kpis["first_response"] == {"avg": None, "p50": None, "p90": None}
    assert kpis["avg_simultaneous_chats"] == 0


def test_agent_kpis_are_per_agent_for_the_chosen_clients(day_of_chats):
    shop, _, ana, piotr, _ = day_of_chats
    by_name = {row["name"]: row for row in analytics.agent_kpis(start=DAY_START, end=DAY_END, client_ids=[shop.pk])}
    assert set(by_name) == {"Ana", "Piotr"}
    assert by_name["Ana"] == {
        "agent_id": ana.pk,
        "name": "Ana",
        "chats": 2,
        "missed": 0,
        "missed_share": 0.0,
        "queue_wait": {"avg": 20.0, "p50": 20.0, "p90": 28.0},
        "first_response": {"avg": 30.0, "p50": 30.0, "p90": 38.0},
        "sla_target_seconds": None,
        "sla_target_share": None,
        "answered_within_sla_share": 0.5,
        "sla_target_met": None,
        "duration": {"avg": 450.0},
        "messages": 8,
        "avg_simultaneous_chats": 0.01,
    }
    assert by_name["Piotr"]["agent_id"] == piotr.pk
    assert (by_name["Piotr"]["chats"], by_name["Piotr"]["messages"]) == (1, 2)


def test_agent_kpis_of_every_client_hold_each_chat_to_its_own_sla(day_of_chats):
    _, other_shop, *_ = day_of_chats
    other_shop.sla_target_seconds = 10
    other_shop.save(update_fields=["sla_target_seconds"])
    by_name = {row["name"]: row for row in analytics.agent_kpis(start=DAY_START, end=DAY_END)}
    assert set(by_name) == {"Ana", "Piotr", "Zoe"}
    # Piotr: 5 s at Shop (target 22) and 8 s at Other shop (target 10); Zoe: 60 s against 10.
    assert by_name["Piotr"]["chats"] == 2 and by_name["Piotr"]["answered_within_sla_share"] == 1.0
    assert by_name["Zoe"]["answered_within_sla_share"] == 0.0


def test_an_agent_without_chats_is_listed_with_zeros(day_of_chats):
    shop, *_ = day_of_chats
    make_agent("nina", shop)
    nina = next(
        row for row in analytics.agent_kpis(start=DAY_START, end=DAY_END, client_ids=[shop.pk]) if row["name"] == "Nina"
    )
    assert (nina["chats"], nina["messages"], nina["avg_simultaneous_chats"]) == (0, 0, 0)
    assert nina["queue_wait"]["avg"] is None


def test_kpis_take_a_constant_number_of_queries(day_of_chats, django_assert_max_num_queries):
    shop, other_shop, *_ = day_of_chats
    for n in range(5):
        agent = make_agent(f"extra{n}", shop)
        chat_at(shop, DAY_START + timedelta(minutes=n), agent=agent, assigned=3, first_response=4, closed=9, messages=2)
    # SQLite reads the two percentile columns separately (see reports.analytics.selectors).
    queries = 2 if connection.vendor == "postgresql" else 4
    with django_assert_max_num_queries(queries):
        analytics.client_kpis(client_id=shop.pk, start=DAY_START, end=DAY_END)
    with django_assert_max_num_queries(queries):
        assert len(analytics.agent_kpis(start=DAY_START, end=DAY_END)) == 8
    with django_assert_max_num_queries(2):
        analytics.volume_heatmap(client_id=shop.pk, start=DAY_START, end=DAY_END)


def test_the_heatmap_is_in_the_clients_local_time_across_daylight_saving():
    shop = make_client("Shop", timezone="Europe/Madrid")  # CET +1 until 2026-03-29 01:00 UTC, then CEST +2
    for moment in [
        datetime(2026, 3, 28, 10, 30, tzinfo=UTC),  # Sat 11:30 CET
        datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # Sun 01:30 CET, just before the change
        datetime(2026, 3, 29, 1, 30, tzinfo=UTC),  # Sun 03:30 CEST, just after: 02:00 never happened
        datetime(2026, 3, 29, 10, 30, tzinfo=UTC),  # Sun 12:30 CEST
        datetime(2026, 3, 29, 10, 45, tzinfo=UTC),  # Sun 12:45 CEST
        datetime(2026, 3, 30, 22, 30, tzinfo=UTC),  # Tue 00:30 CEST (still Monday in UTC)
    ]:
        chat_at(shop, moment, status=ConversationStatus.MISSED)
    grid = analytics.volume_heatmap(
        client_id=shop.pk, start=datetime(2026, 3, 23, tzinfo=UTC), end=datetime(2026, 4, 6, tzinfo=UTC)
    )
    assert len(grid) == 7 and all(len(row) == 24 for row in grid)
    filled = {(weekday, hour): count for weekday, row in enumerate(grid) for hour, count in enumerate(row) if count}
    assert filled == {(5, 11): 1, (6, 1): 1, (6, 3): 1, (6, 12): 2, (1, 0): 1}


def test_the_daily_trend_has_every_local_day_of_the_period(day_of_chats):
    shop, *_ = day_of_chats
    period = analytics.Period(since=DAY_START.date(), until=DAY_END.date(), tz=analytics.zoneinfo.ZoneInfo("UTC"))
    trend = analytics.daily_trend(client_id=shop.pk, start=period.start, end=period.end, tz=period.tz)
    assert trend == [
        {"day": DAY_START.date(), "chats": 4, "first_response_p50": 20.0},
        {"day": DAY_END.date(), "chats": 1, "first_response_p50": 1.0},
    ]


def test_each_measure_lists_the_chats_its_figure_counts(day_of_chats):
    shop, *_ = day_of_chats
    period = analytics.Period(since=DAY_START.date(), until=DAY_START.date(), tz=analytics.zoneinfo.ZoneInfo("UTC"))

    def counted(**filters):
        return analytics.conversations_counted(client_id=shop.pk, period=period, **filters).count()

    kpis = analytics.client_kpis(client_id=shop.pk, start=period.start, end=period.end)
    assert counted() == kpis["chats"] == 4
    assert counted(measure="missed") == kpis["missed"] == 1
    assert counted(measure="within_sla") == 2 and counted(measure="outside_sla") == 2
    assert counted(measure="first_response") == 3
    assert counted(weekday=0, hour=10) == 1 and counted(weekday=1) == 0
