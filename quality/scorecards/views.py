"""QA pages. The supervisors', on the floor: the queue (sampled chats not yet reviewed, disputed reviews) and
one chat's review beside its transcript, with every other reviewer's scores (calibration). The agent's, beside
the console: their own reviews, each acknowledged or disputed."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from chats.errors import NotFound
from chats.history import chat_history
from chats.requesters import agent_page
from clients.requesters import supervisor_required
from clients.selectors import clients_visible_to
from core.errors import RelevoError
from quality.scorecards import errors, selectors, services
from quality.scorecards.models import Review, Rubric, SampledChat

QUEUE_LENGTH = 200


@supervisor_required
def review_queue(request: HttpRequest) -> HttpResponse:
    context = {
        "samples": selectors.review_queue(user=request.user)[:QUEUE_LENGTH],
        "disputed": selectors.disputed_reviews(user=request.user),
    }
    return render(request, "quality/scorecards/queue.html", context)


def points_from(data, rubric: Rubric) -> dict[int, int]:
    """The form's `criterion-<id>` fields as points; anything unreadable is an invalid scorecard."""
    try:
        return {c.pk: int(data[f"criterion-{c.pk}"]) for c in rubric.criteria.all()}
    except (KeyError, ValueError):
        raise errors.InvalidScores() from None


def opened_chat(request: HttpRequest, conversation_id: int):
    try:
        return chat_history(user=request.user, conversation_id=conversation_id)
    except NotFound:
        raise Http404 from None


def review_page(request: HttpRequest, history, rubric: Rubric | None, error: str | None = None) -> HttpResponse:
    """The transcript, the client's active rubric to score with, the reviews so far (calibration, disputes)."""
    conversation_id = history.conversation.pk
    reviews = Review.objects.filter(client_id=history.conversation.client_id)
    context = {
        "history": history,
        "rubric": rubric,
        "criteria": [(c, range(c.weight + 1)) for c in rubric.criteria.all()] if rubric else [],
        "calibration": selectors.calibration(conversation_id=conversation_id, reviews=reviews),
        "reviewed_by_me": reviews.filter(conversation_id=conversation_id, reviewer=request.user).exists(),
        "sample": SampledChat.objects.filter(conversation_id=conversation_id).first(),
        "error": error,
    }
    return render(request, "quality/scorecards/review.html", context, status=400 if error else 200)


@supervisor_required
@require_http_methods(["GET", "POST"])
def review_chat(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """GET: the review page; POST: score the chat with the client's active rubric."""
    history = opened_chat(request, conversation_id)
    rubric = Rubric.objects.filter(client_id=history.conversation.client_id, is_active=True).first()
    if request.method == "POST" and rubric is not None:
        try:
            services.score_chat(
                conversation_id=conversation_id,
                reviewer=request.user,
                points=points_from(request.POST, rubric),
                comment=request.POST.get("comment", ""),
            )
        except RelevoError as refused:
            return review_page(request, history, rubric, refused.detail)
        return redirect("qa:review", conversation_id=conversation_id)
    return review_page(request, history, rubric)


@supervisor_required
@require_http_methods(["POST"])
def settle_dispute(request: HttpRequest, review_id: int) -> HttpResponse:
    """Answer an agent's dispute; the review leaves the queue of disputes."""
    review = get_object_or_404(Review.objects.filter(client__in=clients_visible_to(request.user)), pk=review_id)
    try:
        services.settle_dispute(
            review_id=review.pk, supervisor=request.user, settlement=request.POST.get("settlement", "")
        )
    except RelevoError as refused:
        history = opened_chat(request, review.conversation_id)
        rubric = Rubric.objects.filter(client_id=review.client_id, is_active=True).first()
        return review_page(request, history, rubric, refused.detail)
    return redirect("qa:review", conversation_id=review.conversation_id)


@agent_page
def my_reviews(request: HttpRequest, agent) -> HttpResponse:
    """The agent's reviews, newest first: score, comment and whether they answered."""
    reviews = Review.objects.filter(agent=agent).select_related("client").order_by("-created_at", "-pk")
    return render(request, "quality/scorecards/my_reviews.html", {"reviews": reviews[:QUEUE_LENGTH]})


@agent_page
@require_http_methods(["GET", "POST"])
def my_review(request: HttpRequest, agent, review_id: int) -> HttpResponse:
    """One of the agent's reviews beside the transcript; POST acknowledges or disputes it."""
    review = Review.objects.filter(pk=review_id, agent=agent).select_related("client", "rubric").first()
    if review is None:
        raise Http404
    error = None
    if request.method == "POST":
        try:
            services.answer_review(
                review_id=review.pk,
                agent=agent,
                status=request.POST.get("answer", ""),
                comment=request.POST.get("comment", ""),
            )
            return redirect("console-qa-review", review_id=review.pk)
        except RelevoError as refused:
            error = refused.detail
    try:
        history = chat_history(user=request.user, conversation_id=review.conversation_id)
    except NotFound:
        raise Http404 from None  # no longer serving that client
    context = {
        "review": review,
        "scores": review.scores.select_related("criterion").order_by("criterion__position", "criterion__pk"),
        "history": history,
        "error": error,
    }
    return render(request, "quality/scorecards/my_review.html", context, status=400 if error else 200)
