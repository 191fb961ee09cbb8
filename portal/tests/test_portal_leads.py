"""The portal lists and exports its own client's leads; the owner sets the pre-chat form; a chat's
lead is emailed to the client's representatives as an offline message is (nobody: the admins)."""

import csv
import io
from datetime import timedelta

from django.core import mail
from django.test import Client as HttpClient
from django.utils import timezone

from chats.leads import intake
from chats.leads import services as lead_services
from chats.leads.models import Lead, LeadSource
from clients.models import PreChatForm, RepresentativeRole
from privacy import services as privacy
from reports.delivery.tests.test_offline_message_delivery import agency_admin
from reports.models import Delivery, DeliveryKind
from reports.tests.personas import logged_in, make_representative


def add_lead(client, email: str, django_capture_on_commit_callbacks=None, message: str = "Call me") -> Lead:
    contact = lead_services.checked_contact(name="Maria", email=email, phone="+48 600 100 200")
    if django_capture_on_commit_callbacks is None:
        return lead_services.create_lead(client=client, source=LeadSource.MISSED_CHAT, contact=contact, message=message)
    with django_capture_on_commit_callbacks(execute=True):
        return lead_services.create_lead(client=client, source=LeadSource.MISSED_CHAT, contact=contact, message=message)


def test_a_representative_sees_only_their_clients_leads(shop, other_shop, owner, outsider):
    add_lead(shop, "mine@example.com")
    add_lead(other_shop, "theirs@example.com")
    rita = make_representative("rita", shop)
    for user in (owner.user, rita.user):
        page = logged_in(user).get("/portal/leads/")
        assert page.status_code == 200
        assert b"mine@example.com" in page.content and b"theirs@example.com" not in page.content
    assert b"mine@example.com" not in logged_in(outsider.user).get("/portal/leads/").content


def test_the_portal_filters_leads_by_source(shop, owner):
    add_lead(shop, "missed@example.com")
    lead_services.create_lead(
        client=shop, source=LeadSource.PRE_CHAT, contact=lead_services.checked_contact(email="form@example.com")
    )
    page = logged_in(owner.user).get("/portal/leads/", {"source": "pre_chat"})
    assert b"form@example.com" in page.content and b"missed@example.com" not in page.content


def test_the_portal_csv_holds_only_the_clients_leads(shop, other_shop, owner, outsider):
    add_lead(shop, "mine@example.com")
    add_lead(other_shop, "theirs@example.com")
    response = logged_in(owner.user).get("/portal/leads/export/")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2 and "mine@example.com" in rows[1] and "theirs@example.com" not in text
    theirs = b"".join(logged_in(outsider.user).get("/portal/leads/export/").streaming_content)
    assert b"mine@example.com" not in theirs


def test_agents_and_strangers_get_no_portal_leads(shop, ana):
    add_lead(shop, "mine@example.com")
    for path in ("/portal/leads/", "/portal/leads/export/"):
        response = logged_in(ana.user).get(path)
        assert response.status_code == 403 and b"mine@example.com" not in response.content
        assert HttpClient().get(path).status_code == 302  # to the login


def test_only_the_owner_sets_the_pre_chat_form(shop, owner):
    rita = make_representative("rita", shop)
    form = {
        "name_field": "required",
        "email_field": "required",
        "phone_field": "hidden",
        "asks_consent": "on",
        "privacy_text": "We only answer you.",
        "max_queue_wait_seconds": "60",
    }
    assert logged_in(rita.user).post("/portal/pre-chat/", form).status_code == 403
    assert not PreChatForm.objects.exists()
    assert logged_in(owner.user).post("/portal/pre-chat/", form).status_code == 302
    saved = PreChatForm.objects.get(client=shop)
    shop.refresh_from_db()
    assert (saved.email_field, saved.asks_consent, shop.max_queue_wait_seconds) == ("required", True, 60)


def test_consent_without_a_privacy_text_is_refused_in_the_portal(shop, owner):
    form = {
        "name_field": "optional",
        "email_field": "optional",
        "phone_field": "hidden",
        "asks_consent": "on",
        "privacy_text": "",
        "max_queue_wait_seconds": "120",
    }
    response = logged_in(owner.user).post("/portal/pre-chat/", form)
    assert response.status_code == 200 and not PreChatForm.objects.exists()


def test_a_chat_lead_is_emailed_to_the_representatives(shop, django_capture_on_commit_callbacks):
    make_representative("olga", shop, role=RepresentativeRole.OWNER)
    lead = add_lead(shop, "maria@example.com", django_capture_on_commit_callbacks, message="Do you ship to Spain?")
    assert [d.kind for d in lead.deliveries.all()] == [DeliveryKind.LEAD]
    [email] = mail.outbox
    assert email.to == ["olga@example.com"] and email.reply_to == ["maria@example.com"]
    assert "Do you ship to Spain?" in email.body and "+48 600 100 200" in email.body


def test_a_chat_lead_nobody_receives_goes_to_the_agency_admins(shop, django_capture_on_commit_callbacks):
    agency_admin("adam")
    add_lead(shop, "maria@example.com", django_capture_on_commit_callbacks)
    assert [email.to for email in mail.outbox] == [["adam@example.com"]]
    assert Delivery.objects.get().kind == DeliveryKind.UNDELIVERABLE_LEAD


def test_an_offline_form_lead_is_emailed_once_as_its_offline_message(shop, django_capture_on_commit_callbacks):
    make_representative("olga", shop)
    with django_capture_on_commit_callbacks(execute=True):
        intake.leave_offline_message(
            client=shop, name="Maria", email="maria@example.com", message="Hello", consent=True
        )
    assert Lead.objects.get().source == LeadSource.OFFLINE_FORM
    assert len(mail.outbox) == 1


def test_leads_go_with_the_clients_retention_and_a_visitors_erasure(shop, other_shop):
    old = add_lead(shop, "old@example.com")
    Lead.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    add_lead(shop, "new@example.com")
    add_lead(other_shop, "new@example.com")
    shop.retention_days = 30
    shop.save(update_fields=["retention_days"])
    privacy.delete_expired_data()
    assert sorted(Lead.objects.values_list("email", flat=True)) == ["new@example.com", "new@example.com"]
    assert privacy.export_visitor_data(client_id=shop.pk, email="new@example.com")["leads"][0]["phone"]
    counts = privacy.erase_visitor_data(client_id=shop.pk, email="NEW@example.com", requested_by="test")
    assert counts["leads"] == 1
    assert list(Lead.objects.values_list("client_id", flat=True)) == [other_shop.pk]
