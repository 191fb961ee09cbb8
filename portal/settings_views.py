"""The portal's settings pages: an owner edits the client's briefing and report settings,
every client user their own preferences. Forms come only from the user's own client."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from clients import errors as client_errors
from clients import services as client_services
from clients.models import Briefing
from core.errors import RelevoError
from portal import services
from portal.requesters import representative_required, settings_owner_required
from portal.settings_forms import (
    BriefingForm,
    CannedReplyFormSet,
    CategoryFormSet,
    FaqFormSet,
    PreferencesForm,
    ReportSettingsForm,
)
from reports.models import ClientReportSettings

BRIEFING_SECTIONS = ("briefing", "faq", "canned")


def briefing_forms(client, data=None, section: str = "") -> dict:
    """The page's three forms, bound only for the section being saved."""

    def bound(name):
        return data if section == name else None

    briefing = Briefing.objects.filter(client=client).first() or Briefing(client=client)
    return {
        "briefing": BriefingForm(bound("briefing"), instance=briefing, prefix="briefing"),
        "faq": FaqFormSet(bound("faq"), client=client, prefix="faq"),
        "canned": CannedReplyFormSet(bound("canned"), client=client, prefix="canned"),
    }


def save_briefing_section(client, section: str, form) -> None:
    if section == "briefing":
        client_services.update_briefing(client=client, **{name: form.cleaned_data[name] for name in form.Meta.fields})
        return
    changed = form.save(commit=False)  # builds the instances and `deleted_objects`; writes nothing
    if section == "faq":
        client_services.save_faq_entries(client=client, entries=changed, deleted=form.deleted_objects)
    else:
        client_services.save_canned_replies(client=client, replies=changed, deleted=form.deleted_objects)


def show_duplicate_shortcut(formset, error: client_errors.DuplicateShortcut) -> None:
    """Put the error on the rows that use the shortcut, where the owner can fix it."""
    rows = [
        form
        for form in formset.forms
        if form not in formset.deleted_forms and form.cleaned_data.get("shortcut") == error.shortcut
    ]
    for form in rows[1:] or rows:
        form.add_error("shortcut", error.detail)


@settings_owner_required
def briefing(request: HttpRequest, representative) -> HttpResponse:
    """What agents read before answering for the client: briefing, FAQ and canned replies."""
    client = representative.client
    section = request.POST.get("section", "") if request.method == "POST" else ""
    if request.method == "POST" and section not in BRIEFING_SECTIONS:
        return HttpResponse(status=400)
    forms = briefing_forms(client, request.POST or None, section)
    if section:
        form = forms[section]
        if form.is_valid():
            try:
                save_briefing_section(client, section, form)
            except client_errors.DuplicateShortcut as error:
                show_duplicate_shortcut(form, error)
            except (RelevoError, ValidationError) as error:
                messages.error(request, getattr(error, "detail", None) or " ".join(error.messages))
            else:
                messages.success(request, _("Saved. Agents see it from their next chat."))
                return redirect("portal:briefing")
    return render(request, "portal/settings_briefing.html", {"representative": representative, **forms})


@settings_owner_required
def report_settings(request: HttpRequest, representative) -> HttpResponse:
    """The client's escalation categories, when normal reports go out, and when to remind."""
    current = ClientReportSettings.of(representative.client_id)
    initial_categories = [{"previous": code, "name": code} for code in current.categories]
    form = ReportSettingsForm(
        request.POST or None,
        initial={"normal_reports": current.normal_reports, "reminder_after_hours": current.reminder_after_hours},
    )
    # A submitted list stands on its own: compared with an initial one, unchanged rows would read as blank.
    categories = CategoryFormSet(
        request.POST or None, initial=None if request.POST else initial_categories, prefix="categories"
    )
    if request.method == "POST" and form.is_valid() and categories.is_valid():
        try:
            services.update_report_settings(
                client_id=representative.client_id, categories=categories.edits(), **form.cleaned_data
            )
        except RelevoError as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, _("Report settings saved."))
            return redirect("portal:settings")
    return render(
        request,
        "portal/settings_reports.html",
        {
            "representative": representative,
            "form": form,
            "categories": categories,
        },
    )


@representative_required
def preferences(request: HttpRequest, representative) -> HttpResponse:
    """Any client user's own choices: language, emails, categories."""
    categories = ClientReportSettings.of(representative.client_id).categories
    form = PreferencesForm(
        request.POST or None,
        categories=categories,
        initial={
            "language": representative.language,
            "receives_emails": representative.receives_emails,
            "subscribed_categories": representative.subscribed_categories,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_preferences(representative=representative, **form.cleaned_data)
        except RelevoError as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, _("Your preferences are saved."))
            return redirect("portal:preferences")
    return render(request, "portal/settings_preferences.html", {"representative": representative, "form": form})
