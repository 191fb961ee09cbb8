"""The `data` of the clients domain's own events (docs/webhooks.md shows them)."""
from __future__ import annotations

from clients.models import OfflineMessage


def lead_data(lead: OfflineMessage) -> dict:
    """lead.created: a visitor's message left outside coverage (card numbers already masked)."""
    return {"lead": {"id": lead.pk, "name": lead.name, "email": lead.email, "message": lead.message,
                     "language": lead.language, "created_at": lead.created_at}}
