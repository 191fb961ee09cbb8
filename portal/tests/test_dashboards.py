"""The owner's dashboard, the chats behind its figures, and the supervisors' pages: who sees what."""

import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from agency import roles
from chats.models import ConversationStatus
from clients.models import RepresentativeRole
from conftest import make_agent
from reports.analytics.tests.test_analytics import chat_at
from reports.tests.personas import make_representative

pytestmark = pytest.mark.django_db

PERIOD = {"since": "2026-03-02", "until": "2026-03-02"}


@pytest.fixture
def chats_of_both(shop, other_shop):
    """Shop (Europe/Madrid): an answered chat at 10:00 and a missed one at 11:00; Other shop: one at 10:00."""
    ana = make_agent("ana", shop, other_shop)
    madrid = zoneinfo.ZoneInfo("Europe/Madrid")
    chat_at(
        shop,
        datetime(2026, 3, 2, 10, 0, tzinfo=madrid),
        agent=ana,
        assigned=5,
        first_response=10,
        closed=100,
        messages=2,
    )
    chat_at(shop, datetime(2026, 3, 2, 11, 0, tzinfo=madrid), status=ConversationStatus.MISSED)
    chat_at(
        other_shop,
        datetime(2026, 3, 2, 10, 0, tzinfo=madrid),
        agent=ana,
        assigned=1,
        first_response=90,
        closed=200,
        messages=3,
    )


def logged_in(client, user):
    client.force_login(user)
    return client


def test_the_owner_sees_their_clients_figures_with_links(client, owner, chats_of_both):
    response = logged_in(client, owner.user).get("/portal/dashboard/", PERIOD)
    assert response.status_code == 200
    kpis = response.context["kpis"]
    assert (kpis["chats"], kpis["missed"], kpis["answered_within_sla_share"]) == (2, 1, 0.5)
    missed_link = "/portal/conversations/?since=2026-03-02&amp;until=2026-03-02&amp;measure=missed"
    assert missed_link in response.content.decode()
    assert len(response.context["heatmap"]) == 7


def test_the_dashboard_defaults_to_the_last_30_days(client, owner):
    response = logged_in(client, owner.user).get("/portal/dashboard/")
    period = response.context["period"]
    assert (period.until - period.since).days == 29


def test_a_figures_link_lists_exactly_the_chats_it_counts(client, owner, chats_of_both):
    http = logged_in(client, owner.user)
    everything = http.get("/portal/conversations/", PERIOD).context["page"].paginator.count
    missed = http.get("/portal/conversations/", {**PERIOD, "measure": "missed"}).context["page"]
    at_ten = http.get("/portal/conversations/", {**PERIOD, "weekday": 0, "hour": 10}).context["page"]
    assert everything == 2
    assert [c.status for c in missed] == ["missed"]
    assert len(at_ten) == 1 and at_ten[0].client_id == owner.client_id


def test_the_owner_of_one_client_never_sees_anothers_chats(client, owner, outsider, chats_of_both):
    http = logged_in(client, outsider.user)
    dashboard = http.get("/portal/dashboard/", {**PERIOD, "client": owner.client_id})
    assert dashboard.context["kpis"]["chats"] == 1  # Other shop's own chat, whatever the query says
    listed = http.get("/portal/conversations/", {**PERIOD, "client": owner.client_id}).context["page"]
    assert {c.client_id for c in listed} == {outsider.client_id}


def test_a_representative_who_is_not_an_owner_is_refused(client, shop):
    rep = make_representative("rita", shop, role=RepresentativeRole.REPRESENTATIVE)
    http = logged_in(client, rep.user)
    assert http.get("/portal/dashboard/").status_code == 403
    assert http.get("/portal/conversations/").status_code == 403


def test_agency_people_have_no_portal_dashboard(client, shop):
    agent = make_agent("ana", shop)
    assert logged_in(client, agent.user).get("/portal/dashboard/").status_code == 403


def test_a_bad_period_falls_back_to_the_last_30_days(client, owner):
    response = logged_in(client, owner.user).get("/portal/dashboard/", {"since": "2026-03-05", "until": "2026-03-01"})
    assert response.status_code == 200 and response.context["form"].errors


def supervisor(username="sara", role=roles.SUPERVISOR):
    user = get_user_model().objects.create_user(username, password="pw")
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def test_supervisors_see_the_floor_and_the_agents_report(client, shop, chats_of_both):
    http = logged_in(client, supervisor())
    floor = http.get("/floor/")
    assert floor.status_code == 200 and b"/ws/floor/" in floor.content
    report = http.get("/floor/agents/", {**PERIOD, "client": shop.pk})
    assert report.status_code == 200
    assert [(row["name"], row["chats"]) for row in report.context["rows"]] == [("Ana", 1)]


def test_the_floor_says_so_when_no_chat_is_in_progress(client, shop):
    floor = logged_in(client, supervisor()).get("/floor/")
    assert b"No chat is in progress." in floor.content


@pytest.mark.parametrize("path", ["/floor/", "/floor/agents/"])
def test_agents_and_client_owners_may_not_see_the_floor(client, shop, owner, path):
    agent = make_agent("ana", shop)
    assert logged_in(client, agent.user).get(path).status_code == 403
    assert logged_in(client, owner.user).get(path).status_code == 403


def test_the_floor_asks_anonymous_visitors_to_log_in(client):
    assert client.get("/floor/").status_code == 302


def test_the_agents_report_period_is_selectable(client):
    http = logged_in(client, supervisor("adam", roles.AGENCY_ADMIN))
    response = http.get("/floor/agents/", {"since": "2026-01-01", "until": "2026-01-31"})
    period = response.context["period"]
    assert (period.since.isoformat(), period.until.isoformat()) == ("2026-01-01", "2026-01-31")
    assert period.end - period.start == timedelta(days=31)
