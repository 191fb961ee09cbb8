"""The portal's leads: every representative lists and exports their client's leads; the
owner sets the pre-chat form and the queue's longest wait."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chats.leads.export import csv_response
from chats.leads.models import LeadSource
from chats.leads.selectors import leads_visible_to
from clients.models import FieldMode, PreChatForm
from clients.pre_chat import MAX_QUEUE_WAIT_SECONDS, save_pre_chat_form
from core.errors import RelevoError
from portal.requesters import representative_required, settings_owner_required
from portal.views import PAGE_SIZE


class LeadFilterForm(forms.Form):
    source = forms.ChoiceField(label=gettext_lazy("Source"), required=False)
    since = forms.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=gettext_lazy("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", _("Any")), *LeadSource.choices]

    def apply(self, leads):
        if not self.is_valid():
            return leads
        data = self.cleaned_data
        if data["source"]:
            leads = leads.filter(source=data["source"])
        if data["since"]:
            leads = leads.filter(created_at__date__gte=data["since"])
        if data["until"]:
            leads = leads.filter(created_at__date__lte=data["until"])
        return leads


def client_leads(request: HttpRequest, representative):
    """The representative's own client's leads (the tenant rule, then the client), filtered."""
    form = LeadFilterForm(request.GET or None)
    leads = leads_visible_to(request.user).filter(client=representative.client).order_by("-created_at", "-pk")
    return form, form.apply(leads)


@representative_required
def lead_list(request: HttpRequest, representative) -> HttpResponse:
    form, leads = client_leads(request, representative)
    query = request.GET.copy()
    query.pop("page", None)
    page = Paginator(leads, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/leads.html",
        {
            "representative": representative,
            "form": form,
            "page": page,
            "query": query.urlencode(),
        },
    )


@representative_required
def lead_export(request: HttpRequest, representative) -> HttpResponse:
    _form, leads = client_leads(request, representative)
    return csv_response(leads, filename=f"leads-{representative.client.slug}.csv")


class PreChatSettingsForm(forms.Form):
    name_field = forms.ChoiceField(label=gettext_lazy("Name"), choices=FieldMode.choices)
    email_field = forms.ChoiceField(label=gettext_lazy("Email"), choices=FieldMode.choices)
    phone_field = forms.ChoiceField(label=gettext_lazy("Phone"), choices=FieldMode.choices)
    asks_consent = forms.BooleanField(label=gettext_lazy("Ask for consent"), required=False)
    privacy_text = forms.CharField(
        label=gettext_lazy("Privacy text"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    max_queue_wait_seconds = forms.IntegerField(
        label=gettext_lazy("Offer to leave a message after (seconds in the queue)"),
        min_value=0,
        max_value=MAX_QUEUE_WAIT_SECONDS,
    )


@settings_owner_required
def pre_chat_settings(request: HttpRequest, representative) -> HttpResponse:
    client = representative.client
    saved = PreChatForm.objects.filter(client=client).first() or PreChatForm(client=client)
    initial = {
        "name_field": saved.name_field,
        "email_field": saved.email_field,
        "phone_field": saved.phone_field,
        "asks_consent": saved.asks_consent,
        "privacy_text": saved.privacy_text,
        "max_queue_wait_seconds": client.max_queue_wait_seconds,
    }
    form = PreChatSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save_pre_chat_form(client=client, **form.cleaned_data)
        except RelevoError as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, _("The pre-chat form is saved."))
            return redirect("portal:pre-chat")
    return render(request, "portal/settings_pre_chat.html", {"representative": representative, "form": form})
