"""The owner's page for engaging visitors: live tracking on or off, and the proactive invitation rules.

Forms come only from the owner's own client (ClientScopedFormSet); writes go through
chats.visits.services, as the admin's do."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chats.visits import services as visit_services
from chats.visits.models import ProactiveRule
from reports.portal.settings_forms import ClientScopedFormSet
from reports.portal.settings_views import owner_required

RuleFormSet = forms.modelformset_factory(
    ProactiveRule, formset=ClientScopedFormSet, extra=1, can_delete=True,
    fields=["name", "is_active", "min_seconds_on_page", "url_contains", "min_cart_value", "returning_only",
            "min_pages_seen", "language", "invitation_texts"],
    widgets={"invitation_texts": forms.Textarea(attrs={"rows": 3, "cols": 36})},
)


class TrackingForm(forms.Form):
    tracks_visitors_before_chat = forms.BooleanField(
        label=gettext_lazy("Show live visitors before they chat"), required=False,
        help_text=gettext_lazy("Needed for invitations. Off: the widget sends nothing until the visitor "
                               "opens the chat."))


@owner_required
def invitation_rules(request: HttpRequest, representative) -> HttpResponse:
    client = representative.client
    data = request.POST if request.method == "POST" else None
    tracking = TrackingForm(data, initial={"tracks_visitors_before_chat": client.tracks_visitors_before_chat})
    rules = RuleFormSet(data, client=client, prefix="rules")
    if data is not None and tracking.is_valid() and rules.is_valid():
        changed = rules.save(commit=False)  # builds the instances and `deleted_objects`; writes nothing
        try:
            visit_services.save_proactive_rules(client=client, rules=changed, deleted=rules.deleted_objects)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            visit_services.set_visitor_tracking(
                client=client, enabled=tracking.cleaned_data["tracks_visitors_before_chat"])
            messages.success(request, _("Saved. Visitors get the new rules on their next page."))
            return redirect("reports:invitations")
    return render(request, "reports/settings_invitations.html", {
        "representative": representative, "tracking": tracking, "rules": rules})
