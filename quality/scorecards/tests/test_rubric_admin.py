"""In the admin a rubric is published with its criteria as the client's next active version, and a published
one cannot be edited (a change is a new version, so old reviews keep their rubric)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client as HttpClient

from conftest import make_client
from quality.scorecards.models import Rubric
from quality.scorecards.tests.scorecard_fixtures import shop_rubric

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_http():
    http = HttpClient()
    http.force_login(get_user_model().objects.create_superuser("root", "root@example.com", "pw"))
    return http


def criteria_form(*rows) -> dict:
    data = {
        "criteria-TOTAL_FORMS": str(len(rows)),
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    for i, (label, weight, critical) in enumerate(rows):
        data |= {f"criteria-{i}-label": label, f"criteria-{i}-weight": str(weight), f"criteria-{i}-position": str(i)}
        if critical:
            data[f"criteria-{i}-is_critical"] = "on"
    return data


def test_adding_a_rubric_in_the_admin_publishes_the_next_active_version(admin_http):
    shop = make_client("Shop")
    first = shop_rubric(shop)
    form = {"client": shop.pk, "language": "es"} | criteria_form(
        ("Saluda", 1, False), ("No promete reembolsos", 1, True)
    )
    response = admin_http.post("/admin/quality/rubric/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    newest = Rubric.objects.get(client=shop, is_active=True)
    assert (newest.version, newest.language) == (2, "es")
    assert list(newest.criteria.values_list("label", "is_critical")) == [
        ("Saluda", False),
        ("No promete reembolsos", True),
    ]
    first.refresh_from_db()
    assert not first.is_active and first.criteria.count() == 3


def test_a_published_rubric_is_read_only_in_the_admin(admin_http):
    rubric = shop_rubric(make_client("Shop"))
    page = admin_http.get(f"/admin/quality/rubric/{rubric.pk}/change/").content.decode()
    assert 'name="criteria-0-label"' not in page and "Greets the visitor" in page
