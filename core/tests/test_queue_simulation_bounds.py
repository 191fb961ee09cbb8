"""core.queue_simulation's edges, beside the checks against Erlang C (test_queue_simulation.py)."""

import pytest

from core.queue_simulation import simulate_queue


@pytest.mark.parametrize(("agents", "concurrency", "samples"), [(0, 1, [60.0]), (1, 0, [60.0]), (1, 1, [])])
def test_a_simulation_needs_an_agent_a_slot_and_a_handle_time(agents, concurrency, samples):
    with pytest.raises(ValueError):
        simulate_queue(
            arrivals_per_hour=10, handle_samples=samples, agents=agents, target_seconds=20, concurrency=concurrency
        )


def test_plenty_of_agents_answer_every_chat_at_once():
    result = simulate_queue(arrivals_per_hour=20, handle_samples=[60.0], agents=10, target_seconds=20, hours=5)
    assert result.chats > 50 and result.answered == result.chats
    assert (result.service_level, result.average_wait_seconds, result.abandoned) == (1.0, 0.0, 0)
    assert 0 < result.occupancy < 0.5


def test_an_overloaded_agent_keeps_impatient_visitors_waiting_until_they_leave():
    result = simulate_queue(
        arrivals_per_hour=120, handle_samples=[300.0], agents=1, target_seconds=20, patience_seconds=60, hours=5
    )
    assert result.abandoned > result.answered
    assert result.service_level < 0.2
    assert result.occupancy == pytest.approx(1.0, abs=0.05)
