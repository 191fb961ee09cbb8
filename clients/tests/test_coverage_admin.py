"""The client admin: coverage validation that says what is wrong, the weekly picture, the summary."""

import pytest
from django.contrib.auth import get_user_model

from clients.coverage import coverage_summary
from clients.models import Client, CoverageWindow
from clients.tests.coverage_factories import EVERY_DAY, client_with_hours

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("boss", "b@example.com", "pw"))
    return client


def management_form(prefix: str, total: int, max_num: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": 0,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": max_num,
    }


def change_form(client: Client, windows, **overrides) -> dict:
    data = {
        "name": client.name,
        "slug": client.slug,
        "allowed_origins": "",
        "required_language": "",
        "timezone": client.timezone,
        "is_24_7": "",
        "holiday_country": "",
        "holiday_region": "",
        "hours_per_fte": "40",
        "sla_target_seconds": str(client.sla_target_seconds),
        "sla_target_share": str(client.sla_target_share),
        "max_queue_wait_seconds": "120",
    }
    for prefix, rows in (
        ("coverage_windows", windows),
        ("coverage_exceptions", []),
        ("faq_entries", []),
        ("canned_replies", []),
    ):
        data.update(management_form(prefix, len(rows), 1000))
        for index, row in enumerate(rows):
            data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    for prefix in ("briefing", "pre_chat_form"):
        data.update(management_form(prefix, 0, 1))
    data.update(overrides)
    return data


def save(admin_client, shop, windows, **overrides):
    return admin_client.post(f"/admin/clients/client/{shop.pk}/change/", change_form(shop, windows, **overrides))


def test_it_saves_valid_windows(admin_client):
    shop = client_with_hours([])
    response = save(
        admin_client,
        shop,
        [
            {"weekday": 0, "starts_at": "08:00", "ends_at": "14:00"},
            {"weekday": 4, "starts_at": "20:00", "ends_at": "02:00"},
        ],
    )
    assert response.status_code == 302
    assert CoverageWindow.objects.filter(client=shop).count() == 2


def test_a_window_that_ends_when_it_starts_is_refused_with_the_reason(admin_client):
    shop = client_with_hours([])
    response = save(admin_client, shop, [{"weekday": 0, "starts_at": "08:00", "ends_at": "08:00"}])
    assert response.status_code == 200
    assert "The window ends when it starts" in response.content.decode()


def test_overlapping_windows_are_refused_naming_both(admin_client):
    shop = client_with_hours([])
    response = save(
        admin_client,
        shop,
        [
            {"weekday": 0, "starts_at": "08:00", "ends_at": "14:00"},
            {"weekday": 0, "starts_at": "12:00", "ends_at": "20:00"},
        ],
    )
    assert response.status_code == 200
    assert "Monday 08:00–14:00 and Monday 12:00–20:00 overlap" in response.content.decode()


def test_a_window_past_midnight_overlapping_the_next_morning_is_refused(admin_client):
    shop = client_with_hours([])
    response = save(
        admin_client,
        shop,
        [
            {"weekday": 6, "starts_at": "22:00", "ends_at": "03:00"},
            {"weekday": 0, "starts_at": "02:00", "ends_at": "08:00"},
        ],
    )
    assert "overlap" in response.content.decode()


def test_an_unknown_timezone_is_refused_with_its_name(admin_client):
    shop = client_with_hours([])
    response = save(admin_client, shop, [], timezone="Europe/Atlantis")
    assert "Unknown timezone “Europe/Atlantis”" in response.content.decode()


def test_an_unknown_holiday_region_is_refused(admin_client):
    shop = client_with_hours([])
    response = save(admin_client, shop, [], holiday_country="ES", holiday_region="ZZ")
    assert "is not a region of ES" in response.content.decode()


def test_the_change_page_shows_the_week_and_the_staffing_numbers(admin_client):
    shop = client_with_hours([(EVERY_DAY, "08:00", "20:00")])
    page = admin_client.get(f"/admin/clients/client/{shop.pk}/change/").content.decode()
    assert 'class="coverage-grid"' in page
    assert page.count('title="Monday') == 24
    assert "84.0 covered hours a week, 2.1 FTE at 40 hours per FTE." in page


def test_the_summary_counts_hours_per_week_and_fte():
    shop = client_with_hours([(range(5), "09:00", "17:30"), (4, "22:00", "02:00")], hours_per_fte=36)
    summary = coverage_summary(shop)
    assert summary["hours_per_week"] == 5 * 8.5 + 4
    assert summary["fte_needed"] == round(46.5 / 36, 2)
    assert summary["grid"][5][1] == 60 and summary["grid"][5][2] == 0  # Saturday 01:00–02:00
    assert summary["grid"][0][17] == 30


def test_a_24_7_client_needs_168_hours():
    from conftest import make_client

    assert coverage_summary(make_client("Always"))["hours_per_week"] == 168


def test_agency_staff_see_offline_messages_in_the_admin(admin_client):
    from clients.models import OfflineMessage

    shop = client_with_hours([])
    OfflineMessage.objects.create(client=shop, email="lead@example.com", message="Call me")
    page = admin_client.get("/admin/clients/offlinemessage/").content.decode()
    assert "lead@example.com" in page
