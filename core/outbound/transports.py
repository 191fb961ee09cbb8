"""Outbound channels share one interface: `send()` delivers or raises DeliveryError.

A permanent error (the address is refused) is not retried; a transient one (the
server is down, a timeout) is retried with backoff by the outbox engine (core.outbound.outbox).
A new channel is one more class here and one more entry in TRANSPORTS. Webhooks are
signed HTTP POSTs that refuse the agency's own network (core.outbound.http_guard).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import formataddr, parseaddr
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from core.outbound import http_guard


class DeliveryError(Exception):
    def __init__(self, message: str, *, is_permanent: bool = False, status_code: int | None = None):
        super().__init__(message)
        self.is_permanent = is_permanent
        self.status_code = status_code  # the receiver's HTTP answer, when there was one


@dataclass(frozen=True, slots=True)
class OutboundEmail:
    to: str
    subject: str
    text: str
    html: str
    reply_to: str | None = None
    message_id: str | None = None  # stable across attempts: receivers de-duplicate a resend
    from_name: str | None = None  # shown as the sender's name, with DEFAULT_FROM_EMAIL's address


def sender_of(email: OutboundEmail) -> str:
    """DEFAULT_FROM_EMAIL, under the email's own sender name when it has one (a client's)."""
    if not email.from_name:
        return settings.DEFAULT_FROM_EMAIL
    return formataddr((email.from_name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))


class EmailTransport:
    """Sends one email through Django's configured backend. Never call it inside a transaction."""

    def send(self, email: OutboundEmail) -> None:
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=email.text,
            from_email=sender_of(email),
            to=[email.to],
            reply_to=[email.reply_to] if email.reply_to else None,
            headers={"Message-ID": email.message_id} if email.message_id else None,
        )
        message.attach_alternative(email.html, "text/html")
        try:
            message.send(fail_silently=False)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as error:
            raise DeliveryError(f"refused: {error}", is_permanent=True) from error
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryError(f"{type(error).__name__}: {error}") from error


SIGNATURE_HEADER = "Relevo-Signature"


def webhook_signature(secret: str, timestamp: int, body: bytes) -> str:
    """HMAC-SHA256 of `timestamp + "." + body` with the endpoint's secret, hex (docs/webhooks.md)."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class OutboundWebhook:
    url: str
    secret: str
    body: bytes  # the JSON payload, the same bytes on every attempt
    event_id: str  # receivers de-duplicate by it: delivery is at least once
    event_type: str


@dataclass(frozen=True, slots=True)
class WebhookResponse:
    status_code: int


class WebhookTransport:
    """POSTs one signed event to a client's endpoint. Never call it inside a transaction.

    2xx is delivered; 408, 429 and 5xx, timeouts and connection errors are transient;
    any other answer (4xx, a redirect) and an address outbound requests may not reach are permanent.
    The signature is made at each attempt, so its timestamp says when the attempt was sent."""

    def send(self, webhook: OutboundWebhook) -> WebhookResponse:
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Relevo-Webhooks/1",
            "Relevo-Event-Id": webhook.event_id,
            "Relevo-Event-Type": webhook.event_type,
            SIGNATURE_HEADER: f"t={timestamp},v1={webhook_signature(webhook.secret, timestamp, webhook.body)}",
        }
        try:
            response = http_guard.post_guarded(
                webhook.url,
                webhook.body,
                headers,
                timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
                max_response_bytes=settings.WEBHOOK_MAX_RESPONSE_BYTES,
                allow_private=settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES,
            )
        except (ValueError, http_guard.RefusedAddress) as error:
            raise DeliveryError(f"refused: {error}", is_permanent=True) from error
        except TimeoutError as error:
            raise DeliveryError(f"timed out after {settings.WEBHOOK_TIMEOUT_SECONDS} s") from error
        except (http_guard.UnresolvableHost, OSError, http.client.HTTPException) as error:
            raise DeliveryError(f"{type(error).__name__}: {error}") from error
        status = response.status
        if 200 <= status < 300:
            return WebhookResponse(status_code=status)
        is_transient = status >= 500 or status in (408, 429)
        raise DeliveryError(f"HTTP {status}", is_permanent=not is_transient, status_code=status)


class Transport(Protocol):
    """A channel's sender: delivers one composed message (or raises DeliveryError) and says what came back."""

    def send(self, message: Any, /) -> object: ...


TRANSPORTS: dict[str, Callable[[], Transport]] = {"email": EmailTransport, "webhook": WebhookTransport}


def transport_for(channel: str) -> Transport:
    return TRANSPORTS[channel]()
