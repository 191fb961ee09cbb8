"""API tokens are stored only as digests, can expire and be revoked, and old plaintext keys keep working."""

import importlib
import io
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client as HttpClient
from django.utils import timezone
from rest_framework.test import APIClient

from agency.models import ApiToken
from agency.tests.api_personas import make_personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def personas():
    return make_personas()


def issue(username: str, *args: str) -> str:
    out = io.StringIO()
    call_command("create_api_token", username, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def make_superuser():
    return get_user_model().objects.create_superuser("root", password="pw")


def status_with(key: str) -> int:
    return APIClient(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/clients/").status_code


def test_the_database_never_holds_the_key(personas):
    key = issue("agency-admin")
    assert status_with(key) == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM agency_apitoken")
        stored = repr(cursor.fetchall())
    assert key not in stored and key.upper() not in stored
    assert ApiToken.objects.get().key_prefix == key[:8]


def test_the_admin_lists_tokens_without_secrets(personas):
    key = issue("agency-admin", "--name", "CRM")
    admin = HttpClient()
    admin.force_login(makemake_superuser())
    page = admin.get("/admin/agency/apitoken/").content.decode()
    assert "CRM" in page and key[:8] in page and key not in page


def makemake_superuser():
    return get_user_model().objects.create_superuser("root", password="pw")


def test_an_expired_token_is_refused(personas):
    key = issue("agency-admin", "--expires-days", "30")
    token = ApiToken.objects.get()
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    assert status_with(key) == 200
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = APIClient(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/clients/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_a_revoked_token_is_refused(personas):
    key, other = issue("agency-admin"), issue("agency-admin")
    call_command("revoke_api_token", key[:8], stdout=io.StringIO())
    assert status_with(key) == 401
    assert status_with(other) == 200


def test_the_admin_revokes_tokens_with_an_action(personas):
    key = issue("agency-admin")
    admin = HttpClient()
    admin.force_login(make_superuser())
    response = admin.post(
        "/admin/agency/apitoken/", {"action": "revoke", "_selected_action": [str(ApiToken.objects.get().pk)]}
    )
    assert response.status_code == 302
    assert status_with(key) == 401


def test_revoke_by_user_and_list_without_keys(personas):
    key = issue("agency-admin", "--name", "CRM")
    listing = io.StringIO()
    call_command("revoke_api_token", "--list", stdout=listing)
    assert "CRM" in listing.getvalue() and "active" in listing.getvalue() and key not in listing.getvalue()
    call_command("revoke_api_token", "--user", "agency-admin", stdout=io.StringIO())
    assert status_with(key) == 401


def test_a_plaintext_authtoken_key_is_converted_and_keeps_working(personas):
    old_key = "401f7ac837da42b97f613d789819ff93537bee6a"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "created timestamp with time zone NOT NULL, user_id integer NOT NULL)"
        )
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, now(), %s)", [old_key, personas.admin.pk])
    migration = importlib.import_module("agency.migrations.0005_convert_authtoken_keys")
    with connection.schema_editor() as schema_editor:
        migration.convert_authtoken_keys(django_apps, schema_editor)
    assert "authtoken_token" not in connection.introspection.table_names()
    assert status_with(old_key) == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM agency_apitoken")
        assert old_key not in repr(cursor.fetchall())
