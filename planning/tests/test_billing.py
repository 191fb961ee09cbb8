"""A client's month: the figures billed from, the price plan's invoice lines, pages, CSV, PDF, API, who may see them."""

import csv
import re
from datetime import datetime, time, timedelta
from decimal import Decimal
from io import BytesIO, StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from pypdf import PdfReader

from agency import roles
from agency.tests.api_personas import api_as
from chats.leads.models import Lead, LeadSource
from chats.models import Conversation, ConversationStatus
from chats.ratings.models import Rating
from clients.models import CoverageWindow, OfflineMessage
from conftest import make_agent, make_client
from planning.billing import month_figures
from planning.models import PricePlan
from planning.tests.staffing_history import add_chats
from reports.models import Escalation
from reports.tests.personas import make_representative

MADRID = ZoneInfo("Europe/Madrid")
NOVEMBER = datetime(2026, 11, 1, tzinfo=MADRID)


def shop_of(name: str):
    client = make_client(name, timezone="Europe/Madrid", is_24_7=False)
    CoverageWindow.objects.bulk_create(
        [CoverageWindow(client=client, weekday=day, starts_at=time(8), ends_at=time(23)) for day in range(7)]
    )  # the seeds' 8–23 every day: 105 h a week
    return client


@pytest.fixture
def shop(db):
    shop = shop_of("Shop")
    ana = make_agent("ana", shop)
    chat_ids = add_chats(
        shop, [NOVEMBER + timedelta(hours=9, minutes=n) for n in range(130)], agent=ana, length_seconds=300
    )
    add_chats(
        shop,
        [NOVEMBER + timedelta(days=3, hours=9, minutes=n) for n in range(5)],
        first_reply_seconds=None,
        status=ConversationStatus.MISSED,
    )
    add_chats(shop, [NOVEMBER - timedelta(hours=2)] * 3, agent=ana)  # 31 October: another month
    lead = OfflineMessage.objects.create(client=shop, email="lead@example.com", message="Call me")
    OfflineMessage.objects.filter(pk=lead.pk).update(created_at=NOVEMBER + timedelta(days=2))
    Lead.objects.create(client=shop, source=LeadSource.OFFLINE_FORM, offline_message=lead, email=lead.email)
    Lead.objects.filter(offline_message=lead).update(created_at=NOVEMBER + timedelta(days=2))
    escalation = Escalation.objects.create(
        conversation_id=chat_ids[0], client=shop, agent=ana, question="Refund?", category="refund", source_seq=1
    )
    Escalation.objects.filter(pk=escalation.pk).update(created_at=NOVEMBER + timedelta(days=1))
    PricePlan.objects.create(
        client=shop,
        monthly_fee=Decimal("500"),
        price_per_chat=Decimal("1.50"),
        included_chats=100,
        price_per_covered_hour=Decimal("2"),
    )
    return shop


def test_the_month_counts_what_the_chats_show(shop):
    figures = month_figures(shop, NOVEMBER.date())
    assert (figures.chats, figures.answered, figures.missed) == (135, 130, 5)
    assert figures.answered_within_target_share == pytest.approx(130 / 135)
    assert figures.sla_target_met is True
    assert figures.covered_hours == Decimal("450.00")  # 30 days × 15 h
    assert (figures.leads, figures.escalations) == (1, 1)
    assert figures.ratings is None


def test_the_month_counts_leads_of_every_source_and_its_ratings(shop):
    conversation = Conversation.objects.filter(client=shop, agent__isnull=False).order_by("pk").first()
    Lead.objects.create(client=shop, source=LeadSource.LEAD_CARD, conversation=conversation, name="Jan")
    Lead.objects.filter(conversation=conversation).update(created_at=NOVEMBER + timedelta(days=4))
    answered = Conversation.objects.filter(client=shop, agent__isnull=False).order_by("pk")[:3]
    for score, chat in zip([5, 4, 1], answered, strict=True):
        Rating.objects.create(conversation=chat, client=shop, agent=chat.agent, scale="five", score=score)
    figures = month_figures(shop, NOVEMBER.date())
    assert figures.leads == 2  # the offline form's lead and the lead card's
    assert figures.ratings == {"count": 3, "csat": 66.7}


def test_a_mixed_price_plan_gives_a_fee_chats_beyond_the_included_and_covered_hours(shop):
    figures = month_figures(shop, NOVEMBER.date())
    assert [(line.quantity, line.unit_price, line.amount) for line in figures.lines] == [
        (1, Decimal("500"), Decimal("500")),
        (30, Decimal("1.50"), Decimal("45.00")),
        (Decimal("450.00"), Decimal("2"), Decimal("900.00")),
    ]
    assert figures.total == Decimal("1445.00")


def test_without_a_plan_there_are_no_lines(shop):
    PricePlan.objects.filter(client=shop).delete()
    assert month_figures(shop, NOVEMBER.date()).lines == []


def test_the_owner_sees_the_month_in_the_portal_and_each_count_opens_its_chats(client, shop):
    owner = make_representative("boss", shop, role="owner")
    client.force_login(owner.user)
    page = client.get("/portal/billing/", {"month": "2026-11"}).content.decode()
    assert "1445.00 EUR" in page and "450.00" in page
    missed_link = re.search(r'data-figure="missed">.*?href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert "since=2026-11-01" in missed_link and "until=2026-11-30" in missed_link
    listed = client.get(missed_link).content.decode()
    assert listed.split("<tbody>")[1].count("<tr>") == 5  # the 5 missed chats, no more
    assert "105" in page and "65" in page  # economics: covered hours vs one in-house employee


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(body)).pages)


