"""Escalations' questions and the portal's answers follow CHAT_MAX_BODY_CHARS, like chat messages."""

import pytest

from core.errors import InvalidInput
from portal.views import AnswerForm
from reports.escalations.services import check_text


@pytest.fixture
def limit(settings):
    settings.CHAT_MAX_BODY_CHARS = 50
    return 50


def test_escalation_texts_and_answers_follow_the_limit(limit):
    assert check_text("x" * 50, field="question") == "x" * 50
    with pytest.raises(InvalidInput, match="at most 50 characters"):
        check_text("x" * 51, field="question")
    assert not AnswerForm({"answer": "x" * 51}).is_valid()
    assert AnswerForm({"answer": "x" * 50}).is_valid()
