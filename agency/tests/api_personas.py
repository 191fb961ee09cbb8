"""Two clients and everyone around them, for REST API tests: the agency's admin and
supervisor, an agent of each client, a client owner of each, and each client's data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from rest_framework.test import APIClient

from agency import roles
from agency.models import Agent, Team
from chats.models import Conversation, ConversationStatus, Message, SenderKind, Visitor
from clients.models import (
    Client,
    CoverageException,
    CoverageWindow,
    OfflineMessage,
    Representative,
    RepresentativeRole,
)
from reports.models import Escalation, Report


@dataclass
class ClientData:
    client: Client
    agent: Agent
    owner: object
    conversation: Conversation
    message: Message
    escalation: Escalation
    report: Report
    offline_message: OfflineMessage
    window: CoverageWindow
    exception: CoverageException
    team: Team


@dataclass
class Personas:
    admin: object
    supervisor: object
    a: ClientData
    b: ClientData
    clients: dict = field(default_factory=dict)


def make_user(username: str, *groups: str):
    user = get_user_model().objects.create_user(username, password=None, first_name=username.title())
    if groups:
        user.groups.set(Group.objects.filter(name__in=groups))
    return user


def make_conversation(client: Client, agent: Agent, *, body: str, at: dt.datetime | None = None) -> Conversation:
    visitor = Visitor.objects.create(client=client, name="Maria", email="maria@example.com")
    _, token_hash = Conversation.new_token()
    conversation = Conversation.objects.create(
        client=client,
        visitor=visitor,
        agent=agent,
        status=ConversationStatus.CLOSED,
        token_hash=token_hash,
        last_seq=2,
    )
    at = at or timezone.now() - dt.timedelta(hours=1)
    Conversation.objects.filter(pk=conversation.pk).update(
        requested_at=at,
        assigned_at=at + dt.timedelta(seconds=10),
        first_response_at=at + dt.timedelta(seconds=30),
        closed_at=at + dt.timedelta(minutes=5),
    )
    Message.objects.create(conversation=conversation, seq=1, sender=SenderKind.VISITOR, body=body)
    Message.objects.create(
        conversation=conversation, seq=2, sender=SenderKind.AGENT, author=agent.user, body="Let me check that for you."
    )
    conversation.refresh_from_db()
    return conversation


def make_client_data(name: str) -> ClientData:
    client = Client.objects.create(name=name, slug=name.lower(), is_24_7=False)
    agent = Agent.objects.create(user=make_user(f"agent-{name.lower()}", roles.AGENT))
    agent.clients.set([client])
    team = Team.objects.create(name=f"Team {name}")
    team.members.set([agent])
    owner = make_user(f"owner-{name.lower()}", roles.CLIENT_OWNER)
    Representative.objects.create(user=owner, client=client, role=RepresentativeRole.OWNER)
    conversation = make_conversation(client, agent, body=f"Where is my {name} order?")
    escalation = Escalation.objects.create(
        conversation=conversation,
        client=client,
        agent=agent,
        question=f"{name} refund?",
        category="refund",
        source_seq=1,
    )
    return ClientData(
        client=client,
        agent=agent,
        owner=owner,
        conversation=conversation,
        message=conversation.messages.get(seq=1),
        escalation=escalation,
        report=Report.objects.create(conversation=conversation, client=client, visitor_name="Maria"),
        offline_message=OfflineMessage.objects.create(client=client, email="lead@example.com", message="Call me"),
        window=CoverageWindow.objects.create(client=client, weekday=0, starts_at=dt.time(9), ends_at=dt.time(17)),
        exception=CoverageException.objects.create(client=client, date=dt.date(2026, 12, 25), is_closed=True),
        team=team,
    )


def make_personas() -> Personas:
    return Personas(
        admin=make_user("agency-admin", roles.AGENCY_ADMIN),
        supervisor=make_user("supervisor", roles.SUPERVISOR),
        a=make_client_data("Alpha"),
        b=make_client_data("Beta"),
    )


def api_as(user) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api
