"""A visitor's transcript by email: asked from the widget (or sent when the chat ends, if the
client wants it), in the visitor's language, card numbers masked, from the client's name,
replies to the client; throttled."""

import pytest
from channels.db import database_sync_to_async
from django.core import mail

from chats import services as chat_services
from chats.models import SenderKind
from clients.models import QualitySettings
from conftest import make_agent, make_client, open_visitor, receive_until
from quality.models import QualityEmail

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def spanish_chat(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "Relevo <chats@relevo.example>"
    shop = make_client("Tienda Sol")
    QualitySettings.objects.create(client=shop, reply_to_email="hola@tienda.example")
    agent = make_agent("ana", shop)
    started = chat_services.start_conversation(
        client=shop, name="Maria", email="maria@example.com", language="es", visitor_connected=True
    )
    conversation_id = started.conversation.pk
    chat_services.post_message(
        conversation_id=conversation_id,
        sender=SenderKind.VISITOR,
        client_id=None,
        body="Mi tarjeta es 4111 1111 1111 1111",
    )
    chat_services.post_message(
        conversation_id=conversation_id, sender=SenderKind.AGENT, client_id=None, body="Gracias, lo miro.", agent=agent
    )
    return agent, started


async def test_the_visitor_asks_for_the_transcript_from_the_widget(spanish_chat):
    _, chat = spanish_chat
    visitor = await open_visitor(chat)
    await visitor.send_json_to({"type": "transcript", "email": "otra@example.com"})
    queued = await receive_until(visitor, lambda f: f["type"] == "transcript_queued")
    assert queued["email"] == "otra@example.com"
    await visitor.disconnect()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["otra@example.com"]
    assert email.from_email == "Tienda Sol <chats@relevo.example>"
    assert email.reply_to == ["hola@tienda.example"]
    assert "Responde a este correo electrónico para escribirles." in email.body  # the visitor's language
    assert "Gracias, lo miro." in email.body
    assert "1111 1111 1111" not in email.body and "4111 11" in email.body
    html = email.alternatives[0][0]
    assert "1111 1111 1111" not in html and "Gracias, lo miro." in html


async def test_without_an_email_the_visitors_known_one_is_used(spanish_chat):
    _, chat = spanish_chat
    visitor = await open_visitor(chat)
    await visitor.send_json_to({"type": "transcript"})
    queued = await receive_until(visitor, lambda f: f["type"] == "transcript_queued")
    assert queued["email"] == "maria@example.com"
    await visitor.disconnect()


@pytest.mark.parametrize("email", ["not an email", "a\x00@example.com", "4111111111111111@example.com"])
async def test_a_bad_address_is_refused(spanish_chat, email):
    _, chat = spanish_chat
    visitor = await open_visitor(chat)
    await visitor.send_json_to({"type": "transcript", "email": email})
    error = await receive_until(visitor, lambda f: f["type"] == "error")
    assert error["code"] == "invalid"
    await visitor.disconnect()
    assert not await database_sync_to_async(QualityEmail.objects.exists)()


async def test_asking_too_often_is_rate_limited(spanish_chat, settings):
    settings.TRANSCRIPT_EMAILS_PER_CONVERSATION_PER_HOUR = 2
    _, chat = spanish_chat
    visitor = await open_visitor(chat)
    for _ in range(2):
        await visitor.send_json_to({"type": "transcript"})
        await receive_until(visitor, lambda f: f["type"] == "transcript_queued")
    await visitor.send_json_to({"type": "transcript"})
    error = await receive_until(visitor, lambda f: f["type"] == "error")
    assert error["code"] == "rate_limited" and error["retry_after"] > 0
    await visitor.disconnect()
    assert await database_sync_to_async(QualityEmail.objects.count)() == 2


def test_the_client_setting_sends_it_when_the_chat_ends(spanish_chat):
    agent, chat = spanish_chat
    QualitySettings.objects.filter(client_id=chat.conversation.client_id).update(send_transcripts=True)
    chat_services.close_conversation(conversation_id=chat.conversation.pk, agent=agent)
    chat_services.close_conversation(conversation_id=chat.conversation.pk, agent=agent)  # idempotent
    sent = [m for m in mail.outbox if m.to == ["maria@example.com"]]
    assert len(sent) == 1 and "Gracias, lo miro." in sent[0].body


def test_without_the_setting_nothing_is_sent_when_the_chat_ends(spanish_chat):
    agent, chat = spanish_chat
    chat_services.close_conversation(conversation_id=chat.conversation.pk, agent=agent)
    assert not QualityEmail.objects.exists()


def test_the_transcripts_times_are_on_the_clients_clock_and_name_its_zone(spanish_chat):
    from chats.models import Message
    from clients.local_times import client_time

    agent, chat = spanish_chat
    type(chat.conversation.client).objects.filter(pk=chat.conversation.client_id).update(timezone="Europe/Warsaw")
    QualitySettings.objects.filter(client_id=chat.conversation.client_id).update(send_transcripts=True)
    chat_services.close_conversation(conversation_id=chat.conversation.pk, agent=agent)
    sent = next(m for m in mail.outbox if m.to == ["maria@example.com"])
    first = Message.objects.filter(conversation=chat.conversation, sender=SenderKind.VISITOR).first().created_at
    assert f"[{client_time(first, 'Europe/Warsaw', 'Y-m-d H:i')}] Tú:" in sent.body  # "[… 21:30 (Europe/Warsaw)]"
    html = sent.alternatives[0][0]
    assert client_time(first, "Europe/Warsaw", "H:i") in html and "(Europe/Warsaw)" in html
