"""Card numbers are masked wherever a person can type them, not only in chat."""

from clients import services as client_services
from reports.escalations import services
from reports.tests.personas import escalate

CARD = "4111 1111 1111 1111"
MASKED = "4111 11•• •••• 1111"


def test_an_escalated_question_and_its_note_are_masked(chat, ana):
    escalation = services.escalate_question(
        conversation_id=chat.conversation.pk,
        agent=ana,
        question=f"Refund to {CARD}?",
        category="refund",
        note=f"card {CARD}",
    )
    escalation.refresh_from_db()
    assert escalation.question == f"Refund to {MASKED}?"
    assert escalation.note == f"card {MASKED}"


def test_feedback_is_masked(chat, ana):
    feedback = services.record_feedback(
        conversation_id=chat.conversation.pk, agent=ana, kind="complaint", text=f"charged twice on {CARD}"
    )
    feedback.refresh_from_db()
    assert feedback.text == f"charged twice on {MASKED}"


def test_an_answer_to_the_visitor_is_masked(chat, ana, owner):
    escalation = escalate(chat, ana)
    answered = services.answer_escalation(
        escalation_id=escalation.pk, representative=owner, answer=f"We refunded {CARD}."
    )
    assert answered.answer == f"We refunded {MASKED}."


def test_an_offline_message_is_masked_and_an_order_number_is_not(shop):
    lead = client_services.leave_offline_message(
        client=shop,
        name="Maria",
        email="maria@example.com",
        consent=True,
        message=f"Pay with {CARD} for order 4111111111111112",
    )
    lead.refresh_from_db()
    assert lead.message == f"Pay with {MASKED} for order 4111111111111112"
