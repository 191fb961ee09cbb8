"""The price plans in Django's admin, with each client's economics and this month's figures."""

from zoneinfo import ZoneInfo

from django.contrib import admin
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from planning import billing
from planning.economics import client_economics
from planning.models import PricePlan


@admin.register(PricePlan)
class PricePlanAdmin(admin.ModelAdmin):
    """A client's price plan, with its economics and this month's figures beside it."""

    list_display = ["client", "currency", "monthly_fee", "price_per_chat", "included_chats", "price_per_covered_hour"]
    autocomplete_fields = ["client"]
    readonly_fields = ["economics", "this_month"]

    @admin.display(description=_("economics"))
    def economics(self, plan: PricePlan) -> str:
        if not plan.pk:
            return "—"
        return render_to_string(
            "planning/_economics.html", {"economics": client_economics(plan.client, now=timezone.now())}
        )

    @admin.display(description=_("this month"))
    def this_month(self, plan: PricePlan) -> str:
        if not plan.pk:
            return "—"
        figures = billing.month_figures(
            plan.client, timezone.now().astimezone(ZoneInfo(plan.client.timezone)).date().replace(day=1)
        )
        return render_to_string("planning/_month.html", {"figures": figures})
