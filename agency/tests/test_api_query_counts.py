"""Every REST API list runs the same number of queries for a page of 1 and a page of 20."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agency.tests.api_personas import api_as, make_client_data, make_personas

TODAY = dt.date.today()
LISTS = [
    "/api/v1/clients/",
    "/api/v1/coverage-windows/",
    "/api/v1/coverage-exceptions/",
    "/api/v1/offline-messages/",
    "/api/v1/agents/",
    "/api/v1/teams/",
    "/api/v1/conversations/",
    "/api/v1/conversations/?search=order",
    "/api/v1/escalations/",
    "/api/v1/reports/",
    f"/api/v1/analytics/agents/?start={TODAY - dt.timedelta(days=7)}&end={TODAY}",
]


@pytest.fixture
def personas(db):
    personas = make_personas()
    for number in range(20):
        make_client_data(f"Client{number}")
    return personas


def with_page_size(url: str, size: int) -> str:
    return f"{url}{'&' if '?' in url else '?'}page_size={size}"


@pytest.mark.parametrize("url", LISTS)
def test_a_list_costs_the_same_queries_for_1_and_20_rows(personas, url, django_assert_num_queries):
    api = api_as(personas.admin)
    with CaptureQueriesContext(connection) as one_row:
        assert len(api.get(with_page_size(url, 1)).json()["results"]) == 1
    with django_assert_num_queries(len(one_row)):
        assert len(api.get(with_page_size(url, 20)).json()["results"]) == 20


def test_messages_cost_the_same_for_1_and_20(personas, django_assert_num_queries):
    conversation = personas.a.conversation
    from chats.models import Message, SenderKind

    Message.objects.bulk_create(
        Message(conversation=conversation, seq=seq, sender=SenderKind.AGENT, author=personas.a.agent.user, body="hi")
        for seq in range(3, 25)
    )
    api = api_as(personas.a.agent.user)
    url = f"/api/v1/conversations/{conversation.pk}/messages/"
    with CaptureQueriesContext(connection) as one_row:
        api.get(with_page_size(url, 1))
    with django_assert_num_queries(len(one_row)):
        assert len(api.get(with_page_size(url, 20)).json()["results"]) == 20
