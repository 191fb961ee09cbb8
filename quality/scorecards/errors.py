"""What a QA action refuses, with a stable code and a message the person can act on."""

from django.utils.translation import gettext_lazy as _

from core.errors import InvalidInput, RelevoError


class NoRubric(RelevoError):
    code = "no_rubric"
    status = 409
    default_detail = _("This client has no QA rubric yet: publish one first.")


class AlreadyReviewed(RelevoError):
    code = "already_reviewed"
    status = 409
    default_detail = _("You have already reviewed this chat.")


class NotReviewable(RelevoError):
    code = "not_reviewable"
    status = 409
    default_detail = _("Only a chat an agent answered can be reviewed.")


class InvalidScores(InvalidInput):
    code = "invalid_scores"
    default_detail = _("Score every criterion between 0 and its weight.")


class AlreadyAnswered(RelevoError):
    code = "already_answered"
    status = 409
    default_detail = _("This review has already been acknowledged or disputed.")


class DisputeNeedsComment(InvalidInput):
    code = "dispute_needs_comment"
    default_detail = _("Say why you dispute the review.")


class NotDisputed(RelevoError):
    code = "not_disputed"
    status = 409
    default_detail = _("Only a disputed review can be settled.")


class SettlementNeedsComment(InvalidInput):
    code = "settlement_needs_comment"
    default_detail = _("Tell the agent how you settled the dispute.")
