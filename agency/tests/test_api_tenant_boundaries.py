"""Every REST API resource keeps each client's data to the people of that client:
an owner of A and an agent of A never see B's rows (lists) and get 404 on them;
supervisors and agency admins see both; anonymous callers get 401."""

import pytest

from agency.tests.api_personas import api_as, make_personas

PERIOD = "?start=2020-01-01&end=2020-12-31"

# resource → (list URL or None, detail URL of a client's object, id of a client's object in lists)
RESOURCES = {
    "clients": ("/api/v1/clients/", lambda d: f"/api/v1/clients/{d.client.pk}/", lambda d: d.client.pk),
    "coverage-windows": (
        "/api/v1/coverage-windows/",
        lambda d: f"/api/v1/coverage-windows/{d.window.pk}/",
        lambda d: d.window.pk,
    ),
    "coverage-exceptions": (
        "/api/v1/coverage-exceptions/",
        lambda d: f"/api/v1/coverage-exceptions/{d.exception.pk}/",
        lambda d: d.exception.pk,
    ),
    "offline-messages": (
        "/api/v1/offline-messages/",
        lambda d: f"/api/v1/offline-messages/{d.offline_message.pk}/",
        lambda d: d.offline_message.pk,
    ),
    "conversations": (
        "/api/v1/conversations/",
        lambda d: f"/api/v1/conversations/{d.conversation.pk}/",
        lambda d: d.conversation.pk,
    ),
    "messages": (None, lambda d: f"/api/v1/conversations/{d.conversation.pk}/messages/", None),
    "escalations": (
        "/api/v1/escalations/",
        lambda d: f"/api/v1/escalations/{d.escalation.pk}/",
        lambda d: d.escalation.pk,
    ),
    "reports": ("/api/v1/reports/", lambda d: f"/api/v1/reports/{d.report.pk}/", lambda d: d.report.pk),
    "client-kpis": (None, lambda d: f"/api/v1/analytics/clients/{d.client.pk}/kpis/{PERIOD}", None),
    "client-heatmap": (None, lambda d: f"/api/v1/analytics/clients/{d.client.pk}/heatmap/{PERIOD}", None),
}


@pytest.fixture
def personas(db):
    return make_personas()


def listed_ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("resource", [name for name, (url, *_) in RESOURCES.items() if url])
@pytest.mark.parametrize("who", ["owner", "agent"])
def test_a_client_side_user_or_agent_of_a_lists_only_a(personas, resource, who):
    list_url, _, id_of = RESOURCES[resource]
    user = getattr(personas.a, who)
    user = user.user if who == "agent" else user
    ids = listed_ids(api_as(user).get(list_url))
    assert id_of(personas.a) in ids
    assert id_of(personas.b) not in ids


@pytest.mark.parametrize("resource", list(RESOURCES))
@pytest.mark.parametrize("who", ["owner", "agent"])
def test_b_objects_are_404_for_people_of_a(personas, resource, who):
    _, detail_url, _ = RESOURCES[resource]
    user = personas.a.owner if who == "owner" else personas.a.agent.user
    api = api_as(user)
    assert api.get(detail_url(personas.a)).status_code == 200
    response = api.get(detail_url(personas.b))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("resource", list(RESOURCES))
@pytest.mark.parametrize("who", ["admin", "supervisor"])
def test_the_agency_admin_and_supervisor_see_every_client(personas, resource, who):
    list_url, detail_url, id_of = RESOURCES[resource]
    api = api_as(getattr(personas, who))
    for data in (personas.a, personas.b):
        assert api.get(detail_url(data)).status_code == 200
    if list_url:
        assert {id_of(personas.a), id_of(personas.b)} <= listed_ids(api.get(list_url))


@pytest.mark.parametrize("resource", list(RESOURCES))
def test_anonymous_callers_get_401_with_a_code(personas, resource):
    list_url, detail_url, _ = RESOURCES[resource]
    for url in filter(None, (list_url, detail_url(personas.a))):
        response = api_as(None).get(url)
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
        assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("resource", ["clients", "conversations", "escalations", "client-kpis"])
def test_a_user_with_no_role_sees_nothing(personas, resource):
    from agency.tests.api_personas import make_user

    list_url, detail_url, _ = RESOURCES[resource]
    api = api_as(make_user("stranger"))
    assert api.get(detail_url(personas.a)).status_code == 404
    if list_url:
        assert listed_ids(api.get(list_url)) == set()
