"""The week's QA sample: a share of each agent's chats (the client's policy) plus every chat rated low,
escalated or flagged. Built idempotently (the beat task runs it daily): a chat is sampled once."""

from __future__ import annotations

import datetime as dt
import math
import random
from zoneinfo import ZoneInfo

from chats.models import Conversation
from chats.ratings.models import SATISFIED, Rating
from clients.models import Client
from quality.scorecards.models import SampledChat, SampleReason, SamplingPolicy
from reports.models import Escalation


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def chats_of_week(client: Client, week: dt.date):
    """The client's chats an agent answered that closed in the week (Monday 00:00, client's timezone)."""
    start = dt.datetime.combine(week, dt.time(), ZoneInfo(client.timezone))
    return Conversation.objects.filter(
        client=client, agent__isnull=False, closed_at__gte=start, closed_at__lt=start + dt.timedelta(days=7)
    )


def low_rated_ids(chats) -> set[int]:
    return set(
        Rating.objects.filter(conversation__in=chats).exclude(SATISFIED).values_list("conversation_id", flat=True)
    )


def share_picks(client: Client, week: dt.date, chats, taken: set[int]) -> dict[int, int]:
    """conversation id → agent id: each agent's share, drawn reproducibly (seeded by client, agent, week)."""
    percent = SamplingPolicy.for_client(client.pk).sample_percent
    by_agent: dict[int, list[int]] = {}
    for pk, agent_id in chats.order_by("pk").values_list("pk", "agent_id"):
        by_agent.setdefault(agent_id, []).append(pk)
    already = SampledChat.objects.filter(client=client, week=week, reason=SampleReason.SHARE)
    picks: dict[int, int] = {}
    for agent_id, ids in by_agent.items():
        wanted = math.ceil(len(ids) * percent / 100) - already.filter(agent_id=agent_id).count()
        free = [pk for pk in ids if pk not in taken]
        chosen = random.Random(f"{client.pk}:{agent_id}:{week}").sample(free, max(0, min(wanted, len(free))))
        picks.update((pk, agent_id) for pk in chosen)
    return picks


def build_client_sample(*, client: Client, week: dt.date) -> int:
    """Sample one client's week; returns how many chats were added."""
    chats = chats_of_week(client, week)
    taken = set(SampledChat.objects.filter(conversation__in=chats).values_list("conversation_id", flat=True))
    agents = dict(chats.values_list("pk", "agent_id"))
    reasons: dict[int, str] = {pk: SampleReason.LOW_RATING for pk in low_rated_ids(chats)}
    escalated = Escalation.objects.filter(conversation__in=chats).values_list("conversation_id", flat=True)
    reasons.update((pk, SampleReason.ESCALATED) for pk in escalated if pk not in reasons)
    new = {pk: reason for pk, reason in reasons.items() if pk not in taken}
    picks = share_picks(client, week, chats, taken | set(new))
    rows = [
        SampledChat(conversation_id=pk, client=client, agent_id=agents[pk], week=week, reason=r)
        for pk, r in new.items()
    ]
    rows += [
        SampledChat(conversation_id=pk, client=client, agent_id=a, week=week, reason=SampleReason.SHARE)
        for pk, a in picks.items()
    ]
    return len(SampledChat.objects.bulk_create(rows, ignore_conflicts=True))


def build_week_samples(*, week: dt.date) -> int:
    """Every client's sample of the week starting on Monday `week`."""
    return sum(build_client_sample(client=client, week=week) for client in Client.objects.order_by("pk"))


def sample_flagged_chat(*, conversation: Conversation, flag_reason: str) -> SampledChat | None:
    """The hook for the scope guard: a chat it flagged joins the review sample of its week (once)."""
    if conversation.agent_id is None:
        return None
    day = (conversation.closed_at or conversation.requested_at).astimezone(ZoneInfo(conversation.client.timezone))
    sample, _ = SampledChat.objects.get_or_create(
        conversation=conversation,
        defaults={
            "client_id": conversation.client_id,
            "agent_id": conversation.agent_id,
            "week": monday_of(day.date()),
            "reason": SampleReason.FLAGGED,
            "flag_reason": flag_reason[:200],
        },
    )
    return sample
