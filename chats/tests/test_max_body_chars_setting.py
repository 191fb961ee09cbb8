"""One limit for everything a person writes (CHAT_MAX_BODY_CHARS): the services enforce it,
the widget's config and the console page hand it to their scripts. Escalations and answers:
reports/escalations/tests/test_max_body_chars_in_escalations.py."""

import pytest

from clients import errors as client_errors
from clients.services import check_offline_message
from conftest import make_agent, make_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def limit(settings):
    settings.CHAT_MAX_BODY_CHARS = 50
    return 50


def test_the_widget_config_carries_the_limit(client, limit):
    shop = make_client("Shop")
    assert client.get(f"/api/widget/{shop.widget_key}/").json()["max_body_chars"] == 50


def test_the_console_page_carries_the_limit(client, limit):
    agent = make_agent("ana", make_client("Shop"))
    client.force_login(agent.user)
    page = client.get("/console/").content.decode()
    assert 'data-max-body-chars="50"' in page
    assert 'maxlength="4000"' not in page
    assert page.count('maxlength="50"') == 4  # the reply, an escalation's question and note, feedback


def test_offline_messages_follow_the_limit(limit):
    check_offline_message(name="", email="a@example.com", message="x" * 50, consent=True)
    with pytest.raises(client_errors.InvalidInput, match="at most 50 characters"):
        check_offline_message(name="", email="a@example.com", message="x" * 51, consent=True)
