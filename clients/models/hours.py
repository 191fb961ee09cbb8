"""When a client wants its chats answered: weekly windows and dated exceptions.

Times are wall-clock times in the client's timezone. A window whose end is
earlier than its start crosses midnight (Fri 20:00 → Sat 02:00) and belongs to
the day it starts on; an end of 00:00 means midnight.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from clients.models.client import Client


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


def check_window_times(starts_at, ends_at) -> None:
    if starts_at is not None and starts_at == ends_at:
        raise ValidationError(
            {
                "ends_at": _(
                    "The window ends when it starts. For whole days switch on 24/7, "
                    "or use two windows such as 00:00–12:00 and 12:00–00:00."
                )
            }
        )


class CoverageWindow(models.Model):
    """Every week on `weekday`, chats are answered from `starts_at` to `ends_at`."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="coverage_windows", verbose_name=_("client")
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"), help_text=_("Earlier than the start: ends the next day."))

    class Meta:
        verbose_name = _("coverage window")
        verbose_name_plural = _("coverage windows")
        ordering = ["client", "weekday", "starts_at"]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    def clean(self) -> None:
        check_window_times(self.starts_at, self.ends_at)


class CoverageException(models.Model):
    """A date that differs from the weekly windows: closed all day, or special hours.

    Several special-hours rows on one date add up; a closed row closes the date.
    """

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="coverage_exceptions", verbose_name=_("client")
    )
    date = models.DateField(_("date"))
    is_closed = models.BooleanField(_("closed all day"), default=False)
    starts_at = models.TimeField(_("from"), null=True, blank=True)
    ends_at = models.TimeField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("coverage exception")
        verbose_name_plural = _("coverage exceptions")
        ordering = ["client", "date", "starts_at"]
        indexes = [models.Index(fields=["client", "date"], name="coverage_exception_client_date")]

    def __str__(self) -> str:
        if self.is_closed:
            return _("%(date)s closed") % {"date": self.date}
        return f"{self.date} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    def clean(self) -> None:
        has_hours = self.starts_at is not None or self.ends_at is not None
        if self.is_closed and has_hours:
            raise ValidationError(_("A closed day has no hours: clear “from” and “until”, or untick “closed”."))
        if not self.is_closed and (self.starts_at is None or self.ends_at is None):
            raise ValidationError(_("Give the special hours (“from” and “until”) or tick “closed all day”."))
        check_window_times(self.starts_at, self.ends_at)
