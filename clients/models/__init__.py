"""Client businesses whose website chats the agency answers, and everything about them."""

from clients.models.briefing import Briefing, CannedReply, FaqEntry
from clients.models.client import (
    Client,
    new_widget_key,
    normalise_origin,
    validate_language_code,
    validate_origins,
    validate_timezone,
)
from clients.models.hours import CoverageException, CoverageWindow, Weekday
from clients.models.people import OfflineMessage, Representative, RepresentativeRole
from clients.models.prechat import FieldMode, PreChatForm
from clients.models.quality import QualitySettings, RatingScale
from clients.models.webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEventType

__all__ = [
    "Briefing",
    "CannedReply",
    "Client",
    "CoverageException",
    "CoverageWindow",
    "FaqEntry",
    "FieldMode",
    "OfflineMessage",
    "PreChatForm",
    "QualitySettings",
    "RatingScale",
    "Representative",
    "RepresentativeRole",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEventType",
    "Weekday",
    "new_widget_key",
    "normalise_origin",
    "validate_language_code",
    "validate_origins",
    "validate_timezone",
]
