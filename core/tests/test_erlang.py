"""core.erlang's rules beside the published tables (test_erlang_c_tables.py): concurrency
factors, the edges of Erlang B and C, and the staffing search."""

import math

import pytest

from core import erlang


def test_measured_concurrency_factors_and_a_fifth_of_a_chat_for_each_beyond_four():
    assert [erlang.effective_concurrency(c) for c in (1, 2, 3, 4)] == [1.0, 1.7, 2.5, 2.9]
    assert erlang.effective_concurrency(6) == pytest.approx(3.3)
    with pytest.raises(ValueError):
        erlang.effective_concurrency(0)


def test_a_chat_holds_its_slot_for_its_handle_time_stretched_by_sharing_the_agent():
    assert erlang.slot_handle_seconds(300, 1) == 300
    assert erlang.slot_handle_seconds(170, 2) == pytest.approx(200)


def test_the_edges_of_erlang_b_and_c():
    assert erlang.erlang_b(0, 5.0) == 1.0
    assert erlang.erlang_c(3, 0) == 0.0, "no load, no waiting"
    assert erlang.erlang_c(5, 5.0) == 1.0, "as many agents as Erlangs: the queue grows"
    assert 0 < erlang.erlang_c(6, 5.0) < 1


def test_more_agents_answer_more_chats_in_time_at_a_lower_occupancy():
    figures = [erlang.staffing_with(n, arrivals_per_hour=100, handle_seconds=180, target_seconds=20) for n in (6, 7, 8)]
    assert figures[0].service_level < figures[1].service_level < figures[2].service_level
    assert figures[0].occupancy > figures[1].occupancy > figures[2].occupancy
    assert figures[1].occupancy == pytest.approx(5 / 7)


def test_too_few_agents_answer_nobody_in_time_and_no_chats_need_nobody():
    short = erlang.staffing_with(5, arrivals_per_hour=100, handle_seconds=180, target_seconds=20)
    assert (short.service_level, short.occupancy, short.average_wait_seconds) == (0.0, 1.0, math.inf)
    idle = erlang.staffing_with(3, arrivals_per_hour=0, handle_seconds=180, target_seconds=20)
    assert (idle.service_level, idle.occupancy) == (1.0, 0.0)


@pytest.mark.parametrize("concurrency", [1, 2, 3])
def test_the_staffing_found_is_the_smallest_that_reaches_the_target(concurrency):
    needed = erlang.agents_needed(
        arrivals_per_hour=240, handle_seconds=300, target_seconds=30, service_level=0.85, concurrency=concurrency
    )
    assert needed.service_level >= 0.85
    fewer = erlang.staffing_with(
        needed.agents - 1, arrivals_per_hour=240, handle_seconds=300, target_seconds=30, concurrency=concurrency
    )
    assert fewer.service_level < 0.85
    assert needed == erlang.staffing_with(
        needed.agents, arrivals_per_hour=240, handle_seconds=300, target_seconds=30, concurrency=concurrency
    )


@pytest.mark.parametrize("service_level", [0, 1, 1.2, -0.1])
def test_a_target_must_be_a_share_strictly_between_nothing_and_everyone(service_level):
    with pytest.raises(ValueError):
        erlang.agents_needed(arrivals_per_hour=10, handle_seconds=60, target_seconds=20, service_level=service_level)


def test_a_staffing_reads_as_rounded_figures():
    figures = erlang.Staffing(
        agents=3, service_level=0.812345, occupancy=0.5, average_wait_seconds=7.126, probability_of_waiting=0.3
    )
    assert figures.as_dict() == {"agents": 3, "service_level": 0.8123, "occupancy": 0.5, "average_wait_seconds": 7.13}
