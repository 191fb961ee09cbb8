"""The visitor's NPS answer page (no login; a signed link). The portal's quality page is portal/quality.py."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from core.errors import RelevoError
from quality import services


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
                return render(request, "quality/nps_answer.html", {"form": form, "token": token}, status=400)
            survey = services.comment_nps_survey(token=token, comment=form.cleaned_data["comment"])
            with translation.override(survey.conversation.language):
                return render(request, "quality/nps_thanks.html", {"survey": survey})
        score = whole_number(request.GET.get("score"))
        survey = services.answer_nps_survey(token=token, score=-1 if score is None else score)
    except RelevoError as error:
        return render(request, "quality/nps_error.html", {"error": error}, status=error.status)
    with translation.override(survey.conversation.language):
        return render(request, "quality/nps_answer.html", {"survey": survey, "token": token, "form": CommentForm()})
