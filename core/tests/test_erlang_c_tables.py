"""Erlang C (core.erlang) holds the published values.

Sources, each value also recomputed here with the textbook closed forms (factorials
and powers in exact fractions), independently of the recursion under test:

- Erlang B, the table of offered load at 1 % blocking (any teletraffic handbook, e.g.
  ITU-T "Teletraffic Engineering Handbook", Table of Erlang's B formula): 5 lines carry
  1.361 Erlangs, 10 lines 4.461, 20 lines 12.031, 50 lines 37.901.
- Erlang C, Call Centre Helper's worked example ("Erlang C Formula – Made Simple"):
  100 calls in 30 minutes, 180 s handle time, 80 % within 20 s: 10 Erlangs; 11 agents
  wait 68.2 % of calls and answer 39.0 % in time, 12 agents 64.0 %, 13 agents 79.6 %,
  14 agents 88.8 % with an average wait of 7.8 s: 14 is the smallest staffing for 80 %.
"""

from fractions import Fraction
from math import exp, factorial

import pytest

from core import erlang


def erlang_b_by_factorials(servers: int, load: Fraction) -> Fraction:
    terms = [load**k / factorial(k) for k in range(servers + 1)]
    return terms[-1] / sum(terms)


def erlang_c_by_factorials(servers: int, load: Fraction) -> Fraction:
    top = load**servers / factorial(servers) * servers / (servers - load)
    return top / (sum(load**k / factorial(k) for k in range(servers)) + top)


@pytest.mark.parametrize(("lines", "load"), [(5, "1.361"), (10, "4.461"), (20, "12.031"), (50, "37.901")])
def test_erlang_b_matches_the_one_percent_blocking_table(lines, load):
    assert erlang.erlang_b(lines, float(load)) == pytest.approx(0.01, abs=0.00005)
    assert erlang.erlang_b(lines, float(load)) == pytest.approx(float(erlang_b_by_factorials(lines, Fraction(load))))


@pytest.mark.parametrize(
    ("agents", "waiting", "service_level"),
    [
        (11, 0.6821, 0.3896),
        (12, 0.4494, 0.6402),
        (13, 0.2853, 0.7956),
        (14, 0.1741, 0.8884),
        (15, 0.1020, 0.9415),
    ],
)
def test_erlang_c_matches_the_worked_example(agents, waiting, service_level):
    figures = erlang.staffing_with(agents, arrivals_per_hour=200, handle_seconds=180, target_seconds=20)
    assert figures.probability_of_waiting == pytest.approx(waiting, abs=0.0001)
    assert figures.service_level == pytest.approx(service_level, abs=0.0001)
    exact = float(erlang_c_by_factorials(agents, Fraction(10)))
    assert figures.probability_of_waiting == pytest.approx(exact)
    assert figures.service_level == pytest.approx(1 - exact * exp(-(agents - 10) * 20 / 180))


def test_the_smallest_staffing_meeting_eighty_in_twenty_is_fourteen_agents():
    figures = erlang.agents_needed(arrivals_per_hour=200, handle_seconds=180, target_seconds=20, service_level=0.8)
    assert figures.agents == 14
    assert figures.occupancy == pytest.approx(10 / 14)
    assert figures.average_wait_seconds == pytest.approx(7.84, abs=0.01)


def test_one_chat_at_a_time_is_classic_erlang_c():
    classic = erlang.staffing_with(14, arrivals_per_hour=200, handle_seconds=180, target_seconds=20)
    assert (
        erlang.staffing_with(14, arrivals_per_hour=200, handle_seconds=180, target_seconds=20, concurrency=1) == classic
    )


def test_chats_at_once_need_fewer_agents_but_less_than_in_proportion():
    alone = erlang.agents_needed(arrivals_per_hour=300, handle_seconds=600, target_seconds=22, service_level=0.9)
    three = erlang.agents_needed(
        arrivals_per_hour=300, handle_seconds=600, target_seconds=22, service_level=0.9, concurrency=3
    )
    assert alone.agents / 3 < three.agents < alone.agents
    assert erlang.effective_concurrency(2) == 1.7
    assert erlang.effective_concurrency(3) == 2.5
    assert erlang.effective_concurrency(4) == 2.9


def test_a_huge_load_is_computed_without_overflow_and_fast():
    figures = erlang.agents_needed(arrivals_per_hour=100_000, handle_seconds=180, target_seconds=20, service_level=0.9)
    assert 5000 < figures.agents < 5100
    assert 0.9 <= figures.service_level < 0.95
    assert figures.occupancy < 1


def test_no_chats_need_no_agents():
    assert (
        erlang.agents_needed(arrivals_per_hour=0, handle_seconds=180, target_seconds=20, service_level=0.9).agents == 0
    )
