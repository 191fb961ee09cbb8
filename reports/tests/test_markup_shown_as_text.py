"""Markup typed into the chat is data: the portal's report page and the report email show it as text."""

import pytest
from django.core import mail

from chats import services as chat_services
from clients.models import RepresentativeRole
from conftest import make_agent, make_client, start_chat
from reports.models import Report
from reports.tests.personas import escalate, make_representative, visitor_says

SCRIPT = "<script>alert('pwned')</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt;"
IMAGE = '<img src=x onerror="alert(1)">'


@pytest.fixture
def hostile_report(db, django_capture_on_commit_callbacks):
    """A closed chat whose visitor typed markup, escalated with markup in the question."""
    shop = make_client("Shop")
    ana = make_agent("ana", shop)
    owner = make_representative("olga", shop, role=RepresentativeRole.OWNER)
    chat = start_chat(shop, name=f"Eve {IMAGE}")
    seq = visitor_says(chat.conversation.pk, f"Hello {SCRIPT}")
    escalate(chat, ana, question=f"Refund? {SCRIPT}", source_seq=seq)
    with django_capture_on_commit_callbacks(execute=True):
        chat_services.close_conversation(conversation_id=chat.conversation.pk, agent=ana)
    return owner, Report.objects.get(conversation=chat.conversation)


def assert_shown_as_text(html: str) -> None:
    assert ESCAPED_SCRIPT in html
    assert "<script>alert" not in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=" in html


def test_markup_in_messages_is_escaped_on_the_portals_report_page(client, hostile_report):
    owner, report = hostile_report
    client.force_login(owner.user)
    response = client.get(f"/portal/reports/{report.pk}/")
    assert response.status_code == 200
    assert_shown_as_text(response.content.decode())


def test_markup_in_messages_is_escaped_in_the_html_email_and_verbatim_in_the_text(hostile_report):
    (email,) = mail.outbox
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert_shown_as_text(html)
    assert SCRIPT in email.body and "&lt;" not in email.body  # plain text is never interpreted as markup
    assert "\n" not in email.subject
