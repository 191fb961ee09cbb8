"""Callback requests as tasks: beat reminds their handlers once, the portal lists and closes the client's own."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from chats.calls.models import CallbackHandler, CallbackRequest
from reports import tasks
from reports.models import Delivery
from reports.tests.personas import logged_in


def callback_for(chat, *, minutes_ahead: int = 10, handled_by: str = CallbackHandler.AGENCY, status: str = "open"):
    return CallbackRequest.objects.create(
        client_id=chat.conversation.client_id,
        conversation=chat.conversation,
        phone="+34 600 123 456",
        preferred_at=timezone.now() + timedelta(minutes=minutes_ahead),
        handled_by=handled_by,
        status=status,
    )


@pytest.fixture
def agency_admin(db):
    return get_user_model().objects.create_superuser("boss", email="boss@agency.example", password="pw")


def test_a_callback_due_soon_is_reminded_to_the_agency_once(
    chat, agency_admin, owner, django_capture_on_commit_callbacks
):
    callback_for(chat, minutes_ahead=10)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_callback_reminders() == 1
        assert tasks.send_callback_reminders() == 0
    [email] = mail.outbox
    assert email.to == ["boss@agency.example"]
    assert "+34 600 123 456" in email.body and "/admin/chats/callbackrequest/" in email.body
    assert Delivery.objects.get().kind == "callback"


def test_the_clients_representatives_are_reminded_when_the_client_calls_back(
    chat, agency_admin, owner, django_capture_on_commit_callbacks
):
    callback_for(chat, handled_by=CallbackHandler.CLIENT)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_callback_reminders() == 1
    [email] = mail.outbox
    assert email.to == ["olga@example.com"] and "/portal/callbacks/" in email.body


def test_callbacks_not_due_yet_or_closed_are_not_reminded(chat, agency_admin, django_capture_on_commit_callbacks):
    callback_for(chat, minutes_ahead=120)
    callback_for(chat, minutes_ahead=5, status="done")
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_callback_reminders() == 0
    assert not mail.outbox


def test_the_portal_lists_the_clients_callbacks_and_marks_them_done(chat, owner):
    callback = callback_for(chat, handled_by=CallbackHandler.CLIENT)
    http = logged_in(owner.user)
    assert "+34 600 123 456" in http.get("/portal/callbacks/").content.decode()
    response = http.post(f"/portal/callbacks/{callback.pk}/close/", {"status": "done"})
    assert response.status_code == 302
    callback.refresh_from_db()
    assert (callback.status, callback.closed_by) == ("done", owner.user)
    http.post(f"/portal/callbacks/{callback.pk}/close/", {"status": "failed"})
    callback.refresh_from_db()
    assert callback.status == "done"  # closed once


def test_a_bad_status_is_refused_with_a_message(chat, owner):
    callback = callback_for(chat)
    response = logged_in(owner.user).post(f"/portal/callbacks/{callback.pk}/close/", {"status": "open"}, follow=True)
    assert "done or failed" in response.content.decode()
    callback.refresh_from_db()
    assert callback.status == "open"


def test_another_clients_representative_neither_sees_nor_closes_them(chat, outsider):
    callback = callback_for(chat)
    http = logged_in(outsider.user)
    assert "+34 600 123 456" not in http.get("/portal/callbacks/").content.decode()
    assert http.post(f"/portal/callbacks/{callback.pk}/close/", {"status": "done"}).status_code == 404
    callback.refresh_from_db()
    assert callback.status == "open"


def test_an_agent_is_not_a_representative(chat, ana):
    assert logged_in(ana.user).get("/portal/callbacks/").status_code == 403
