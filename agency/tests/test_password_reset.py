"""Client users reset a forgotten password by email (throttled, no user enumeration) and change it when logged in."""

import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client as HttpClient

from clients.models import Representative
from conftest import make_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def olga():
    # A fresh address each test: the hourly counters are shared by the whole run.
    user = get_user_model().objects.create_user("olga", f"olga-{uuid.uuid4().hex[:8]}@example.com", "old-pw-olga")
    Representative.objects.create(user=user, client=make_client("Shop"), language="es")
    return user


def ask_for_reset(http: HttpClient, email: str, ip: str):
    return http.post("/accounts/password_reset/", {"email": email}, REMOTE_ADDR=ip)


def test_a_client_user_resets_the_password_by_email_and_logs_in(olga):
    http = HttpClient()
    response = ask_for_reset(http, olga.email, "10.2.0.1")
    assert response.status_code == 302 and response["Location"] == "/accounts/password_reset/done/"
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [olga.email]
    assert email.alternatives, "the email has an HTML part too"
    link = re.search(r"http://\S+/accounts/reset/\S+/", email.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = http.get(f"/{path}", follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    done = http.post(
        form_page.redirect_chain[-1][0], {"new_password1": "Brand-new-pw-2026", "new_password2": "Brand-new-pw-2026"}
    )
    assert done.status_code == 302 and done["Location"] == "/accounts/reset/done/"
    login = HttpClient().post(
        "/accounts/login/", {"username": "olga", "password": "Brand-new-pw-2026"}, REMOTE_ADDR="10.2.0.1"
    )
    assert login.status_code == 302
    again = http.get(f"/{path}", follow=True)
    assert not again.context["validlink"], "the link works once"


def test_the_email_is_in_the_users_language(olga):
    ask_for_reset(HttpClient(), olga.email, "10.2.0.2")
    html, _ = mail.outbox[0].alternatives[0]
    assert '<html lang="es">' in html


def test_an_unknown_address_gets_the_same_answer_and_no_email(olga):
    known = ask_for_reset(HttpClient(), olga.email, "10.2.0.3")
    unknown = ask_for_reset(HttpClient(), "nobody@example.com", "10.2.0.3")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert [m.to for m in mail.outbox] == [[olga.email]]


def test_requests_are_throttled_per_address(olga, settings):
    settings.PASSWORD_RESETS_PER_EMAIL_PER_HOUR = 2
    for n in range(2):
        assert ask_for_reset(HttpClient(), olga.email, f"10.2.1.{n}").status_code == 302
    refused = ask_for_reset(HttpClient(), olga.email, "10.2.1.9")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert len(mail.outbox) == 2


def test_requests_are_throttled_per_ip_for_known_and_unknown_addresses_alike(olga, settings):
    settings.PASSWORD_RESETS_PER_IP_PER_HOUR = 2
    for n in range(2):
        assert ask_for_reset(HttpClient(), f"someone{n}@example.com", "10.2.2.1").status_code == 302
    assert ask_for_reset(HttpClient(), olga.email, "10.2.2.1").status_code == 429
    assert ask_for_reset(HttpClient(), "ghost@example.com", "10.2.2.1").status_code == 429
    assert mail.outbox == []


def test_a_logged_in_user_changes_the_password(olga):
    http = HttpClient()
    http.force_login(olga)
    assert 'href="/accounts/password_change/"' in http.get("/portal/me/").content.decode()
    response = http.post(
        "/accounts/password_change/",
        {"old_password": "old-pw-olga", "new_password1": "Brand-new-pw-2026", "new_password2": "Brand-new-pw-2026"},
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/password_change/done/"
    olga.refresh_from_db()
    assert olga.check_password("Brand-new-pw-2026")


def test_the_login_page_links_to_the_reset():
    assert 'href="/accounts/password_reset/"' in HttpClient().get("/accounts/login/").content.decode()
