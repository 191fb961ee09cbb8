"""Background work of the clients domain: telling representatives about offline messages."""
from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation

from clients.models import OfflineMessage, Representative


@shared_task
def notify_representatives_of_offline_message(offline_message_id: int) -> int:
    """Email each representative who receives emails, in their language; once per message.

    The message is claimed with a conditional UPDATE, so a retried or duplicated
    task sends nothing twice. Returns how many emails were sent.
    """
    claimed = OfflineMessage.objects.filter(pk=offline_message_id, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if not claimed:
        return 0
    offline_message = OfflineMessage.objects.select_related("client").get(pk=offline_message_id)
    recipients = Representative.objects.filter(
        client_id=offline_message.client_id, receives_emails=True
    ).exclude(user__email="").select_related("user")
    sent = 0
    for representative in recipients:
        with translation.override(representative.language):
            email = offline_message_email(offline_message, representative.user.email)
        sent += email.send()
    return sent


def offline_message_email(offline_message: OfflineMessage, to: str) -> EmailMultiAlternatives:
    """The email (subject, text, HTML) in the active language."""
    context = {"offline_message": offline_message, "client": offline_message.client}
    subject = render_to_string("clients/email/offline_message_subject.txt", context).strip()
    email = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string("clients/email/offline_message.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=[offline_message.email],
    )
    email.attach_alternative(render_to_string("clients/email/offline_message.html", context), "text/html")
    return email
