"""The planner: per client and hour the forecast, the agents Erlang C needs and those scheduled; pooled agency-wide."""

import csv
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from agency import roles
from agency.models import Shift, Team
from conftest import make_agent, make_client
from core.erlang import agents_needed
from planning.models import PricePlan
from planning.planner import WhatIf, build_plan
from planning.tests.staffing_history import add_chats, weekly
from reports.tests.personas import make_representative

MADRID = ZoneInfo("Europe/Madrid")
START = datetime(2026, 2, 16, tzinfo=MADRID)  # a Monday
MONDAY_10 = timedelta(hours=10)


def busy_mondays(client, chats: int = 60) -> None:
    """`chats` chats at 10:00 every Monday of the 8 weeks before START, 600 s each, no agent recorded."""
    add_chats(
        client,
        weekly(START, 8, lambda week: [MONDAY_10 + timedelta(seconds=i) for i in range(chats)]),
        length_seconds=600,
    )


def hour_at(hours, moment):
    return next(hour for hour in hours if hour.starts_at == moment)


@pytest.fixture
def shop(db):
    return make_client("Shop", timezone="Europe/Madrid")


def test_each_hour_gets_the_agents_erlang_c_needs_and_those_scheduled(shop):
    busy_mondays(shop)
    ana = make_agent("ana", shop)
    Shift.objects.create(
        agent=ana, client=shop, starts_at=START + timedelta(hours=9), ends_at=START + timedelta(hours=17)
    )
    plan = build_plan([shop], start=START)
    item = plan.clients[0]
    assert item.concurrency == 3 and item.handle_seconds == pytest.approx(600 * 2.5 / 3)  # no agent: assumed 3 at once
    hour = hour_at(item.hours, START + MONDAY_10)
    expected = agents_needed(
        arrivals_per_hour=60, handle_seconds=500, target_seconds=22, service_level=0.9, concurrency=3
    )
    assert hour.forecast == pytest.approx(60)
    assert (hour.needed, hour.scheduled) == (expected.agents, 1)
    assert hour.gap == 1 - expected.agents < 0
    quiet = hour_at(item.hours, START + timedelta(hours=12))
    assert (quiet.needed, quiet.scheduled, quiet.gap) == (0, 1, 1)
    assert len(item.hours) == 168


def test_what_if_overrides_target_handle_time_and_chats_at_once(shop):
    busy_mondays(shop)
    plan = build_plan(
        [shop], start=START, what_if=WhatIf(target_seconds=60, service_level=0.8, handle_seconds=300, concurrency=1)
    )
    hour = hour_at(plan.clients[0].hours, START + MONDAY_10)
    assert (
        hour.needed
        == agents_needed(arrivals_per_hour=60, handle_seconds=300, target_seconds=60, service_level=0.8).agents
    )


def test_clients_sharing_a_language_are_pooled_agency_wide(db):
    first, second = make_client("First", timezone="Europe/Madrid"), make_client("Second", timezone="Europe/Madrid")
    polish = make_client("Polski", timezone="Europe/Madrid", required_language="pl")
    for client in (first, second, polish):
        busy_mondays(client, chats=30)
    plan = build_plan([first, second, polish], start=START)
    needs = [hour_at(item.hours, START + MONDAY_10).needed for item in plan.clients]
    agency = hour_at(plan.agency, START + MONDAY_10)
    pooled = agents_needed(
        arrivals_per_hour=60, handle_seconds=500, target_seconds=22, service_level=0.9, concurrency=3
    ).agents
    assert agency.forecast == pytest.approx(90)
    assert agency.needed == pooled + needs[2] < sum(needs)


def test_a_team_limit_caps_the_agents_it_counts(shop):
    team = Team.objects.create(name="Night", max_simultaneous_chats=3)
    agents = [make_agent(f"agent{n}", shop, max_chats=3) for n in range(4)]
    team.members.set(agents)
    for agent in agents:
        Shift.objects.create(agent=agent, team=team, starts_at=START, ends_at=START + timedelta(hours=8))
    plan = build_plan([shop], start=START, days=1)
    assert hour_at(plan.clients[0].hours, START + timedelta(hours=1)).scheduled == 4
    assert hour_at(plan.agency, START + timedelta(hours=1)).scheduled == 1


def supervisor(username="sup"):
    user = get_user_model().objects.create_user(username, password="pw")
    user.groups.set(Group.objects.filter(name=roles.SUPERVISOR))
    return user


def test_the_planner_page_and_its_csv(client, shop):
    busy_mondays(shop, chats=5)
    client.force_login(supervisor())
    page = client.get("/floor/staffing/", {"client": shop.pk, "concurrency": 2})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Shop" in text and 'class="week-grid"' in text and "MAPE" in text
    download = client.get("/floor/staffing.csv", {"concurrency": 2})
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(StringIO(download.content.decode())))
    assert rows[0][:3] == ["client", "starts_at_utc", "local_time"]
    assert len(rows) == 1 + 168 + 168
    assert {row[5] for row in rows[1:169]} == {"2"}


def test_junk_what_if_values_are_ignored_not_a_500(client, shop):
    client.force_login(supervisor())
    response = client.get("/floor/staffing/", {"concurrency": "-3", "service_level": "abc", "client": "x\x00"})
    assert response.status_code == 200


def test_agents_and_client_people_are_refused_the_planner(client, shop):
    client.force_login(make_agent("ana", shop).user)
    assert client.get("/floor/staffing/").status_code == 403
    assert client.get("/floor/staffing.csv").status_code == 403
    client.force_login(make_representative("boss", shop, role="owner").user)
    assert client.get("/floor/staffing/").status_code == 403


def test_the_clients_admin_page_leads_to_its_planner(admin_client, shop):
    page = admin_client.get(f"/admin/clients/client/{shop.pk}/change/").content.decode()
    assert f'href="/floor/staffing/?client={shop.pk}"' in page


def test_the_price_plan_admin_shows_economics_and_this_month(admin_client, shop):
    plan = PricePlan.objects.create(client=shop, monthly_fee=100)
    page = admin_client.get(f"/admin/planning/priceplan/{plan.pk}/change/").content.decode()
    assert 'id="economics"' in page and 'id="invoice-lines"' in page
