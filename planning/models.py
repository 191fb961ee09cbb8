"""A client's price plan: what the agency bills it each month (planning.billing)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from clients.models import Client

ZERO = Decimal("0")


class PricePlan(models.Model):
    """Per chat, per covered hour, a flat monthly fee, or any mix of them."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="price_plan", verbose_name=_("client"))
    currency = models.CharField(
        _("currency"), max_length=3, default="EUR", help_text=_("ISO code shown on the invoice, e.g. EUR.")
    )
    monthly_fee = models.DecimalField(
        _("flat monthly fee"), max_digits=10, decimal_places=2, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    price_per_chat = models.DecimalField(
        _("price per answered chat"), max_digits=8, decimal_places=2, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    included_chats = models.PositiveIntegerField(
        _("answered chats included in the fee"),
        default=0,
        help_text=_("Only the answered chats beyond these are billed per chat."),
    )
    price_per_covered_hour = models.DecimalField(
        _("price per covered hour"), max_digits=8, decimal_places=2, default=ZERO, validators=[MinValueValidator(ZERO)]
    )

    class Meta:
        db_table = "reports_priceplan"  # kept from when reports held it (planning/migrations/0001)
        verbose_name = _("price plan")
        verbose_name_plural = _("price plans")

    def __str__(self) -> str:
        return _("Price plan of %(client)s") % {"client": self.client}