def test_csv_and_pdf_exports(client, shop):
    client.force_login(make_representative("boss", shop, role="owner").user)
    rows = list(csv.reader(StringIO(client.get("/portal/billing.csv", {"month": "2026-11"}).content.decode())))
    assert ["answered", "130"] in rows and rows[-1][:4] == ["total", "", "", "1445.00"]
    pdf = client.get("/portal/billing.pdf", {"month": "2026-11"})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and pdf.content.rstrip().endswith(b"%%EOF")
    text = pdf_text(pdf.content)
    assert "Shop · November 2026" in text and "answered: 130" in text and "Total: 1445.00 EUR" in text


def test_the_pdf_prints_a_polish_clients_name_and_lines_intact(client, shop):
    """Latin-1 had no "ż" or "ł": every such letter printed as "?" before the font was embedded."""
    shop.name = "Zażółć gęślą jaźń"
    shop.save(update_fields=["name"])
    PricePlan.objects.filter(client=shop).update(currency="PLN")
    client.force_login(make_representative("boss", shop, role="owner", language="pl").user)
    pdf = client.get("/portal/billing.pdf", {"month": "2026-11"}, HTTP_ACCEPT_LANGUAGE="pl")
    text = pdf_text(pdf.content)
    assert "Zażółć gęślą jaźń" in text and "?" not in text
    assert "listopad 2026" in text.lower() and "PLN" in text


def staff(username: str, role: str):
    user = get_user_model().objects.create_user(username, password="pw")
    user.groups.set(Group.objects.filter(name=role))
    return user


def test_the_agency_sees_every_clients_month_on_the_floor(client, shop):
    client.force_login(staff("sup", roles.SUPERVISOR))
    overview = client.get("/floor/billing/", {"month": "2026-11"}).content.decode()
    assert "1445.00" in overview
    detail = client.get("/floor/billing/", {"month": "2026-11", "client": shop.pk}).content.decode()
    assert 'id="invoice-lines"' in detail and 'id="economics"' in detail
    assert (
        client.get("/floor/billing.pdf", {"month": "2026-11", "client": shop.pk})["Content-Type"] == "application/pdf"
    )
    assert client.get("/floor/billing.csv", {"client": "999999"}).status_code == 404


@pytest.mark.parametrize("path", ["/floor/billing.csv", "/floor/billing.pdf"])
def test_an_export_without_a_client_is_a_clear_400(client, shop, path):
    client.force_login(staff("sup", roles.SUPERVISOR))
    answer = client.get(path, {"month": "2026-11"})
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid" and "?client=" in answer.json()["detail"]
    spanish = client.get(path, HTTP_ACCEPT_LANGUAGE="es").json()["detail"]
    assert "?client=" in spanish and spanish != answer.json()["detail"]


def test_agents_representatives_and_other_owners_are_refused(client, shop):
    other = shop_of("Other")
    agent = make_agent("piotr", shop)
    representative = make_representative("rep", shop)
    other_owner = make_representative("rival", other, role="owner")
    for user in (agent.user, representative.user, other_owner.user):
        client.force_login(user)
        assert client.get("/floor/billing/").status_code == 403
        assert client.get("/floor/billing.csv", {"client": shop.pk}).status_code == 403
    client.force_login(agent.user)
    assert client.get("/portal/billing/").status_code == 403
    client.force_login(representative.user)
    assert client.get("/portal/billing/").status_code == 403
    client.force_login(other_owner.user)
    assert "1445.00" not in client.get("/portal/billing/", {"month": "2026-11"}).content.decode()


def test_the_api_gives_the_month_to_the_agency_and_the_owner_only(shop):
    other = shop_of("Other")
    url = f"/api/v1/billing/clients/{shop.pk}/"
    body = api_as(staff("admin", roles.AGENCY_ADMIN)).get(url, {"month": "2026-11"}).json()
    assert (body["answered"], body["missed"], body["covered_hours"], body["total"]) == (130, 5, "450.00", "1445.00")
    owner = make_representative("boss", shop, role="owner").user
    assert api_as(owner).get(url, {"month": "2026-11"}).json()["total"] == "1445.00"
    assert api_as(owner).get(f"/api/v1/billing/clients/{other.pk}/").status_code == 404
    assert api_as(make_agent("piotr", shop).user).get(url).status_code == 403
    assert api_as(make_representative("rep", shop).user).get(url).status_code == 403
    assert api_as(make_representative("rival", other, role="owner").user).get(url).status_code == 404
    junk = api_as(owner).get(url, {"month": "2026-13"})
    assert junk.status_code == 400 and junk.json()["code"] == "invalid"


def test_economics_compare_covered_hours_with_one_in_house_employee(shop):
    owner = make_representative("boss", shop, role="owner").user
    body = api_as(owner).get(f"/api/v1/staffing/clients/{shop.pk}/economics/").json()
    assert body["covered_hours_per_week"] == 105
    assert body["in_house_hours_per_week"] == 65
    assert body["extra_hours_over_in_house"] == 40
    assert body["seat_fte"] == round(105 / 40, 2)
    url = f"/api/v1/staffing/clients/{shop.pk}/economics/"
    assert api_as(make_agent("piotr", shop).user).get(url).status_code == 403
    assert api_as(make_representative("rep", shop).user).get(url).status_code == 403
    assert api_as(make_representative("rival", shop_of("Other"), role="owner").user).get(url).status_code == 404
    assert api_as(staff("sup", roles.SUPERVISOR)).get(url).json()["covered_hours_per_week"] == 105
