"""Settings are read from the environment (each case re-imports them in a fresh process):
email goes out over SMTP once EMAIL_HOST is set, and a SQLite DATABASE_URL starts."""

import json
import subprocess
import sys

import pytest

from conftest import ROOT

STRONG_KEY = "p3rf-Xq9#vL2@zT7!mN4$wB8%kR1^cY6&hJ5*dF0(sG3)aE7_uI2+oP9=lK4~"
BASE_ENV = {"PATH": "/usr/bin:/bin", "SECRET_KEY": STRONG_KEY, "DJANGO_SETTINGS_MODULE": "agency.settings"}
EMAIL_NAMES = (
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "EMAIL_TIMEOUT",
    "DEFAULT_FROM_EMAIL",
    "SERVER_EMAIL",
)
SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"


def python(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=BASE_ENV | env, capture_output=True, text=True, timeout=120
    )


def settings_with(*names: str, **env: str) -> dict:
    """The named settings as a fresh process reads them with this environment."""
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {names!r}}}, default=str))"
    )
    result = python(code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def deploy_check(**env: str) -> subprocess.CompletedProcess:
    code = (
        "import django; from django.core.management import call_command; django.setup(); "
        "call_command('check', '--deploy', '--fail-level', 'WARNING')"
    )
    return python(
        code,
        DEBUG="0",
        SECURE_HTTPS="1",
        ALLOWED_HOSTS="relevo.example",
        CSRF_TRUSTED_ORIGINS="https://relevo.example",
        **env,
    )


def test_every_email_setting_is_read_from_the_environment():
    read = settings_with(
        *EMAIL_NAMES,
        EMAIL_HOST="smtp.relevo.example",
        EMAIL_PORT="2525",
        EMAIL_HOST_USER="relevo",
        EMAIL_HOST_PASSWORD="s3cret",
        EMAIL_USE_TLS="1",
        EMAIL_TIMEOUT="7",
        DEFAULT_FROM_EMAIL="Relevo <reports@relevo.example>",
        SERVER_EMAIL="errors@relevo.example",
    )
    assert read == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "smtp.relevo.example",
        "EMAIL_PORT": 2525,
        "EMAIL_HOST_USER": "relevo",
        "EMAIL_HOST_PASSWORD": "s3cret",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 7,
        "DEFAULT_FROM_EMAIL": "Relevo <reports@relevo.example>",
        "SERVER_EMAIL": "errors@relevo.example",
    }
    assert settings_with("EMAIL_USE_SSL", "EMAIL_USE_TLS", EMAIL_HOST="smtp.relevo.example", EMAIL_USE_SSL="1") == {
        "EMAIL_USE_SSL": True,
        "EMAIL_USE_TLS": False,
    }


def test_without_an_email_host_emails_are_printed_and_an_explicit_backend_wins():
    assert settings_with("EMAIL_BACKEND", "EMAIL_PORT", DEBUG="1") == {"EMAIL_BACKEND": CONSOLE, "EMAIL_PORT": 25}
    filebased = "django.core.mail.backends.filebased.EmailBackend"
    assert settings_with("EMAIL_BACKEND", EMAIL_HOST="smtp.relevo.example", EMAIL_BACKEND=filebased) == {
        "EMAIL_BACKEND": filebased
    }


def test_check_deploy_warns_when_emails_would_only_be_printed():
    result = deploy_check()
    assert result.returncode != 0
    assert "relevo.W021" in result.stderr
    assert "EMAIL_HOST" in result.stderr  # the hint says what to set
    assert deploy_check(EMAIL_HOST="smtp.relevo.example").returncode == 0


def test_check_deploy_refuses_tls_and_ssl_at_once():
    result = deploy_check(EMAIL_HOST="smtp.relevo.example", EMAIL_USE_TLS="1", EMAIL_USE_SSL="1")
    assert result.returncode != 0
    assert "relevo.E021" in result.stderr


def test_a_sqlite_database_url_gets_no_postgresql_options(tmp_path):
    databases = settings_with("DATABASES", DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path}/relevo.sqlite3")
    default = databases["DATABASES"]["default"]
    assert default["ENGINE"] == "django.db.backends.sqlite3"
    assert "application_name" not in default["OPTIONS"]
    assert default["OPTIONS"]["transaction_mode"] == "IMMEDIATE"  # the embedded database's own options


def test_a_postgresql_database_url_still_names_its_connections():
    databases = settings_with("DATABASES", DEBUG="1", DATABASE_URL="postgres://relevo@db.invalid:5432/relevo")
    assert databases["DATABASES"]["default"]["OPTIONS"]["application_name"].startswith("relevo:")


@pytest.mark.parametrize("command", [("check",), ("migrate", "--noinput", "-v0")])
def test_manage_py_runs_on_a_sqlite_database_url(tmp_path, command):
    result = subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=BASE_ENV | {"DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path}/relevo.sqlite3"},
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def exception_line(result: subprocess.CompletedProcess) -> str:
    """The last line of a failed start's traceback: the exception and its message."""
    assert result.returncode != 0
    return result.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("CHAT_MAX_BODY_CHARS", "4k", "a whole number"),
        ("EMAIL_PORT", "smtp", "a whole number"),
        ("VISIT_FLUSH_SECONDS", "soon", "a number"),
        ("REPORT_SWEEP_SECONDS", "half a minute", "a number"),  # read by the beat schedule (agency/beat.py)
        ("CHAT_ICE_SERVERS", '[{"urls": ', "JSON"),
    ],
)
def test_a_value_that_is_not_what_the_setting_expects_stops_the_start_naming_the_variable(name, value, expected):
    line = exception_line(python("from django.conf import settings; settings.DEBUG", **{name: value}))
    assert line.startswith("django.core.exceptions.ImproperlyConfigured: "), line
    assert f"{name}={value!r} is not {expected}" in line


def test_a_switch_that_is_neither_on_nor_off_stops_the_start_instead_of_meaning_off():
    line = exception_line(python("from django.conf import settings; settings.DEBUG", SECURE_HTTPS="ture"))
    assert line.startswith("django.core.exceptions.ImproperlyConfigured: SECURE_HTTPS='ture' is not one of 1, true")


def test_blank_numbers_and_switches_read_as_their_defaults():
    assert settings_with(
        "CHAT_MAX_BODY_CHARS",
        "VISIT_FLUSH_SECONDS",
        "SECURE_HTTPS",
        "EMAIL_PORT",
        CHAT_MAX_BODY_CHARS="",
        VISIT_FLUSH_SECONDS=" ",
        SECURE_HTTPS="",
        EMAIL_PORT="",
    ) == {"CHAT_MAX_BODY_CHARS": 4000, "VISIT_FLUSH_SECONDS": 5.0, "SECURE_HTTPS": False, "EMAIL_PORT": 25}
