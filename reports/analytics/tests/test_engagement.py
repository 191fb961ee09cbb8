"""What visitors and invitations did, per client and period: in the owner's dashboard and the API;
the owner edits the client's invitation rules; visits go with the client's retention."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from django.utils import timezone
from rest_framework.test import APIClient

from chats.visits.models import Conversion, Invitation, InvitationAnswer, ProactiveRule, Visit
from clients.models import RepresentativeRole
from conftest import make_agent, make_client, start_chat
from privacy.services import delete_expired_data, erase_visitor_data
from reports.tests.personas import make_representative

pytestmark = pytest.mark.django_db


def visit_of(client, **fields) -> Visit:
    now = timezone.now()
    return Visit.objects.create(client=client, key=uuid.uuid4(), started_at=now, last_seen_at=now, **fields)


@pytest.fixture
def engaged_shop():
    """Three visits: one declined a rule's invitation, one accepted Ana's and bought after the chat,
    one bought without chatting."""
    shop = make_client("Shop")
    ana = make_agent("ana", shop)
    chat = start_chat(shop)
    first, second, third = visit_of(shop), visit_of(shop, conversation=chat.conversation), visit_of(shop)
    now = timezone.now()
    Invitation.objects.create(client=shop, visit=first, text="Help?", sent_at=now, answer=InvitationAnswer.DECLINED)
    Invitation.objects.create(
        client=shop,
        visit=second,
        agent=ana,
        text="Hi!",
        sent_at=now,
        answer=InvitationAnswer.ACCEPTED,
        conversation=chat.conversation,
    )
    Conversion.objects.create(
        client=shop, visit=second, conversation=chat.conversation, value=Decimal("120.50"), currency="EUR", at=now
    )
    Conversion.objects.create(client=shop, visit=third, value=Decimal("30"), currency="EUR", at=now)
    return shop


def today() -> str:
    return timezone.localdate().isoformat()


def test_the_api_counts_visitors_invitations_chats_and_what_sold_after_a_chat(engaged_shop):
    owner = make_representative("owen", engaged_shop, role=RepresentativeRole.OWNER)
    api = APIClient()
    api.force_authenticate(owner.user)
    response = api.get(
        f"/api/v1/analytics/clients/{engaged_shop.pk}/engagement/",
        {
            "start": (timezone.now() - timedelta(days=1)).isoformat(),
            "end": (timezone.now() + timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["engagement"] == {
        "visitors": 3,
        "invitations_sent": 2,
        "automatic_invitations": 1,
        "invitations_accepted": 1,
        "invitations_declined": 1,
        "chats": 1,
        "conversions": 2,
        "conversions_after_chat": 1,
        "value_after_chat": [{"currency": "EUR", "value": "120.50"}],
    }


def test_another_clients_people_get_no_engagement_figures(engaged_shop):
    other = make_client("Other")
    outsider = make_representative("olga", other, role=RepresentativeRole.OWNER)
    stranger_agent = make_agent("sam", other)
    for user in (outsider.user, stranger_agent.user):
        api = APIClient()
        api.force_authenticate(user)
        response = api.get(
            f"/api/v1/analytics/clients/{engaged_shop.pk}/engagement/", {"start": today(), "end": today()}
        )
        assert response.status_code == 404


def test_the_owners_dashboard_shows_the_engagement_figures(engaged_shop):
    owner = make_representative("owen", engaged_shop, role=RepresentativeRole.OWNER)
    http = HttpClient()
    http.force_login(owner.user)
    page = http.get("/portal/dashboard/").content.decode()
    assert 'data-testid="engagement"' in page
    assert "120.50 EUR" in page


def rules_form(**fields) -> dict:
    return {
        "tracks_visitors_before_chat": "on",
        "rules-TOTAL_FORMS": "1",
        "rules-INITIAL_FORMS": "0",
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
        "rules-0-name": "Full cart",
        "rules-0-is_active": "on",
        "rules-0-min_seconds_on_page": "20",
        "rules-0-min_cart_value": "100",
        "rules-0-min_pages_seen": "0",
        "rules-0-text_en": "Need help?",
        "rules-0-text_es": "¿Le ayudamos?",
        "rules-0-text_pl": "",
        **fields,
    }


def test_the_owner_edits_the_rules_and_the_tracking_setting():
    shop = make_client("Shop")
    owner = make_representative("owen", shop, role=RepresentativeRole.OWNER)
    http = HttpClient()
    http.force_login(owner.user)
    assert http.get("/portal/invitations/").status_code == 200
    response = http.post("/portal/invitations/", rules_form())
    assert response.status_code == 302
    rule = ProactiveRule.objects.get()
    assert (rule.client, rule.min_cart_value, rule.text_for("es-ES")) == (shop, Decimal(100), "¿Le ayudamos?")
    shop.refresh_from_db()
    assert shop.tracks_visitors_before_chat


def test_a_rule_without_any_text_is_refused():
    shop = make_client("Shop")
    owner = make_representative("owen", shop, role=RepresentativeRole.OWNER)
    http = HttpClient()
    http.force_login(owner.user)
    response = http.post("/portal/invitations/", rules_form(**{"rules-0-text_en": " ", "rules-0-text_es": ""}))
    assert response.status_code == 200
    assert "Write the invitation in at least one language." in response.content.decode()
    assert not ProactiveRule.objects.exists()


def test_each_language_has_its_own_text_box_and_other_languages_and_the_fallback_are_kept():
    shop = make_client("Shop")
    rule = ProactiveRule.objects.create(client=shop, name="Cart", invitation_texts="pl: Pomóc?\nde: Hilfe?\nen: Help?")
    owner = make_representative("owen", shop, role=RepresentativeRole.OWNER)
    http = HttpClient()
    http.force_login(owner.user)
    page = http.get("/portal/invitations/").content.decode()
    for language in ("en", "es", "pl"):
        assert f'<textarea name="rules-0-text_{language}"' in page
    assert 'name="rules-0-invitation_texts"' not in page
    assert page.index('name="rules-0-text_pl"') < page.index('name="rules-0-text_en"')  # the fallback first
    response = http.post(
        "/portal/invitations/",
        rules_form(
            **{
                "rules-TOTAL_FORMS": "1",
                "rules-INITIAL_FORMS": "1",
                "rules-0-id": str(rule.pk),
                "rules-0-name": "Cart",
                "rules-0-text_pl": "Pomóc\nw czymś?",
                "rules-0-text_en": "Help?",
                "rules-0-text_es": "¿Ayuda?",
            }
        ),
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.invitation_texts == "pl: Pomóc w czymś?\nde: Hilfe?\nen: Help?\nes: ¿Ayuda?"
    assert rule.text_for("fr") == "Pomóc w czymś?"


def test_a_representative_or_another_clients_owner_cannot_change_the_rules():
    shop, other = make_client("Shop"), make_client("Other")
    rule = ProactiveRule.objects.create(client=shop, name="Mine", invitation_texts="en: Hi")
    representative = make_representative("rita", shop)
    outsider = make_representative("olga", other, role=RepresentativeRole.OWNER)
    http = HttpClient()
    http.force_login(representative.user)
    assert http.post("/portal/invitations/", rules_form()).status_code == 403
    http.force_login(outsider.user)
    response = http.post(
        "/portal/invitations/",
        rules_form(**{"rules-INITIAL_FORMS": "1", "rules-0-id": str(rule.pk), "rules-0-name": "Hijacked"}),
    )
    assert response.status_code == 200  # the form refuses a row of another client
    rule.refresh_from_db()
    assert rule.name == "Mine" and rule.client == shop


def test_visits_go_with_the_clients_retention():
    shop = make_client("Shop", retention_days=30)
    old = visit_of(shop)
    Visit.objects.filter(pk=old.pk).update(last_seen_at=timezone.now() - timedelta(days=31))
    recent = visit_of(shop)
    delete_expired_data()
    assert list(Visit.objects.values_list("pk", flat=True)) == [recent.pk]


def test_an_erasure_request_deletes_the_visits_identified_with_that_email():
    shop, other = make_client("Shop"), make_client("Other")
    visit_of(shop, email="maria@example.com")
    theirs = visit_of(other, email="maria@example.com")
    anonymous = visit_of(shop)
    erase_visitor_data(client_id=shop.pk, email="Maria@example.com", requested_by="owner")
    assert set(Visit.objects.values_list("pk", flat=True)) == {theirs.pk, anonymous.pk}
