"""Every page names an icon, and browsers asking /favicon.ico get it."""

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_pages_link_the_svg_icon(client):
    assert b'rel="icon" href="/static/favicon.svg"' in client.get("/").content
    assert finders.find("favicon.svg")


def test_favicon_ico_redirects_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"
