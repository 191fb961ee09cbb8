"""The week's sample: each agent's share, every low-rated or escalated chat, the scope guard's hook; twice
built is built once."""

import datetime as dt

import pytest

from chats.ratings.models import Rating
from clients.models.quality import RatingScale
from conftest import make_agent, make_client
from quality.scorecards.models import SampledChat, SampleReason, SamplingPolicy
from quality.scorecards.sampling import build_week_samples, sample_flagged_chat
from quality.scorecards.tests.scorecard_fixtures import IN_THE_WEEK, WEEK, closed_chat
from reports.models import Escalation

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return make_client("Shop", timezone="UTC")


def test_each_agent_gets_the_clients_share_rounded_up(shop):
    make_agent("ana", shop, max_chats=20)
    SamplingPolicy.objects.create(client=shop, sample_percent=25)
    chats = [closed_chat(shop) for _ in range(6)]
    assert build_week_samples(week=WEEK) == 2  # ⌈6 × 25 %⌉
    assert {s.reason for s in SampledChat.objects.all()} == {SampleReason.SHARE}
    assert {s.conversation_id for s in SampledChat.objects.all()} <= {c.pk for c in chats}


def test_low_rated_and_escalated_chats_are_always_sampled(shop):
    ana = make_agent("ana", shop, max_chats=20)
    SamplingPolicy.objects.create(client=shop, sample_percent=0)
    low, happy, escalated = closed_chat(shop), closed_chat(shop), closed_chat(shop)
    Rating.objects.create(conversation=low, client=shop, agent=ana, scale=RatingScale.FIVE, score=2)
    Rating.objects.create(conversation=happy, client=shop, agent=ana, scale=RatingScale.FIVE, score=4)
    Escalation.objects.create(conversation=escalated, client=shop, agent=ana, question="Refund?", category="refund")
    build_week_samples(week=WEEK)
    assert dict(SampledChat.objects.values_list("conversation_id", "reason")) == {
        low.pk: SampleReason.LOW_RATING,
        escalated.pk: SampleReason.ESCALATED,
    }


def test_building_twice_samples_nothing_more_and_other_weeks_are_left_alone(shop):
    make_agent("ana", shop, max_chats=20)
    for _ in range(10):
        closed_chat(shop)
    closed_chat(shop, at=IN_THE_WEEK + dt.timedelta(days=7))
    assert build_week_samples(week=WEEK) == 1  # 10 % of 10 by default
    assert build_week_samples(week=WEEK) == 0
    assert SampledChat.objects.get().week == WEEK


def test_a_flagged_chat_joins_its_weeks_sample_once(shop):
    make_agent("ana", shop, max_chats=20)
    chat = closed_chat(shop)
    sample_flagged_chat(conversation=chat, flag_reason="Promised a refund above the limit")
    sample_flagged_chat(conversation=chat, flag_reason="again")
    sample = SampledChat.objects.get()
    assert (sample.reason, sample.week, sample.flag_reason) == (
        SampleReason.FLAGGED,
        WEEK,
        "Promised a refund above the limit",
    )
