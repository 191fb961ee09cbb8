"""Pages of reports.quality: the visitor's NPS answer (no login) and the portal's quality page."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from chats.search import selectors as search
from core.errors import RelevoError
from reports.analytics import quality as selectors
from reports.portal.dashboard import client_period
from reports.portal.views import representative_required
from reports.quality import services

SEARCH_RESULTS = 50


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Anything you would like to add? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=settings.CHAT_MAX_BODY_CHARS,
    )


def whole_number(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() and len(value) <= 2 else None


@require_http_methods(["GET", "POST"])
def nps_answer(request: HttpRequest, token: str) -> HttpResponse:
    """GET ?score=n records the one-click score (once) and offers the comment form; POST sends the comment."""
    try:
        if request.method == "POST":
            form = CommentForm(request.POST)
            if not form.is_valid():
                return render(request, "reports/quality/nps_answer.html", {"form": form, "token": token}, status=400)
            survey = services.comment_nps_survey(token=token, comment=form.cleaned_data["comment"])
            with translation.override(survey.conversation.language):
                return render(request, "reports/quality/nps_thanks.html", {"survey": survey})
        score = whole_number(request.GET.get("score"))
        survey = services.answer_nps_survey(token=token, score=-1 if score is None else score)
    except RelevoError as error:
        return render(request, "reports/quality/nps_error.html", {"error": error}, status=error.status)
    with translation.override(survey.conversation.language):
        return render(
            request, "reports/quality/nps_answer.html", {"survey": survey, "token": token, "form": CommentForm()}
        )


@representative_required
def portal_quality(request: HttpRequest, representative) -> HttpResponse:
    """CSAT, share of chats rated and NPS per month for the period, the latest ratings, and search."""
    client = representative.client
    form, period = client_period(request, client)
    context = {
        "representative": representative,
        "form": form,
        "csat": selectors.csat(client_ids=[client.pk], start=period.start, end=period.end),
        "csat_by_month": selectors.csat_by_month(
            client_ids=[client.pk], start=period.start, end=period.end, tz=period.tz
        ),
        "csat_by_agent": selectors.csat_by_agent(client_ids=[client.pk], start=period.start, end=period.end),
        "nps_by_month": selectors.nps_by_month(client_id=client.pk, start=period.start, end=period.end, tz=period.tz),
        "ratings": selectors.recent_ratings(client_id=client.pk),
        "query": request.GET.get("q", ""),
    }
    if context["query"].strip():
        try:
            context["results"] = list(
                search.search_messages(
                    user=request.user, query=context["query"], language=translation.get_language(), client_id=client.pk
                )[:SEARCH_RESULTS]
            )
        except RelevoError as error:
            context["search_error"] = error.detail
    return render(request, "reports/quality/portal_quality.html", context)
