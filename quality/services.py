"""Writes of quality: queue transcripts and NPS surveys, record survey answers."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chats.models import Conversation, ConversationStatus
from chats.ratings.services import checked_comment
from clients.models import QualitySettings
from core.errors import InvalidInput, RelevoError
from quality import outbox, tokens
from quality.models import NpsSurvey, QualityEmail, QualityEmailKind
from quality.tokens import InvalidSurveyLink


class SurveyLinkExpired(RelevoError):
    code = "expired"
    status = 410
    default_detail = _("This survey link has expired.")


class SurveyLinkInvalid(RelevoError):
    code = "invalid_link"
    status = 400
    default_detail = _("This survey link is not valid.")


class SurveyAlreadyAnswered(RelevoError):
    code = "already_answered"
    status = 409
    default_detail = _("You have already answered this survey. Thank you!")


def queue_transcript(conversation_id: int, address: str, *, key: str | None = None) -> int | None:
    """Queue the chat's transcript to `address` and ask a worker to send it; the row's id.

    `key` makes it idempotent (the automatic one after a close); a visitor's own requests
    each get a row (they are throttled in chats.transcript_requests)."""
    conversation = Conversation.objects.filter(pk=conversation_id).only("pk", "client_id", "language").first()
    if conversation is None:
        return None
    with transaction.atomic():
        email, _created = QualityEmail.objects.get_or_create(
            key=key or f"transcript:{conversation_id}:{uuid.uuid4().hex}",
            defaults={
                "kind": QualityEmailKind.TRANSCRIPT,
                "client_id": conversation.client_id,
                "conversation_id": conversation_id,
                "address": address,
                "language": conversation.language,
            },
        )
        outbox.send_on_commit([email.pk])
    return email.pk


def on_conversation_closed(conversation_id: int) -> None:
    """chats.events hook: email the transcript when the client wants it and the visitor's email is known."""
    conversation = (
        Conversation.objects.filter(pk=conversation_id, status=ConversationStatus.CLOSED)
        .select_related("visitor")
        .first()
    )
    if conversation is None or not conversation.visitor.email:
        return
    if QualitySettings.for_client(conversation.client_id).send_transcripts:
        queue_transcript(conversation_id, conversation.visitor.email, key=f"transcript:{conversation_id}:auto")


def recently_surveyed(email: str, now) -> bool:
    """The 90-day rule (NPS_SURVEY_REST_DAYS): at most one survey per visitor email, whatever the client."""
    since = now - timedelta(days=settings.NPS_SURVEY_REST_DAYS)
    return NpsSurvey.objects.filter(email=email.lower(), created_at__gte=since).exists()


def queue_due_nps_surveys(*, now=None, lookback_days: int = 3) -> int:
    """Beat: for each client that asks for NPS, chats closed `nps_after_days` ago (within a few days'
    lookback) whose visitor email is known get a survey, unless that email had one in 90 days."""
    now = now or timezone.now()
    queued = 0
    for quality in QualitySettings.objects.filter(nps_after_days__isnull=False).only("client_id", "nps_after_days"):
        due_until = now - timedelta(days=quality.nps_after_days)
        candidates = (
            Conversation.objects.filter(
                client_id=quality.client_id,
                status=ConversationStatus.CLOSED,
                agent__isnull=False,
                closed_at__range=(due_until - timedelta(days=lookback_days), due_until),
                nps_survey__isnull=True,
            )
            .exclude(visitor__email="")
            .select_related("visitor")
            .order_by("closed_at")
        )
        for conversation in candidates:
            queued += queue_nps_survey(conversation, now=now)
    return queued


def queue_nps_survey(conversation: Conversation, *, now) -> bool:
    """One survey (and its email) for the chat, unless its visitor's email had one lately; True if queued.

    The beat runs once at a time (README); a second run racing it on the same chat meets the
    one-to-one and queues nothing."""
    email = conversation.visitor.email.lower()
    if recently_surveyed(email, now):
        return False
    try:
        return create_nps_survey(conversation, email)
    except IntegrityError:
        return False


def create_nps_survey(conversation: Conversation, email: str) -> bool:
    with transaction.atomic():
        survey = NpsSurvey.objects.create(client_id=conversation.client_id, conversation=conversation, email=email)
        row = QualityEmail.objects.create(
            key=f"nps:{survey.pk}",
            kind=QualityEmailKind.NPS_SURVEY,
            client_id=conversation.client_id,
            conversation=conversation,
            survey=survey,
            address=conversation.visitor.email,
            language=conversation.language,
        )
        outbox.send_on_commit([row.pk])
    return True


def survey_of_link(token: str) -> NpsSurvey:
    try:
        survey_id = tokens.survey_id_of(token)
    except InvalidSurveyLink as error:
        raise (SurveyLinkExpired() if error.is_expired else SurveyLinkInvalid()) from None
    survey = NpsSurvey.objects.filter(pk=survey_id).select_related("client").first()
    if survey is None:
        raise SurveyLinkInvalid()
    return survey


def answer_nps_survey(*, token: str, score: int) -> NpsSurvey:
    """The one click: record the 0–10 score once (a second use of the link is refused)."""
    if score not in range(0, 11):
        raise InvalidInput(_("The score must be between 0 and 10."))
    survey = survey_of_link(token)
    answered = NpsSurvey.objects.filter(pk=survey.pk, answered_at__isnull=True).update(
        score=score, answered_at=timezone.now()
    )
    if not answered:
        raise SurveyAlreadyAnswered()
    survey.refresh_from_db()
    return survey


def comment_nps_survey(*, token: str, comment: str) -> NpsSurvey:
    """The optional comment after the score, once; card numbers masked."""
    survey = survey_of_link(token)
    comment = checked_comment(comment)  # the rating's rule: printable, not too long, card numbers masked
    commented = NpsSurvey.objects.filter(pk=survey.pk, answered_at__isnull=False, commented_at__isnull=True).update(
        comment=comment, commented_at=timezone.now()
    )
    if not commented:
        raise SurveyAlreadyAnswered()
    survey.refresh_from_db()
    return survey
