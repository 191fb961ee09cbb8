"""What a visitor's email says: the transcript or the NPS survey, in the visitor's language,
from the client's name, replies to the client's address."""

from __future__ import annotations

from django.urls import reverse

from chats.transcript import visitor_visible_messages
from clients import services as clients_services
from clients.models import QualitySettings
from core.outbound import OutboundEmail
from quality import tokens
from quality.models import QualityEmail, QualityEmailKind
from reports.delivery.emails import absolute, email_from_templates

NPS_SCORES = range(0, 11)


def reply_to_for(client_id: int) -> str | None:
    """The client's reply-to address (quality settings), else its first representative who gets emails."""
    configured = QualitySettings.for_client(client_id).reply_to_email
    if configured:
        return configured
    recipients = clients_services.offline_message_recipients(client_id)
    return recipients[0].user.email if recipients else None


def transcript_context(email: QualityEmail) -> dict:
    """Messages are masked when stored (chats.services); only what the visitor may see is listed."""
    return {"messages": list(visitor_visible_messages(email.conversation_id))}


def survey_context(email: QualityEmail) -> dict:
    token = tokens.survey_token(email.survey_id)
    page = reverse("nps-answer", args=[token])
    return {"score_links": [(score, absolute(f"{page}?score={score}")) for score in NPS_SCORES]}


def compose(group: list[QualityEmail]) -> OutboundEmail:
    email = group[0]
    if email.kind == QualityEmailKind.TRANSCRIPT:
        name, context = "emails/transcript", transcript_context(email)
    else:
        name, context = "emails/nps_survey", survey_context(email)
    context.update(client=email.client, conversation=email.conversation)
    return email_from_templates(
        name,
        context,
        language=email.language,
        to=email.address,
        reply_to=reply_to_for(email.client_id),
        message_id=email.message_id,
        from_name=email.client.name,
    )
