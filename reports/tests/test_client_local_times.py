"""Every time a client's people see (portal pages, report, reminder and lead emails) is on the
client's clock and names its zone: a chat at 12:00 UTC reads 1 p.m. / 13:00 for a Madrid client."""

import datetime as dt

import pytest
from django.test import Client as HttpClient

from agency.tests.api_personas import make_personas
from chats.models import Message
from clients.local_times import client_time
from clients.models import OfflineMessage
from reports.delivery.emails import compose
from reports.models import Delivery, DeliveryKind, Escalation

pytestmark = pytest.mark.django_db

NOON_UTC = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)
LOCAL = "Jan. 15, 2026, 1 p.m. (Europe/Madrid)"


@pytest.fixture
def madrid(db):
    """Client Alpha in Madrid, its chat requested at 12:00 UTC (messages at 12:01), escalated then."""
    personas = make_personas()
    data = personas.a
    data.client.timezone = "Europe/Madrid"
    data.client.save(update_fields=["timezone"])
    data.conversation.__class__.objects.filter(pk=data.conversation.pk).update(
        requested_at=NOON_UTC, closed_at=NOON_UTC + dt.timedelta(minutes=5)
    )
    Message.objects.filter(conversation=data.conversation).update(created_at=NOON_UTC + dt.timedelta(minutes=1))
    Escalation.objects.filter(pk=data.escalation.pk).update(created_at=NOON_UTC)
    type(data.report).objects.filter(pk=data.report.pk).update(created_at=NOON_UTC + dt.timedelta(minutes=5))
    return data


def owner_page(data, url: str) -> str:
    http = HttpClient()
    http.force_login(data.owner)
    response = http.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_function_shows_local_wall_clock_and_zone_in_winter_and_summer():
    assert client_time(NOON_UTC, "Europe/Madrid") == LOCAL
    assert client_time(NOON_UTC.replace(month=7), "Europe/Madrid", "H:i") == "14:00 (Europe/Madrid)"
    assert client_time(NOON_UTC, "Europe/Madrid", "H:i", with_zone=False) == "13:00"
    assert client_time(None, "Europe/Madrid") == ""


def test_the_portal_lists_show_local_times_under_a_zone_heading(madrid):
    for url in ("/portal/", "/portal/reports/", "/portal/conversations/?since=2026-01-01&until=2026-01-31"):
        page = owner_page(madrid, url)
        assert "01/15/2026 1" in page and "01/15/2026 noon" not in page and "01/15/2026 12" not in page, url
        assert "(Europe/Madrid)" in page, url


def test_the_report_page_shows_the_chat_and_transcript_in_local_time(madrid):
    page = owner_page(madrid, f"/portal/reports/{madrid.report.pk}/")
    assert "Jan. 15, 2026, 1 p.m. – Jan. 15, 2026, 1:05 p.m. (Europe/Madrid)" in page
    assert "13:01 · " in page and "12:01" not in page
    assert 'Transcript <span class="muted">(Europe/Madrid)</span>' in page


def test_the_report_email_shows_local_times_in_text_and_html(madrid):
    delivery = Delivery(
        key="report-test",
        kind=DeliveryKind.REPORT,
        client=madrid.client,
        report=madrid.report,
        address="olga@example.com",
        language="en",
    )
    email = compose([delivery])
    for body in (email.text, email.html):
        assert "Jan. 15, 2026, 1:05 p.m. (Europe/Madrid)" in body
        assert "UTC" not in body and "noon" not in body


def test_the_reminder_email_shows_local_time(madrid):
    delivery = Delivery(
        key="reminder-test",
        kind=DeliveryKind.REMINDER,
        client=madrid.client,
        escalation=Escalation.objects.get(pk=madrid.escalation.pk),
        address="olga@example.com",
    )
    email = compose([delivery])
    for body in (email.text, email.html):
        assert LOCAL in body and "UTC" not in body


def test_the_lead_email_uses_the_same_function(madrid):
    lead = OfflineMessage.objects.create(client=madrid.client, email="lead@example.com", message="Call me")
    OfflineMessage.objects.filter(pk=lead.pk).update(created_at=NOON_UTC)
    lead = OfflineMessage.objects.select_related("client").get(pk=lead.pk)
    delivery = Delivery(
        key="lead-test", kind=DeliveryKind.LEAD, client=madrid.client, offline_message=lead, address="olga@example.com"
    )
    email = compose([delivery])
    assert LOCAL in email.text
    assert LOCAL in email.html
