"""Rubric versions, scoring (weights, critical items), calibration between two reviewers, and the
agent's acknowledgement or dispute."""

from decimal import Decimal

import pytest

from conftest import make_agent, make_client
from core.errors import NotFound
from quality.scorecards import errors, selectors, services
from quality.scorecards.models import Review, ReviewStatus, Rubric
from quality.scorecards.tests.scorecard_fixtures import closed_chat, full_marks, make_supervisor, shop_rubric

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return make_client("Shop")


@pytest.fixture
def ana(shop):
    return make_agent("ana", shop)


def test_publishing_a_rubric_again_makes_a_new_active_version_and_old_reviews_keep_theirs(shop, ana):
    first = shop_rubric(shop)
    review = services.score_chat(
        conversation_id=closed_chat(shop).pk, reviewer=make_supervisor(), points=full_marks(first)
    )
    second = services.publish_rubric(client=shop, language="es", criteria=[services.CriterionDraft("Saluda", 2)])
    assert (first.version, second.version) == (1, 2)
    assert list(Rubric.objects.filter(client=shop, is_active=True)) == [second]
    review.refresh_from_db()
    assert review.rubric == first and first.criteria.count() == 3


def test_the_score_is_the_weighted_share_of_points(shop, ana):
    rubric = shop_rubric(shop)
    points = full_marks(rubric) | {rubric.criteria.get(label="Answers correctly").pk: 1}
    review = services.score_chat(conversation_id=closed_chat(shop).pk, reviewer=make_supervisor(), points=points)
    assert review.score == Decimal("60.0")  # 3 of 5 points
    assert not review.is_critical_failed and review.agent == ana


def test_failing_a_critical_criterion_zeroes_the_chat(shop, ana):
    rubric = shop_rubric(shop)
    points = full_marks(rubric) | {rubric.criteria.get(is_critical=True).pk: 0}
    review = services.score_chat(conversation_id=closed_chat(shop).pk, reviewer=make_supervisor(), points=points)
    assert review.score == 0 and review.is_critical_failed


def test_every_criterion_must_be_scored_within_its_weight(shop, ana):
    rubric = shop_rubric(shop)
    chat = closed_chat(shop)
    too_many = full_marks(rubric) | {rubric.criteria.first().pk: 5}
    for points in (too_many, {rubric.criteria.first().pk: 1}):
        with pytest.raises(errors.InvalidScores):
            services.score_chat(conversation_id=chat.pk, reviewer=make_supervisor(f"s{len(points)}"), points=points)
    assert not Review.objects.exists()


def test_a_client_without_a_rubric_cannot_be_scored(shop, ana):
    with pytest.raises(errors.NoRubric):
        services.score_chat(conversation_id=closed_chat(shop).pk, reviewer=make_supervisor(), points={})


def test_a_second_reviewer_calibrates_and_the_difference_is_shown(shop, ana):
    rubric = shop_rubric(shop)
    chat = closed_chat(shop)
    services.score_chat(conversation_id=chat.pk, reviewer=make_supervisor("sam"), points=full_marks(rubric))
    lower = full_marks(rubric) | {rubric.criteria.get(label="Greets the visitor").pk: 0}
    services.score_chat(conversation_id=chat.pk, reviewer=make_supervisor("sue"), points=lower)
    with pytest.raises(errors.AlreadyReviewed):
        services.score_chat(conversation_id=chat.pk, reviewer=Review.objects.first().reviewer, points=lower)
    result = selectors.calibration(conversation_id=chat.pk, reviews=Review.objects.all())
    assert result.difference == Decimal("20.0")
    assert ("Greets the visitor", [1, 0]) in result.rows


def test_the_agent_acknowledges_once(shop, ana):
    rubric = shop_rubric(shop)
    review = services.score_chat(
        conversation_id=closed_chat(shop).pk, reviewer=make_supervisor(), points=full_marks(rubric)
    )
    answered = services.answer_review(review_id=review.pk, agent=ana, status=ReviewStatus.ACKNOWLEDGED)
    assert answered.status == ReviewStatus.ACKNOWLEDGED and answered.answered_at is not None
    with pytest.raises(errors.AlreadyAnswered):
        services.answer_review(review_id=review.pk, agent=ana, status=ReviewStatus.DISPUTED, comment="No")


def test_a_dispute_needs_a_reason_and_shows_on_the_supervisors_queue(shop, ana):
    rubric = shop_rubric(shop)
    supervisor = make_supervisor()
    review = services.score_chat(conversation_id=closed_chat(shop).pk, reviewer=supervisor, points=full_marks(rubric))
    with pytest.raises(errors.DisputeNeedsComment):
        services.answer_review(review_id=review.pk, agent=ana, status=ReviewStatus.DISPUTED, comment="  ")
    services.answer_review(review_id=review.pk, agent=ana, status=ReviewStatus.DISPUTED, comment="I did greet")
    assert [r.agent_comment for r in selectors.disputed_reviews(user=supervisor)] == ["I did greet"]


def test_only_the_reviewed_agent_may_answer(shop, ana):
    rubric = shop_rubric(shop)
    review = services.score_chat(
        conversation_id=closed_chat(shop).pk, reviewer=make_supervisor(), points=full_marks(rubric)
    )
    colleague = make_agent("ben", shop)
    with pytest.raises(NotFound):
        services.answer_review(review_id=review.pk, agent=colleague, status=ReviewStatus.ACKNOWLEDGED)


def test_a_supervisor_settles_a_dispute_once_and_it_leaves_the_queue(shop, ana):
    rubric = shop_rubric(shop)
    supervisor = make_supervisor()
    review = services.score_chat(conversation_id=closed_chat(shop).pk, reviewer=supervisor, points=full_marks(rubric))
    with pytest.raises(errors.NotDisputed):
        services.settle_dispute(review_id=review.pk, supervisor=supervisor, settlement="Fine")
    services.answer_review(review_id=review.pk, agent=ana, status=ReviewStatus.DISPUTED, comment="I did greet")
    with pytest.raises(errors.SettlementNeedsComment):
        services.settle_dispute(review_id=review.pk, supervisor=supervisor, settlement=" ")
    settled = services.settle_dispute(
        review_id=review.pk, supervisor=supervisor, settlement="Score stands: no greeting"
    )
    assert (settled.status, settled.settlement) == (ReviewStatus.SETTLED, "Score stands: no greeting")
    assert not selectors.disputed_reviews(user=supervisor).exists()


def test_a_clients_person_cannot_settle_a_dispute(shop, ana):
    rubric = shop_rubric(shop)
    review = services.score_chat(
        conversation_id=closed_chat(shop).pk, reviewer=make_supervisor(), points=full_marks(rubric)
    )
    services.answer_review(review_id=review.pk, agent=ana, status=ReviewStatus.DISPUTED, comment="No")
    outsider = make_agent("otto", make_client("Other"))
    with pytest.raises(NotFound):
        services.settle_dispute(review_id=review.pk, supervisor=outsider.user, settlement="Mine now")
