"""Relevo's own deployment checks (`manage.py check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

WEAK_KEY_MARKERS = ("insecure", "changeme", "embedded")


def check_secret_key(app_configs, **kwargs) -> list[Error]:
    """The embedded key, or one that reads like a placeholder, signs nothing in production."""
    key = str(getattr(settings, "SECRET_KEY", ""))
    if key == settings.EMBEDDED_SECRET_KEY or any(marker in key.lower() for marker in WEAK_KEY_MARKERS):
        return [
            Error(
                "SECRET_KEY is the key embedded in Relevo's source (or a placeholder like it).",
                hint="Set SECRET_KEY in the environment to a long random value: "
                "python -c 'import secrets; print(secrets.token_urlsafe(50))'.",
                id="relevo.E001",
            )
        ]
    return []


# Backends that deliver no email to anyone: a report or a password reset sent through them is lost.
UNDELIVERING_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend": "printed to the worker's log",
    "django.core.mail.backends.dummy.EmailBackend": "dropped",
    "django.core.mail.backends.locmem.EmailBackend": "kept in memory",
}


def check_email(app_configs, **kwargs) -> list[Error | Warning]:
    """Escalation reports, transcripts, lead alerts and password resets are emails: they must leave."""
    problems: list[Error | Warning] = []
    fate = UNDELIVERING_EMAIL_BACKENDS.get(settings.EMAIL_BACKEND)
    if fate and not settings.DEBUG:
        problems.append(
            Warning(
                f"Emails are {fate}, not sent (EMAIL_BACKEND is {settings.EMAIL_BACKEND}): "
                "escalation reports, transcripts and password resets reach nobody.",
                hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS "
                "or EMAIL_USE_SSL) in the environment: Relevo then sends over SMTP (README, Production).",
                id="relevo.W021",
            )
        )
    if settings.EMAIL_USE_TLS and settings.EMAIL_USE_SSL:
        problems.append(
            Error(
                "EMAIL_USE_TLS and EMAIL_USE_SSL are both on: every email would fail.",
                hint="Keep one: EMAIL_USE_TLS for STARTTLS (usually port 587), EMAIL_USE_SSL for TLS "
                "from the first byte (usually port 465).",
                id="relevo.E021",
            )
        )
    return problems


def register_deploy_checks() -> None:
    register(check_secret_key, Tags.security, deploy=True)
    register(check_email, "email", deploy=True)
