"""The client portal: a client's owners and representatives read reports and answer escalations.

Every lookup is scoped to the representative's own client; anything else is a 404.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chats import errors
from chats.history import chat_history
from chats.transcript import visitor_visible_messages
from core.errors import RelevoError
from portal.requesters import representative_required
from reports import selectors
from reports.delivery.emails import report_context
from reports.escalations import services
from reports.models import ClientReportSettings, EscalationStatus, Report, Urgency, category_label

PAGE_SIZE = 50


class EscalationFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=200)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    urgency = forms.ChoiceField(label=gettext_lazy("Urgency"), required=False)
    since = forms.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=gettext_lazy("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, categories: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        any_choice = [("", _("Any"))]
        self.fields["status"].choices = any_choice + list(EscalationStatus.choices)
        self.fields["category"].choices = any_choice + [(code, category_label(code)) for code in categories]
        self.fields["urgency"].choices = any_choice + list(Urgency.choices)

    def filters(self) -> selectors.EscalationFilters:
        if not self.is_valid():
            return selectors.EscalationFilters()
        data = self.cleaned_data
        return selectors.EscalationFilters(
            status=data["status"],
            category=data["category"],
            urgency=data["urgency"],
            since=data["since"],
            until=data["until"],
            search=data["q"].strip(),
        )


class AnswerForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"] = forms.CharField(
            label=gettext_lazy("Answer to the visitor"),
            widget=forms.Textarea(attrs={"rows": 4}),
            max_length=settings.CHAT_MAX_BODY_CHARS,
        )


@representative_required
def portal(request: HttpRequest, representative) -> HttpResponse:
    """The client's escalations, newest first, filtered and searched."""
    categories = ClientReportSettings.of(representative.client_id).categories
    form = EscalationFilterForm(request.GET or None, categories=categories)
    escalations = selectors.escalations_of_client(representative.client_id, form.filters())
    page = Paginator(escalations, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/portal.html",
        {
            "representative": representative,
            "form": form,
            "page": page,
            "query": query.urlencode(),
        },
    )


@representative_required
def report_list(request: HttpRequest, representative) -> HttpResponse:
    reports = (
        Report.objects.filter(client_id=representative.client_id)
        .select_related("conversation__agent__user")
        .order_by("-created_at")
    )
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/report_list.html", {"representative": representative, "page": page})


@representative_required
def report_detail(request: HttpRequest, representative, report_id: int) -> HttpResponse:
    report = selectors.report_of_client(report_id=report_id, client_id=representative.client_id)
    if report is None:
        raise Http404
    transcript = visitor_visible_messages(report.conversation_id)
    return render(
        request,
        "portal/report_detail.html",
        {
            **report_context(report),
            "representative": representative,
            "transcript": transcript,
            "answer_form": AnswerForm(),
        },
    )


@representative_required
def chat_detail(request: HttpRequest, representative, conversation_id: int) -> HttpResponse:
    """Any chat of the client as a transcript (what the visitor saw, its rating, calls and tags),
    escalated or not: where "All chats", the search and the ratings lead."""
    try:
        history = chat_history(user=request.user, conversation_id=conversation_id)
    except errors.NotFound:
        raise Http404 from None
    report_id = Report.objects.filter(conversation_id=conversation_id).values_list("pk", flat=True).first()
    return render(
        request,
        "portal/chat_detail.html",
        {
            "representative": representative,
            "history": history,
            "report_url": reverse("portal:report", args=[report_id]) if report_id else "",
        },
    )


def back_to(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "portal:portal"
    return redirect(target)


@require_POST
@representative_required
def acknowledge(request: HttpRequest, representative, escalation_id: int) -> HttpResponse:
    try:
        services.acknowledge_escalation(escalation_id=escalation_id, representative=representative)
    except errors.NotFound:
        raise Http404 from None
    messages.success(request, _("Acknowledged."))
    return back_to(request)


@require_POST
@representative_required
def answer(request: HttpRequest, representative, escalation_id: int) -> HttpResponse:
    form = AnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise errors.InvalidInput(" ".join(form.errors.get("answer", [])))
        escalation = services.answer_escalation(
            escalation_id=escalation_id, representative=representative, answer=form.cleaned_data["answer"]
        )
    except errors.NotFound:
        raise Http404 from None
    except RelevoError as error:
        messages.error(request, error.detail)
    else:
        if escalation.deliveries.exists():
            messages.success(request, _("Your answer is stored and is being emailed to the visitor."))
        else:
            messages.warning(request, _("Your answer is stored; the visitor left no email address to send it to."))
    return back_to(request)
