"""Leads are listed in the API (filtered, paginated, CSV) and read by the console's lead card only
within the tenant rule: another client's owner or agent is refused on every surface."""

import csv
import io

import pytest
from django.test import Client as HttpClient

from agency.tests.api_personas import api_as, make_personas
from chats.leads import services as lead_services
from chats.leads.models import Lead, LeadSource
from chats.models import ConversationStatus


def add_lead(
    client, *, email="maria@example.com", source=LeadSource.LEAD_CARD, message="=1+1 call me", conversation=None
) -> Lead:
    return lead_services.create_lead(
        client=client,
        source=source,
        message=message,
        conversation=conversation,
        contact=lead_services.checked_contact(name="Maria", email=email),
    )


@pytest.fixture
def personas(db):
    people = make_personas()
    people.a.lead = add_lead(people.a.client, email="alpha@example.com")
    people.b.lead = add_lead(people.b.client, email="beta@example.com", source=LeadSource.MISSED_CHAT)
    return people


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_api_lists_only_the_callers_clients_leads(personas):
    for user in (personas.a.owner, personas.a.agent.user):
        listed = api_as(user).get("/api/v1/leads/").json()
        assert [lead["email"] for lead in listed["results"]] == ["alpha@example.com"]
    both = api_as(personas.admin).get("/api/v1/leads/").json()
    assert {lead["email"] for lead in both["results"]} == {"alpha@example.com", "beta@example.com"}


def test_another_clients_lead_is_a_404_in_the_api(personas):
    for user in (personas.a.owner, personas.a.agent.user):
        assert api_as(user).get(f"/api/v1/leads/{personas.b.lead.pk}/").status_code == 404
    assert api_as(None).get("/api/v1/leads/").status_code in {401, 403}


def test_the_api_filters_by_source_and_client_and_refuses_a_bad_filter(personas):
    admin = api_as(personas.admin)
    missed = admin.get("/api/v1/leads/", {"source": "missed_chat"}).json()["results"]
    assert [lead["email"] for lead in missed] == ["beta@example.com"]
    of_alpha = admin.get("/api/v1/leads/", {"client": personas.a.client.pk}).json()["results"]
    assert [lead["email"] for lead in of_alpha] == ["alpha@example.com"]
    assert admin.get("/api/v1/leads/", {"source": "carrier-pigeon"}).status_code == 400


def test_the_api_paginates(personas):
    for n in range(3):
        add_lead(personas.a.client, email=f"more{n}@example.com")
    page = api_as(personas.a.owner).get("/api/v1/leads/", {"page_size": 2}).json()
    assert page["count"] == 4 and len(page["results"]) == 2 and page["next"]


def test_the_csv_export_holds_the_callers_leads_with_formulas_defused(personas):
    response = api_as(personas.a.owner).get("/api/v1/leads/export/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert rows[0][0] == "id" and len(rows) == 2
    assert "alpha@example.com" in rows[1] and "beta@example.com" not in sum(rows, [])
    assert "'=1+1 call me" in rows[1]
    assert csv_rows(api_as(personas.b.agent.user).get("/api/v1/leads/export/"))[1][5] == "beta@example.com"


def console_as(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def test_the_lead_card_is_for_the_chats_own_agent_only(personas):
    conversation = personas.a.conversation
    conversation.status = ConversationStatus.ACTIVE
    conversation.save(update_fields=["status"])
    url = f"/console/api/conversations/{conversation.pk}/lead/"
    own = console_as(personas.a.agent.user)
    saved = own.post(
        url,
        {"name": "Maria", "email": "maria@example.com", "phone": "+48 600 100 200", "consent": True},
        content_type="application/json",
    )
    assert saved.status_code == 200 and saved.json()["lead"]["phone"] == "+48 600 100 200"
    assert own.get(url).json()["lead"]["email"] == "maria@example.com"
    for outsider in (personas.b.agent.user, personas.b.owner, personas.a.owner):
        assert console_as(outsider).get(url).status_code == 403
        assert (
            console_as(outsider).post(url, {"email": "x@example.com"}, content_type="application/json").status_code
            == 403
        )
    assert HttpClient().get(url).status_code == 401
    assert Lead.objects.get(conversation=conversation).email == "maria@example.com"


def test_the_lead_card_refuses_control_characters_with_a_clear_error(personas):
    conversation = personas.a.conversation
    response = console_as(personas.a.agent.user).post(
        f"/console/api/conversations/{conversation.pk}/lead/", {"name": "Ma\x00ria"}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid"
