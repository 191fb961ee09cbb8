"""Personas and helpers for the reports specs: two clients, their representatives, a served chat."""

from __future__ import annotations

import smtplib

import pytest
from django.contrib.auth import get_user_model
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client as HttpClient

from chats import services as chat_services
from chats.models import SenderKind
from clients.models import Representative, RepresentativeRole
from conftest import make_agent, make_client
from reports.escalations import services
from reports.models import Escalation


def make_representative(
    username: str,
    client,
    *,
    language: str = "en",
    categories=None,
    role: str = RepresentativeRole.REPRESENTATIVE,
    receives_emails: bool = True,
):
    user = get_user_model().objects.create_user(username, email=f"{username}@example.com", password="pw")
    return Representative.objects.create(
        user=user,
        client=client,
        role=role,
        language=language,
        subscribed_categories=categories or [],
        receives_emails=receives_emails,
    )


def logged_in(user) -> HttpClient:
    """A browser with `user` logged in."""
    http = HttpClient()
    http.force_login(user)
    return http


def visitor_says(conversation_id: int, body: str) -> int:
    return chat_services.post_message(
        conversation_id=conversation_id, sender=SenderKind.VISITOR, body=body, client_id=None
    ).seq


def escalate(
    chat,
    agent,
    *,
    question: str = "Can I get a refund after 60 days?",
    category: str = "refund",
    urgency: str = "normal",
    source_seq: int | None = None,
) -> Escalation:
    return services.escalate_question(
        conversation_id=chat.conversation.pk,
        agent=agent,
        question=question,
        category=category,
        urgency=urgency,
        note="Asked twice.",
        source_seq=source_seq,
    )


@pytest.fixture
def shop(db):
    return make_client("Shop")


@pytest.fixture
def other_shop(db):
    return make_client("Other shop")


@pytest.fixture
def ana(shop):
    return make_agent("ana", shop)


@pytest.fixture
def owner(shop):
    return make_representative("olga", shop, role=RepresentativeRole.OWNER)


@pytest.fixture
def outsider(other_shop):
    return make_representative("oscar", other_shop, role=RepresentativeRole.OWNER)


@pytest.fixture
def chat(shop, ana):
    started = chat_services.start_conversation(
        client=shop, name="Maria", email="maria@example.com", visitor_connected=True
    )
    assert started.conversation.agent_id == ana.pk
    return started


class FlakyEmailBackend(EmailBackend):
    """locmem, but the next `failures` sends raise (transient unless `permanent`)."""

    failures = 0
    permanent = False

    def send_messages(self, messages):
        if FlakyEmailBackend.failures > 0:
            FlakyEmailBackend.failures -= 1
            if FlakyEmailBackend.permanent:
                raise smtplib.SMTPRecipientsRefused({"x@example.com": (550, b"no such user")})
            raise smtplib.SMTPServerDisconnected("connection lost")
        return super().send_messages(messages)


@pytest.fixture
def flaky_email(settings):
    settings.EMAIL_BACKEND = "reports.tests.personas.FlakyEmailBackend"
    FlakyEmailBackend.failures, FlakyEmailBackend.permanent = 0, False
    yield FlakyEmailBackend
    FlakyEmailBackend.failures, FlakyEmailBackend.permanent = 0, False
