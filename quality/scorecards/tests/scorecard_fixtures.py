"""Two clients with a rubric each, their agents, a supervisor and closed chats to sample and review."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from agency import roles
from chats.models import Conversation, ConversationStatus
from conftest import start_chat
from quality.scorecards.services import CriterionDraft, publish_rubric

WEEK = dt.date(2026, 11, 23)  # a Monday
IN_THE_WEEK = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


def make_supervisor(username: str = "sam"):
    user = get_user_model().objects.create_user(username, password="pw", first_name=username.title())
    user.groups.add(Group.objects.get_or_create(name=roles.SUPERVISOR)[0])
    return user


def closed_chat(client, *, at: dt.datetime = IN_THE_WEEK) -> Conversation:
    conversation = start_chat(client).conversation
    Conversation.objects.filter(pk=conversation.pk).update(status=ConversationStatus.CLOSED, closed_at=at)
    conversation.refresh_from_db()
    return conversation


def shop_rubric(client, language: str = "en"):
    return publish_rubric(
        client=client,
        language=language,
        criteria=[
            CriterionDraft("Greets the visitor", 1),
            CriterionDraft("Answers correctly", 3),
            CriterionDraft("Promises nothing unauthorised", 1, is_critical=True),
        ],
    )


def full_marks(rubric) -> dict[int, int]:
    return {c.pk: c.weight for c in rubric.criteria.all()}
