"""manage.py generate_history: a small seasonal history that the analytics can read."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from chats.models import Conversation, ConversationStatus, Message
from chats.services import start_conversation
from clients.models import Client
from reports.analytics import selectors as analytics

pytestmark = pytest.mark.django_db


def test_it_writes_the_requested_number_of_chats_and_messages():
    out = StringIO()
    call_command(
        "generate_history", conversations=300, messages_per_conversation=4, clients=3, agents=5, days=30, stdout=out
    )
    assert "300 conversations, 1200 messages" in out.getvalue()
    assert Conversation.objects.count() == 300 and Message.objects.count() == 1200
    assert Client.objects.count() == 3
    seqs = set(Message.objects.values_list("seq", flat=True))
    assert seqs == {1, 2, 3, 4}


def test_its_chats_are_consistent_and_inside_the_period():
    call_command(
        "generate_history",
        conversations=200,
        messages_per_conversation=2,
        clients=2,
        agents=3,
        days=10,
        stdout=StringIO(),
    )
    now = timezone.now()
    assert not Conversation.objects.filter(requested_at__gt=now).exists()
    assert not Conversation.objects.filter(requested_at__lt=now - timedelta(days=12)).exists()
    answered = Conversation.objects.exclude(status=ConversationStatus.MISSED)
    assert not answered.filter(agent__isnull=True).exists()
    assert not answered.filter(first_response_at__lt=timezone.now() - timedelta(days=20)).exists()
    client = Client.objects.first()
    kpis = analytics.client_kpis(client_id=client.pk, start=now - timedelta(days=11), end=now)
    assert kpis["chats"] == Conversation.objects.filter(client=client).count()
    assert kpis["queue_wait"]["p50"] >= 0 and kpis["first_response"]["p90"] > kpis["first_response"]["p50"]


def test_new_rows_after_it_get_fresh_ids():
    call_command(
        "generate_history",
        conversations=10,
        messages_per_conversation=1,
        clients=1,
        agents=1,
        days=2,
        stdout=StringIO(),
    )
    client = Client.objects.get()
    latest = max(Conversation.objects.values_list("pk", flat=True))
    started = start_conversation(client=client, name="Maria", visitor_connected=True)
    assert started.conversation.pk > latest
