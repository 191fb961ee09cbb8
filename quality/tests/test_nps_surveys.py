"""NPS surveys: emailed N days after a chat when the client wants them, at most one per visitor
email per 90 days, answered with one click on a signed link that expires and works once."""

import datetime as dt
import re

import pytest
from django.core import mail, signing
from django.utils import timezone

from chats.models import Conversation, ConversationStatus
from chats.ratings.models import Rating
from clients.models import QualitySettings
from privacy import services as privacy
from quality import services, tokens
from quality.models import NpsSurvey

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def closed_chat(chat, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    QualitySettings.objects.create(client=chat.conversation.client, nps_after_days=3)
    closed_at = timezone.now() - dt.timedelta(days=3, hours=1)
    Conversation.objects.filter(pk=chat.conversation.pk).update(status=ConversationStatus.CLOSED, closed_at=closed_at)
    return chat


def chat_of_same_visitor(chat, *, days_ago: float):
    visitor = chat.conversation.visitor
    conversation = Conversation.objects.create(
        client=chat.conversation.client,
        visitor=visitor,
        agent=chat.conversation.agent,
        status=ConversationStatus.CLOSED,
        token_hash="x" * 64,
    )
    Conversation.objects.filter(pk=conversation.pk).update(closed_at=timezone.now() - dt.timedelta(days=days_ago))
    return conversation


def survey_link(email) -> str:
    return re.search(r"http\S+/nps/(\S+)/\?score=9", email.body).group(1)


def test_a_survey_goes_out_n_days_after_the_chat_with_one_click_links(closed_chat, client):
    assert services.queue_due_nps_surveys() == 1
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["maria@example.com"] and email.from_email.startswith("Shop <")
    token = survey_link(email)
    page = client.get(f"/nps/{token}/?score=9")
    assert page.status_code == 200
    survey = NpsSurvey.objects.get()
    assert survey.score == 9 and survey.answered_at is not None
    assert client.post(f"/nps/{token}/", {"comment": "Card 4111 1111 1111 1111, fast!"}).status_code == 200
    survey.refresh_from_db()
    assert "1111 1111 1111" not in survey.comment and survey.comment.endswith("fast!")


def test_no_survey_before_the_days_pass_or_when_the_client_has_none(closed_chat):
    QualitySettings.objects.filter(client_id=closed_chat.conversation.client_id).update(nps_after_days=5)
    assert services.queue_due_nps_surveys() == 0
    QualitySettings.objects.filter(client_id=closed_chat.conversation.client_id).update(nps_after_days=None)
    assert services.queue_due_nps_surveys(now=timezone.now() + dt.timedelta(days=2)) == 0


def test_one_survey_per_visitor_email_per_90_days(closed_chat):
    assert services.queue_due_nps_surveys() == 1
    assert services.queue_due_nps_surveys() == 0  # the same chat again: nothing
    chat_of_same_visitor(closed_chat, days_ago=3.1)
    assert services.queue_due_nps_surveys() == 0  # another chat, same email, within 90 days
    NpsSurvey.objects.update(created_at=timezone.now() - dt.timedelta(days=91))
    assert services.queue_due_nps_surveys() == 1  # 90 days later the email may be asked again
    assert len(mail.outbox) == 2


def test_a_link_works_once(closed_chat, client):
    services.queue_due_nps_surveys()
    token = survey_link(mail.outbox[0])
    assert client.get(f"/nps/{token}/?score=10").status_code == 200
    again = client.get(f"/nps/{token}/?score=0")
    assert again.status_code == 409
    assert NpsSurvey.objects.get().score == 10
    client.post(f"/nps/{token}/", {"comment": "first"})
    assert client.post(f"/nps/{token}/", {"comment": "second"}).status_code == 409
    assert NpsSurvey.objects.get().comment == "first"


def test_an_expired_link_is_refused(closed_chat, client, settings):
    services.queue_due_nps_surveys()
    survey = NpsSurvey.objects.get()
    old = signing.TimestampSigner(salt=tokens.SALT).sign_object({"survey": survey.pk}, compress=True)
    settings.NPS_LINK_MAX_AGE_DAYS = 0
    response = client.get(f"/nps/{old}/?score=8")
    assert response.status_code == 410
    assert NpsSurvey.objects.get().answered_at is None


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
        lambda t: signing.dumps({"survey": 1}, salt="another-salt"),
        lambda t: "nonsense",
    ],
)
def test_a_tampered_link_is_refused(closed_chat, client, mangle):
    services.queue_due_nps_surveys()
    response = client.get(f"/nps/{mangle(survey_link(mail.outbox[0]))}/?score=8")
    assert response.status_code == 400
    assert NpsSurvey.objects.get().answered_at is None


@pytest.mark.parametrize("score", ["11", "-1", "", "ten"])
def test_a_score_off_the_scale_is_refused(closed_chat, client, score):
    services.queue_due_nps_surveys()
    response = client.get(f"/nps/{survey_link(mail.outbox[0])}/?score={score}")
    assert response.status_code == 400
    assert NpsSurvey.objects.get().answered_at is None


def test_a_visitors_export_holds_their_rating_and_survey_answer(closed_chat, client):
    services.queue_due_nps_surveys()
    client.get(f"/nps/{survey_link(mail.outbox[0])}/?score=9")
    Rating.objects.create(
        conversation=closed_chat.conversation,
        client=closed_chat.conversation.client,
        scale="five",
        score=5,
        comment="Lovely",
    )
    data = privacy.export_visitor_data(client_id=closed_chat.conversation.client_id, email="maria@example.com")
    exported = data["conversations"][0]
    assert exported["rating"]["comment"] == "Lovely" and exported["nps_survey"]["score"] == 9
