"""The client's briefing, FAQ and canned replies as the console will read them."""

import pytest
from django.db import IntegrityError

from clients.models import Briefing, CannedReply, FaqEntry
from clients.services import briefing_for, search_canned_replies
from conftest import make_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop = make_client("Shop")
    Briefing.objects.create(
        client=shop,
        may_answer="Delivery times",
        may_not_answer="Refund amounts",
        tone="Warm, informal",
        useful_links="https://shop.example/help\n\nhttps://shop.example/returns",
    )
    FaqEntry.objects.create(client=shop, question="Second?", answer="B", order=2)
    FaqEntry.objects.create(client=shop, question="First?", answer="A", order=1)
    CannedReply.objects.create(client=shop, shortcut="/hours", title="Opening hours", body="We are open 9–5.")
    CannedReply.objects.create(client=shop, shortcut="/returns", title="Returns", body="30 days to return.")
    return shop


def test_the_briefing_is_plain_data_with_the_faq_in_order(shop):
    briefing = briefing_for(shop.pk)
    assert briefing["may_not_answer"] == "Refund amounts"
    assert briefing["useful_links"] == ["https://shop.example/help", "https://shop.example/returns"]
    assert [entry["question"] for entry in briefing["faq"]] == ["First?", "Second?"]
    assert len(briefing["canned_replies"]) == 2


def test_a_client_without_a_briefing_gets_empty_fields():
    other = make_client("Bare")
    assert briefing_for(other.pk)["tone"] == "" and briefing_for(other.pk)["faq"] == []


def test_canned_replies_are_found_by_shortcut_title_or_text(shop):
    assert [r["shortcut"] for r in search_canned_replies(shop.pk, "/ho")] == ["/hours"]
    assert [r["shortcut"] for r in search_canned_replies(shop.pk, "ho")] == ["/hours"]
    assert [r["shortcut"] for r in search_canned_replies(shop.pk, "30 days")] == ["/returns"]


def test_another_clients_canned_replies_are_never_found(shop):
    other = make_client("Other")
    CannedReply.objects.create(client=other, shortcut="/hours", title="Their hours", body="Never")
    assert [r["title"] for r in search_canned_replies(shop.pk, "/hours")] == ["Opening hours"]
    assert all(r["body"] != "Never" for r in briefing_for(shop.pk)["canned_replies"])


def test_a_shortcut_is_unique_per_client(shop):
    with pytest.raises(IntegrityError):
        CannedReply.objects.create(client=shop, shortcut="/hours", title="Again", body="Dup")
