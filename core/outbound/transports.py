"""Outbound channels share one interface: `send()` delivers or raises DeliveryError.

A permanent error (the address is refused) is not retried; a transient one (the
server is down, a timeout) is retried with backoff by the outbox engine (core.outbound.outbox).
A new channel (webhooks) is one more class here and one more entry in TRANSPORTS.
"""
from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives


class DeliveryError(Exception):
    def __init__(self, message: str, *, is_permanent: bool = False):
        super().__init__(message)
        self.is_permanent = is_permanent


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
            subject=email.subject, body=email.text, from_email=sender_of(email), to=[email.to],
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


TRANSPORTS = {"email": EmailTransport}


def transport_for(channel: str):
    return TRANSPORTS[channel]()
