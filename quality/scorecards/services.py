"""The writes of QA scorecards: publish a rubric version, score a chat, the agent's acknowledgement or dispute."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency.models import Agent
from chats.models import Conversation
from clients.models import Client
from clients.selectors import clients_visible_to
from clients.text import checked_body
from core.errors import NotFound
from quality.scorecards import errors
from quality.scorecards.models import Criterion, CriterionScore, Review, ReviewStatus, Rubric


@dataclass(frozen=True)
class CriterionDraft:
    label: str
    weight: int = 1
    is_critical: bool = False


def publish_rubric(*, client: Client, language: str, criteria: list[CriterionDraft]) -> Rubric:
    """The client's next rubric version, active from now on; earlier versions stay with their reviews."""
    if not criteria or any(not c.label.strip() or not 1 <= c.weight <= 10 for c in criteria):
        raise errors.InvalidScores()
    with transaction.atomic():
        rubric = Rubric.objects.create(client=client, language=language)
        Criterion.objects.bulk_create(
            Criterion(rubric=rubric, label=c.label.strip(), weight=c.weight, is_critical=c.is_critical, position=i)
            for i, c in enumerate(criteria)
        )
        return activate_rubric(rubric=rubric)


def activate_rubric(*, rubric: Rubric) -> Rubric:
    """Make a rubric built elsewhere (the admin's form) its client's next active version."""
    with transaction.atomic():
        Client.objects.select_for_update().filter(pk=rubric.client_id).first()
        last = Rubric.objects.filter(client_id=rubric.client_id).aggregate(last=Max("version"))["last"] or 0
        Rubric.objects.filter(client_id=rubric.client_id, is_active=True).update(is_active=False)
        rubric.version, rubric.is_active = last + 1, True
        rubric.save(update_fields=["version", "is_active"])
    return rubric


def scored(rubric: Rubric, points: dict[int, int]) -> tuple[list[CriterionScore], Decimal, bool]:
    """Each criterion's points checked against its weight, the score in % and whether a critical one failed."""
    criteria = list(rubric.criteria.all())
    if set(points) != {c.pk for c in criteria} or any(not 0 <= points[c.pk] <= c.weight for c in criteria):
        raise errors.InvalidScores()
    critical_failed = any(c.is_critical and points[c.pk] < c.weight for c in criteria)
    total = sum(c.weight for c in criteria)
    score = Decimal(0) if critical_failed else Decimal(100 * sum(points.values()) / total).quantize(Decimal("0.1"))
    return [CriterionScore(criterion=c, points=points[c.pk]) for c in criteria], score, critical_failed


def score_chat(*, conversation_id: int, reviewer, points: dict[int, int], comment: str = "") -> Review:
    """`reviewer`'s scorecard of a chat against its client's active rubric. A second reviewer of the same
    chat adds a second review (calibration); the same reviewer twice is refused."""
    conversation = Conversation.objects.filter(
        pk=conversation_id, client__in=clients_visible_to(reviewer).values("pk")
    ).first()
    if conversation is None:
        raise NotFound()
    if conversation.agent_id is None:
        raise errors.NotReviewable()
    rubric = Rubric.objects.filter(client_id=conversation.client_id, is_active=True).first()
    if rubric is None:
        raise errors.NoRubric()
    scores, score, critical_failed = scored(rubric, points)
    try:
        with transaction.atomic():
            review = Review.objects.create(
                conversation=conversation,
                client_id=conversation.client_id,
                agent_id=conversation.agent_id,
                rubric=rubric,
                reviewer=reviewer,
                score=score,
                is_critical_failed=critical_failed,
                comment=checked_body(comment, field=_("comment")),
            )
            for row in scores:
                row.review = review
            CriterionScore.objects.bulk_create(scores)
    except IntegrityError:
        raise errors.AlreadyReviewed() from None
    return review


def answer_review(*, review_id: int, agent: Agent, status: str, comment: str = "") -> Review:
    """The agent's answer to a review of their own chat: acknowledged, or disputed with a reason. Once."""
    comment = checked_body(comment, field=_("comment")).strip()
    if status == ReviewStatus.DISPUTED and not comment:
        raise errors.DisputeNeedsComment()
    if status not in (ReviewStatus.ACKNOWLEDGED, ReviewStatus.DISPUTED):
        raise errors.InvalidScores()
    review = Review.objects.filter(pk=review_id, agent=agent).first()
    if review is None:
        raise NotFound()
    claimed = Review.objects.filter(pk=review.pk, status=ReviewStatus.OPEN).update(
        status=status, agent_comment=comment, answered_at=timezone.now()
    )
    if claimed != 1:
        raise errors.AlreadyAnswered()
    review.refresh_from_db(fields=["status", "agent_comment", "answered_at"])
    return review


def settle_dispute(*, review_id: int, supervisor, settlement: str) -> Review:
    """A supervisor's answer to an agent's dispute (the score stands; a second review may calibrate it).
    The review leaves the queue of disputes; the agent reads the answer beside their review."""
    settlement = checked_body(settlement, field=_("comment")).strip()
    if not settlement:
        raise errors.SettlementNeedsComment()
    review = Review.objects.filter(pk=review_id, client__in=clients_visible_to(supervisor).values("pk")).first()
    if review is None:
        raise NotFound()
    settled = Review.objects.filter(pk=review.pk, status=ReviewStatus.DISPUTED).update(
        status=ReviewStatus.SETTLED, settlement=settlement, settled_at=timezone.now()
    )
    if settled != 1:
        raise errors.NotDisputed()
    review.refresh_from_db(fields=["status", "settlement", "settled_at"])
    return review
