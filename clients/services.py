"""Writes and reads of the clients domain: offline messages, coverage hours, the briefing, canned replies."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from clients import coverage, errors, signals
from clients.models import (
    Briefing,
    CannedReply,
    Client,
    CoverageException,
    CoverageWindow,
    FaqEntry,
    OfflineMessage,
    Representative,
    Weekday,
)
from clients.pci import mask_card_numbers
from clients.text import checked_body, checked_email, checked_line, checked_name


def check_offline_message(*, name: str, email: str, message: str, consent: bool) -> tuple[str, str, str]:
    """The offline form's name, email and message as stored (clients.text's rules, card numbers
    masked); raise InvalidInput with a sentence the visitor can act on."""
    name = checked_name(name, model=OfflineMessage)
    if not email.strip():
        raise errors.InvalidInput(_("Enter your email address so we can answer you."))
    email = checked_email(email)
    message = checked_body(message.strip())
    if not message:
        raise errors.InvalidInput(_("Write your message."))
    if consent is not True:
        raise errors.InvalidInput(_("Please agree that we store your message and email to answer you."))
    return name, email, mask_card_numbers(message)[0]


def leave_offline_message(
    *, client: Client, name: str = "", email: str = "", message: str = "", consent: bool = False, language: str = ""
) -> OfflineMessage:
    """Store a visitor's message left outside coverage; after commit it is announced to the apps that
    deliver it (reports emails the representatives, or the agency admins when nobody receives it)."""
    name, email, message = check_offline_message(name=name, email=email, message=message, consent=consent)
    with transaction.atomic():
        offline_message = OfflineMessage.objects.create(
            client=client,
            name=name,
            email=email,
            message=message,
            language=language[:10],
        )
        signals.offline_message_left.send_on_commit(sender=OfflineMessage, offline_message_id=offline_message.pk)
    return offline_message


def offline_message_recipients(client_id: int) -> list[Representative]:
    """The client's representatives who are emailed its leads: those who receive emails and have an address."""
    return list(
        Representative.objects.filter(client_id=client_id, receives_emails=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )


def flag_offline_message_undeliverable(*, offline_message_id: int) -> None:
    """Nobody at the client receives the lead: mark it so the agency sees it (one filter in the admin)."""
    OfflineMessage.objects.filter(pk=offline_message_id).update(is_undeliverable=True)


def record_offline_messages_notified(*, offline_message_ids: Iterable[int], at: datetime) -> None:
    """The first email to a representative about each lead went out."""
    OfflineMessage.objects.filter(pk__in=list(offline_message_ids), notified_at__isnull=True).update(notified_at=at)


def mark_offline_message_handled(*, offline_message: OfflineMessage, is_handled: bool = True) -> OfflineMessage:
    """Someone took care of the lead (or reopened it)."""
    offline_message.is_handled = is_handled
    offline_message.save(update_fields=["is_handled"])
    return offline_message


CoverageHours = CoverageWindow | CoverageException
WindowTimes = tuple[int, time, time]


def describe_window(weekday: int, starts_at: time, ends_at: time) -> str:
    return f"{Weekday(weekday).label} {starts_at:%H:%M}–{ends_at:%H:%M}"


def check_coverage_windows(windows: Sequence[WindowTimes]) -> None:
    """Raise ValidationError naming two of a client's weekly (weekday, start, end) windows that overlap."""
    overlap = coverage.overlapping_windows(list(windows))
    if overlap:
        first, second = (windows[index] for index in overlap)
        raise ValidationError(
            _("The windows %(first)s and %(second)s overlap. Merge them into one window.")
            % {"first": describe_window(*first), "second": describe_window(*second)},
            code="overlap",
        )


def save_coverage_hours(hours: CoverageHours) -> CoverageHours:
    """Store a new or changed weekly window or dated exception, validated like in the admin.

    Raises Django's ValidationError (field by field, or naming the overlapping windows)
    when the hours make no sense. The client's row is locked so two writers cannot
    each add half of an overlap."""
    hours.full_clean()
    with transaction.atomic():
        if isinstance(hours, CoverageWindow):
            Client.objects.select_for_update().filter(pk=hours.client_id).values_list("pk").first()
            stored = CoverageWindow.objects.filter(client_id=hours.client_id).exclude(pk=hours.pk)
            check_coverage_windows(
                [
                    *stored.values_list("weekday", "starts_at", "ends_at"),
                    (hours.weekday, hours.starts_at, hours.ends_at),
                ]
            )
        hours.save()
    return hours


def remove_coverage_hours(hours: CoverageHours) -> None:
    hours.delete()


def briefing_for(client_id: int) -> dict:
    """What an agent reads before answering for the client, as plain data."""
    client = Client.objects.only("id", "name", "timezone").get(pk=client_id)
    briefing = Briefing.objects.filter(client_id=client_id).first()
    return {
        "client": {"id": client.pk, "name": client.name, "timezone": client.timezone},
        "may_answer": briefing.may_answer if briefing else "",
        "may_not_answer": briefing.may_not_answer if briefing else "",
        "tone": briefing.tone if briefing else "",
        "useful_links": [
            line.strip() for line in (briefing.useful_links if briefing else "").splitlines() if line.strip()
        ],
        "faq": [
            {"question": question, "answer": answer}
            for question, answer in FaqEntry.objects.filter(client_id=client_id).values_list("question", "answer")
        ],
        "canned_replies": search_canned_replies(client_id, ""),
    }


def search_canned_replies(client_id: int, query: str, *, limit: int = 20) -> list[dict]:
    """Canned replies whose shortcut starts with, or whose title or text contains, the query."""
    replies = CannedReply.objects.filter(client_id=client_id)
    query = checked_line(query.strip(), field=_("search"))
    if query:
        shortcut = query if query.startswith("/") else f"/{query}"
        replies = replies.filter(
            Q(shortcut__istartswith=shortcut) | Q(title__icontains=query) | Q(body__icontains=query)
        )
    return [
        {"shortcut": shortcut, "title": title, "body": body}
        for shortcut, title, body in replies.order_by("shortcut").values_list("shortcut", "title", "body")[:limit]
    ]


BRIEFING_FIELDS = ("may_answer", "may_not_answer", "tone", "useful_links")


def update_briefing(*, client: Client, **fields: str) -> Briefing:
    """Change the client's instructions to agents (the briefing is created on first save)."""
    unknown = set(fields) - set(BRIEFING_FIELDS)
    if unknown:
        raise TypeError(f"update_briefing() takes only {', '.join(BRIEFING_FIELDS)}; got {', '.join(sorted(unknown))}")
    with transaction.atomic():
        briefing, _created = Briefing.objects.select_for_update().get_or_create(client=client)
        for name, value in fields.items():
            setattr(briefing, name, value.strip())
        briefing.full_clean()
        briefing.save(update_fields=[*fields, "updated_at"])
    return briefing


def check_belongs_to_client(*, client: Client, entries: Iterable[FaqEntry | CannedReply]) -> None:
    """New entries become the client's; an existing entry of another client is refused."""
    for entry in entries:
        if entry.pk is None:
            entry.client = client
        elif entry.client_id != client.pk:
            raise errors.NotThisClients()


def save_faq_entries(*, client: Client, entries: Sequence[FaqEntry], deleted: Sequence[FaqEntry] = ()) -> None:
    """Add, change and delete the client's FAQ entries in one go; `order` sets their order."""
    check_belongs_to_client(client=client, entries=[*entries, *deleted])
    for entry in entries:
        entry.full_clean()
    with transaction.atomic():
        FaqEntry.objects.filter(client=client, pk__in=[entry.pk for entry in deleted]).delete()
        for entry in entries:
            entry.save()


def check_shortcuts_are_unique(*, client: Client, replies: Sequence[CannedReply], deleted_ids: set[int]) -> None:
    """Raise DuplicateShortcut when two of the client's replies would share a shortcut."""
    saved_ids = {reply.pk for reply in replies if reply.pk}
    taken = set(
        CannedReply.objects.filter(client=client)
        .exclude(pk__in=saved_ids | deleted_ids)
        .values_list("shortcut", flat=True)
    )
    for reply in replies:
        if reply.shortcut in taken:
            raise errors.DuplicateShortcut(reply.shortcut)
        taken.add(reply.shortcut)


def save_canned_replies(*, client: Client, replies: Sequence[CannedReply], deleted: Sequence[CannedReply] = ()) -> None:
    """Add, change and delete the client's canned replies; a shortcut is unique per client."""
    check_belongs_to_client(client=client, entries=[*replies, *deleted])
    for reply in replies:
        reply.shortcut = reply.shortcut.strip().lower()
        reply.full_clean(validate_constraints=False)
    with transaction.atomic():
        Client.objects.select_for_update().filter(pk=client.pk).first()  # one editor of a client's replies at a time
        deleted_ids = {reply.pk for reply in deleted}
        check_shortcuts_are_unique(client=client, replies=replies, deleted_ids=deleted_ids)
        CannedReply.objects.filter(client=client, pk__in=deleted_ids).delete()
        for reply in replies:
            try:
                with transaction.atomic():
                    reply.save()
            except IntegrityError:  # two replies swapping shortcuts in one save
                raise errors.DuplicateShortcut(reply.shortcut) from None
