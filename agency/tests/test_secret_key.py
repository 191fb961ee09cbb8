"""Without a SECRET_KEY of its own, Relevo refuses to start unless DEBUG is on."""

import subprocess
import sys

from agency.settings import EMBEDDED_SECRET_KEY
from conftest import ROOT

STRONG_KEY = "p3rf-Xq9#vL2@zT7!mN4$wB8%kR1^cY6&hJ5*dF0(sG3)aE7_uI2+oP9=lK4~"


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "agency.settings", **env},
    )


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY is not set" in result.stderr


def test_it_refuses_the_embedded_key_when_debug_is_off():
    result = manage("check", DEBUG="0", SECRET_KEY=EMBEDDED_SECRET_KEY)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_it_starts_with_a_key_of_its_own():
    result = manage("check", DEBUG="0", SECRET_KEY=STRONG_KEY)
    assert result.returncode == 0, result.stderr


def test_a_debug_run_keeps_the_embedded_key():
    result = manage("check", DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_check_deploy_flags_the_embedded_key():
    result = manage("check", "--deploy", DEBUG="1")
    assert result.returncode != 0
    assert "relevo.E001" in result.stderr + result.stdout


def test_check_deploy_flags_a_placeholder_key():
    result = manage("check", "--deploy", DEBUG="1", SECRET_KEY="changeme-" + STRONG_KEY)
    assert "relevo.E001" in result.stderr + result.stdout
