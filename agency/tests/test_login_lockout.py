"""Failed logins lock out the username and, separately, the client IP (django-axes); an admin unlocks."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client as HttpClient

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


LOGIN_PAGES = ["/accounts/login/", "/admin/login/"]


def make_staff(username: str):
    return get_user_model().objects.create_user(username, password="right-pw", is_staff=True)


def log_in(http: HttpClient, path: str, username: str, password: str, ip: str):
    return http.post(path, {"username": username, "password": password}, REMOTE_ADDR=ip)


def is_logged_in(http: HttpClient) -> bool:
    return "_auth_user_id" in http.session


def fail_twenty_times(path: str, username: str, ip: str) -> None:
    http = HttpClient()
    for _ in range(20):
        assert log_in(http, path, username, "wrong", ip).status_code in (200, 429)


@pytest.mark.parametrize("path", LOGIN_PAGES)
def test_twenty_wrong_passwords_then_the_right_one_is_refused(path):
    make_staff("ana")
    fail_twenty_times(path, "ana", "10.1.0.1")
    http = HttpClient()
    response = log_in(http, path, "ana", "right-pw", "10.1.0.1")
    assert response.status_code == 429
    assert not is_logged_in(http)
    page = response.content.decode()
    assert "Too many failed logins" in page and "Try again in 15 minutes" in page
    assert response["Retry-After"] == "900"


@pytest.mark.parametrize("path", LOGIN_PAGES)
def test_a_locked_username_is_refused_from_another_ip_too(path):
    make_staff("ana")
    fail_twenty_times(path, "ana", "10.1.0.2")
    http = HttpClient()
    assert log_in(http, path, "ana", "right-pw", "10.1.0.3").status_code == 429
    assert not is_logged_in(http)


@pytest.mark.parametrize("path", LOGIN_PAGES)
def test_a_locked_ip_is_refused_for_another_user_too(path):
    make_staff("ana")
    make_staff("ben")
    fail_twenty_times(path, "ana", "10.1.0.4")
    refused = HttpClient()
    assert log_in(refused, path, "ben", "right-pw", "10.1.0.4").status_code == 429
    assert not is_logged_in(refused)
    elsewhere = HttpClient()
    assert log_in(elsewhere, path, "ben", "right-pw", "10.1.0.5").status_code == 302
    assert is_logged_in(elsewhere)


def test_a_few_mistakes_do_not_lock_anyone_out():
    make_staff("ana")
    http = HttpClient()
    for _ in range(4):
        assert log_in(http, "/accounts/login/", "ana", "wrong", "10.1.0.6").status_code == 200
    assert log_in(http, "/accounts/login/", "ana", "right-pw", "10.1.0.6").status_code == 302


def test_an_admin_unlocks_a_locked_out_user_in_the_admin():
    make_staff("ana")
    get_user_model().objects.create_superuser("boss", password="boss-pw")
    fail_twenty_times("/accounts/login/", "ana", "10.1.0.7")
    admin = HttpClient()
    admin.force_login(get_user_model().objects.get(username="boss"))
    listing = admin.get("/admin/axes/accessattempt/?q=ana")
    assert listing.status_code == 200 and "ana" in listing.content.decode()
    from axes.models import AccessAttempt

    ids = [str(pk) for pk in AccessAttempt.objects.filter(username="ana").values_list("pk", flat=True)]
    response = admin.post(
        "/admin/axes/accessattempt/", {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
    )
    assert response.status_code == 302
    http = HttpClient()
    assert log_in(http, "/accounts/login/", "ana", "right-pw", "10.1.0.7").status_code == 302
    assert is_logged_in(http)
