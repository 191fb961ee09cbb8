"""Links in emails point where Relevo is served: RELEVO_BASE_URL, else the HOST and PORT ./run serves on."""

import os
import subprocess
import sys

import pytest
from django.urls import reverse

from conftest import ROOT
from reports.delivery.emails import absolute

PRINT_REPORT_LINK = (
    "import django; django.setup()\n"
    "from django.urls import reverse\n"
    "from reports.delivery.emails import absolute\n"
    "print(absolute(reverse('portal:report', args=[7])))\n"
)


def report_link_in_a_fresh_process(**env) -> str:
    clean = {key: value for key, value in os.environ.items() if key not in {"RELEVO_BASE_URL", "HOST", "PORT"}}
    result = subprocess.run(
        [sys.executable, "-c", PRINT_REPORT_LINK],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=clean | {"DJANGO_SETTINGS_MODULE": "agency.settings"} | env,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def test_report_links_use_the_port_run_serves_on_when_no_base_url_is_set():
    assert report_link_in_a_fresh_process(PORT="8123") == "http://127.0.0.1:8123/portal/reports/7/"


def test_report_links_use_the_host_and_port_run_serves_on():
    assert (
        report_link_in_a_fresh_process(HOST="relevo.test", PORT="9000") == "http://relevo.test:9000/portal/reports/7/"
    )


def test_a_wildcard_host_links_to_this_machine():
    assert report_link_in_a_fresh_process(HOST="0.0.0.0", PORT="8123")  # noqa: S104 == "http://127.0.0.1:8123/portal/reports/7/"


def test_an_explicit_base_url_wins_over_host_and_port():
    link = report_link_in_a_fresh_process(RELEVO_BASE_URL="https://relevo.example/", PORT="8123")
    assert link == "https://relevo.example/portal/reports/7/"


@pytest.mark.parametrize("base_url", ["https://relevo.example", "https://relevo.example/"])
def test_links_follow_the_setting(settings, base_url):
    settings.RELEVO_BASE_URL = base_url
    assert absolute(reverse("portal:portal")) == "https://relevo.example/portal/"
