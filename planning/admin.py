"""The price plans in Django's admin, with each client's economics and this month's figures; the staffing
gaps of the next 7 days on the client's page (clients sits below planning, so planning extends its admin)."""

from zoneinfo import ZoneInfo

from django.contrib import admin
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.admin import ClientAdmin, of_saved_client
from clients.models import Client
from planning import billing, forecast, gaps
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


def with_staffing_gaps(fieldsets: list) -> list:
    """The client page's fieldsets with the staffing gaps after the coverage totals ("Coverage this week")."""
    return [
        (name, {**options, "fields": [*options["fields"], "staffing_gaps"]})
        if "coverage_totals" in options["fields"]
        else (name, options)
        for name, options in fieldsets
    ]


class ClientWithStaffingGapsAdmin(ClientAdmin):
    """clients' own page of a client, with its staffing gaps of the coming week."""

    readonly_fields = [*ClientAdmin.readonly_fields, "staffing_gaps"]
    fieldsets = with_staffing_gaps(ClientAdmin.fieldsets)

    @admin.display(description=_("staffing gaps, next 7 days"))
    @of_saved_client
    def staffing_gaps(self, client: Client) -> str:
        found = gaps.coverage_gaps(client)
        return render_to_string(
            "planning/admin_staffing_gaps.html",
            {"gaps": found, "client": client, "history_weeks": forecast.HISTORY_WEEKS},
        )


admin.site.unregister(Client)
admin.site.register(Client, ClientWithStaffingGapsAdmin)
