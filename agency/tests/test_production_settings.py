"""Production settings pass Django's deployment checklist, and Relevo's own pages carry a CSP."""

import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model

from clients.models import Representative
from conftest import ROOT, make_agent, make_client

pytestmark = pytest.mark.django_db


def test_check_deploy_passes_with_production_settings():
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "0",
        "SECURE_HTTPS": "1",
        "SECRET_KEY": "p3rf-Xq9#vL2@zT7!mN4$wB8%kR1^cY6&hJ5*dF0(sG3)aE7_uI2+oP9=lK4~",
        "ALLOWED_HOSTS": "relevo.example",
        "CSRF_TRUSTED_ORIGINS": "https://relevo.example",
        "DATABASE_URL": "postgres://relevo@db.invalid:5432/relevo",
        "REDIS_URL": "redis://redis.invalid:6379/0",
        "EMAIL_HOST": "smtp.relevo.example",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.core.management import call_command; django.setup(); "
            "call_command('check', '--deploy', '--fail-level', 'WARNING')",
        ],
        cwd=ROOT,
        env=env | {"DJANGO_SETTINGS_MODULE": "agency.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout + result.stderr


def csp_of(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


def test_the_console_has_a_strict_content_security_policy(client):
    agent = make_agent("ana", make_client("Shop"))
    client.force_login(agent.user)
    response = client.get("/console/")
    assert response.status_code == 200
    policy = csp_of(response)
    assert policy["script-src"] == "script-src 'self'"
    assert policy["default-src"] == "default-src 'self'"
    assert policy["connect-src"] == "connect-src 'self'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert "<script>" not in response.content.decode()  # no inline script the policy would block


def test_the_portal_has_the_content_security_policy(client):
    user = get_user_model().objects.create_user("olga", "olga@example.com", "pw")
    Representative.objects.create(user=user, client=make_client("Shop"))
    client.force_login(user)
    for path in ("/portal/", "/portal/reports/"):
        response = client.get(path)
        assert response.status_code == 200
        assert csp_of(response)["script-src"] == "script-src 'self'"
    assert "Content-Security-Policy" in client.get("/accounts/login/")


def test_the_widget_endpoints_and_demo_pages_have_no_policy_of_ours(client):
    shop = make_client("Demo Shop", slug="demo-shop")
    for response in (
        client.get("/demo/"),
        client.get(f"/api/widget/{shop.widget_key}/"),
        client.post(f"/api/widget/{shop.widget_key}/conversations/", data="{}", content_type="application/json"),
        client.post(f"/api/widget/{shop.widget_key}/offline-messages/", data="{}", content_type="application/json"),
    ):
        assert "Content-Security-Policy" not in response, response.request["PATH_INFO"]
