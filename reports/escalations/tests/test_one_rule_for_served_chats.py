"""One rule says which chats an agent may read and act on as theirs (chats.history.check_served_by):
one they serve or served, of a client they still serve. Every console read and action on a chat
asks it, so an agent taken off a client loses that client's chats everywhere at once."""

import pytest

from chats.history import check_served_by, served_chat
from conftest import make_agent
from core.errors import Forbidden, NotFound
from reports.models import ClientReportSettings
from reports.tests.personas import escalate, logged_in

READS = ["escalation-categories", "visitor-history", "escalations"]


def url(chat, what: str) -> str:
    return f"/console/api/conversations/{chat.conversation.pk}/{what}/"


@pytest.fixture
def taken_off(chat, ana, shop):
    """Ana served Maria's chat and escalated from it; then the agency took her off the client."""
    ClientReportSettings.objects.create(client=shop, categories=["refund"])
    escalate(chat, ana)
    ana.clients.remove(shop)
    return chat


@pytest.mark.parametrize("what", READS)
def test_an_agent_who_served_the_chat_reads_it_while_serving_its_client(chat, ana, shop, what):
    ClientReportSettings.objects.create(client=shop, categories=["refund"])
    assert logged_in(ana.user).get(url(chat, what)).status_code == 200


@pytest.mark.parametrize("what", READS)
def test_an_agent_taken_off_the_client_no_longer_reads_its_chats(taken_off, ana, what):
    response = logged_in(ana.user).get(url(taken_off, what))
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")


def test_an_agent_taken_off_the_client_can_no_longer_note_feedback_or_escalate(taken_off, ana):
    http = logged_in(ana.user)
    feedback = http.post(
        url(taken_off, "feedback"), {"kind": "praise", "text": "Lovely shop"}, content_type="application/json"
    )
    assert (feedback.status_code, feedback.json()["code"]) == (403, "forbidden")
    escalation = http.post(
        url(taken_off, "escalations"), {"question": "Refund?", "category": "refund"}, content_type="application/json"
    )
    assert (escalation.status_code, escalation.json()["code"]) == (403, "forbidden")


def test_the_rule_itself_refuses_the_agent_taken_off_and_a_colleague_who_never_served_it(taken_off, ana, shop):
    colleague = make_agent("bea", shop)
    for agent in (ana, colleague):
        with pytest.raises(Forbidden):
            check_served_by(taken_off.conversation, agent)
    with pytest.raises(NotFound):
        served_chat(agent=ana, conversation_id=999999)
