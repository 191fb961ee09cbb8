"""The reads of QA scorecards: the supervisors' queue, calibration between reviewers, a month's figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, F, Q, QuerySet, Sum

from agency.models import Agent
from clients.selectors import clients_visible_to
from quality.scorecards.models import CriterionScore, Review, ReviewStatus, SampledChat


def review_queue(*, user) -> QuerySet[SampledChat]:
    """Sampled chats of the user's clients that nobody has reviewed yet, oldest week first."""
    return (
        SampledChat.objects.filter(client__in=clients_visible_to(user).values("pk"))
        .exclude(conversation__qa_reviews__isnull=False)
        .select_related("client", "agent__user", "conversation")
        .order_by("week", "pk")
    )


def disputed_reviews(*, user) -> QuerySet[Review]:
    return (
        Review.objects.filter(client__in=clients_visible_to(user).values("pk"), status=ReviewStatus.DISPUTED)
        .select_related("client", "agent__user", "reviewer")
        .order_by("answered_at")
    )


@dataclass(frozen=True)
class Calibration:
    reviews: list[Review]
    rows: list[tuple[str, list[int]]]  # criterion label, each reviewer's points (same order as reviews)
    difference: Decimal | None  # highest score − lowest, when two or more reviewed


def calibration(*, conversation_id: int, reviews: QuerySet[Review]) -> Calibration:
    """Every review of one chat side by side: per criterion points and the score difference."""
    listed = list(reviews.filter(conversation_id=conversation_id).select_related("reviewer").order_by("pk"))
    points: dict[str, dict[int, int]] = {}
    for row in CriterionScore.objects.filter(review__in=listed).select_related("criterion"):
        points.setdefault(row.criterion.label, {})[row.review_id] = row.points
    rows = [(label, [by_review.get(r.pk) for r in listed]) for label, by_review in points.items()]
    scores = [r.score for r in listed]
    difference = max(scores) - min(scores) if len(scores) > 1 else None
    return Calibration(reviews=listed, rows=rows, difference=difference)


def reviews_between(*, client_id: int, start: dt.datetime, end: dt.datetime) -> QuerySet[Review]:
    return Review.objects.filter(client_id=client_id, created_at__gte=start, created_at__lt=end)


def month_figures(*, client_id: int, start: dt.datetime, end: dt.datetime) -> dict:
    """A client's QA over [start, end): average score, reviews, critical fails; per agent; per criterion."""
    reviews = reviews_between(client_id=client_id, start=start, end=end)
    totals = reviews.aggregate(
        reviews=Count("pk"), score=Avg("score"), critical=Count("pk", filter=Q(is_critical_failed=True))
    )
    per_agent = _per_agent(reviews)
    per_criterion = (
        CriterionScore.objects.filter(review__in=reviews)
        .values(label=F("criterion__label"))
        .annotate(reviews=Count("pk"), points=Sum("points"), most=Sum("criterion__weight"))
        .order_by("label")
    )
    criteria = [{**row, "share": round(100 * row["points"] / row["most"], 1)} for row in per_criterion]
    return {**totals, "per_agent": per_agent, "per_criterion": criteria}


def _per_agent(reviews: QuerySet[Review]) -> list[dict]:
    rows = list(reviews.values("agent").annotate(reviews=Count("pk"), score=Avg("score")).order_by("agent"))
    agents = Agent.objects.filter(pk__in=[r["agent"] for r in rows]).select_related("user").in_bulk()
    return [{**row, "name": agents[row["agent"]].display_name} for row in rows]
