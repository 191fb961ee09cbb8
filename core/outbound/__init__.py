"""Outbound delivery, for every app: email today, webhooks later.

- `transports`: one class per channel whose `send()` delivers or raises DeliveryError
  (permanent or transient);
- `outbox`: the row an app subclasses for its own deliveries (`OutboxRow`) and the
  engine that claims, sends, retries and recovers those rows (`Outbox`).
"""

from core.outbound.transports import TRANSPORTS, DeliveryError, EmailTransport, OutboundEmail, transport_for

__all__ = ["TRANSPORTS", "DeliveryError", "EmailTransport", "OutboundEmail", "transport_for"]
