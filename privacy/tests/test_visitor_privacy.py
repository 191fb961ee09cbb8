"""A visitor's data is exported and erased on request, per client; each client's retention is enforced."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from chats import services as chat_services
from chats.models import Conversation, Message, Visitor
from clients.models import OfflineMessage
from conftest import make_agent, make_client
from privacy import services as privacy
from privacy import tasks
from reports.models import AuditAction, AuditEntry, Escalation, Report
from reports.tests.personas import escalate, make_representative, visitor_says

EMAIL = "Maria@Example.com"


def reported_chat(client, agent, email=EMAIL, body="My card was charged twice", capture=None):
    chat = chat_services.start_conversation(client=client, name="Maria", email=email, visitor_connected=True)
    visitor_says(chat.conversation.pk, body)
    escalate(chat, agent)
    with capture(execute=True):
        chat_services.close_conversation(conversation_id=chat.conversation.pk, agent=agent)
    return chat.conversation


@pytest.fixture
def two_shops(db, django_capture_on_commit_callbacks):
    """Maria chatted with Shop (and left an offline message) and, separately, with Other shop."""
    shop, other_shop = make_client("Shop"), make_client("Other shop")
    ana, bea = make_agent("ana", shop), make_agent("bea", other_shop)
    make_representative("olga", shop)
    mine = reported_chat(shop, ana, capture=django_capture_on_commit_callbacks)
    theirs = reported_chat(other_shop, bea, email="maria@example.com", capture=django_capture_on_commit_callbacks)
    OfflineMessage.objects.create(client=shop, email="maria@example.com", message="Call me back")
    OfflineMessage.objects.create(client=other_shop, email="maria@example.com", message="Other shop's lead")
    return {"shop": shop, "other_shop": other_shop, "mine": mine, "theirs": theirs}


def test_an_export_holds_the_visitors_chats_escalations_and_offline_messages_of_that_client_only(two_shops):
    data = privacy.export_visitor_data(
        client_id=two_shops["shop"].pk, email="maria@example.com", requested_by="dpo@agency.example"
    )
    json.dumps(data)  # JSON-able
    assert [c["id"] for c in data["conversations"]] == [two_shops["mine"].pk]
    assert "My card was charged twice" in [m["body"] for m in data["conversations"][0]["messages"]]
    assert len(data["visitors"]) == 1 and len(data["escalations"]) == 1
    assert [o["message"] for o in data["offline_messages"]] == ["Call me back"]
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.client, entry.requested_by) == (
        AuditAction.EXPORT,
        two_shops["shop"],
        "dpo@agency.example",
    )
    assert entry.counts == {"visitors": 1, "conversations": 1, "escalations": 1, "offline_messages": 1, "leads": 0}


def test_erasing_deletes_everything_of_that_visitor_at_that_client_and_leaves_the_other_client_alone(two_shops):
    counts = privacy.erase_visitor_data(
        client_id=two_shops["shop"].pk, email="MARIA@example.com", requested_by="dpo@agency.example"
    )
    assert counts["conversations"] == 1 and counts["visitors"] == 1 and counts["offline_messages"] == 1
    assert counts["escalations"] == 1 and counts["reports"] == 1 and counts["messages"] >= 1
    assert not Conversation.objects.filter(pk=two_shops["mine"].pk).exists()
    assert not Message.objects.filter(conversation_id=two_shops["mine"].pk).exists()
    assert not Visitor.objects.filter(client=two_shops["shop"]).exists()
    assert not OfflineMessage.objects.filter(client=two_shops["shop"]).exists()
    # The other client's visitor with the same address is someone else's data: untouched.
    assert Conversation.objects.filter(pk=two_shops["theirs"].pk).exists()
    assert Escalation.objects.filter(client=two_shops["other_shop"]).count() == 1
    assert Report.objects.filter(client=two_shops["other_shop"]).count() == 1
    assert OfflineMessage.objects.filter(client=two_shops["other_shop"]).count() == 1


def test_the_audit_log_records_who_and_how_much_but_never_the_data(two_shops):
    privacy.erase_visitor_data(client_id=two_shops["shop"].pk, email=EMAIL, requested_by="dpo@agency.example")
    entry = AuditEntry.objects.get()
    assert entry.action == AuditAction.ERASE and entry.created_at
    stored = json.dumps([entry.subject_hash, entry.counts, entry.requested_by]).lower()
    assert "maria" not in stored and "charged" not in stored
    assert entry.subject_hash == privacy.email_fingerprint("maria@example.com")


def test_the_management_commands_export_and_erase_by_client_slug_and_email(two_shops, capsys):
    call_command("export_visitor_data", "--client", two_shops["shop"].slug, "--email", EMAIL)
    exported = json.loads(capsys.readouterr().out)
    assert exported["client"] == two_shops["shop"].slug and len(exported["conversations"]) == 1
    call_command(
        "erase_visitor_data",
        "--client",
        two_shops["shop"].slug,
        "--email",
        EMAIL,
        "--yes",
        "--requested-by",
        "ticket 42",
    )
    assert json.loads(capsys.readouterr().out)["conversations"] == 1
    assert list(AuditEntry.objects.order_by("created_at").values_list("action", "requested_by"))[-1] == (
        AuditAction.ERASE,
        "ticket 42",
    )
    assert Conversation.objects.filter(client=two_shops["other_shop"]).count() == 1


def test_retention_deletes_ended_chats_older_than_the_clients_period_and_keeps_the_rest(
    two_shops, django_capture_on_commit_callbacks
):
    shop, other_shop = two_shops["shop"], two_shops["other_shop"]
    shop.retention_days = 30
    shop.save(update_fields=["retention_days"])
    long_ago = timezone.now() - timedelta(days=31)
    Conversation.objects.filter(pk__in=[two_shops["mine"].pk, two_shops["theirs"].pk]).update(
        requested_at=long_ago, closed_at=long_ago
    )
    Visitor.objects.update(created_at=long_ago)
    OfflineMessage.objects.update(created_at=long_ago)
    recent = chat_services.start_conversation(client=shop, name="Recent", visitor_connected=True)
    open_but_old = chat_services.start_conversation(
        client=shop, name="Still chatting", visitor_connected=True
    ).conversation
    Conversation.objects.filter(pk=open_but_old.pk).update(requested_at=long_ago)

    assert tasks.delete_expired_data() == 1
    remaining = set(Conversation.objects.values_list("pk", flat=True))
    assert two_shops["mine"].pk not in remaining
    assert {recent.conversation.pk, open_but_old.pk, two_shops["theirs"].pk} <= remaining  # no period: forever
    assert not Report.objects.filter(client=shop).exists()
    assert OfflineMessage.objects.filter(client=shop).count() == 0
    assert OfflineMessage.objects.filter(client=other_shop).count() == 1
    assert AuditEntry.objects.get().action == AuditAction.RETENTION
    assert tasks.delete_expired_data() == 0  # nothing left to delete
