"""Relevo's own deployment checks (`manage.py check --deploy`)."""
from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

WEAK_KEY_MARKERS = ("insecure", "changeme", "embedded")


def check_secret_key(app_configs, **kwargs) -> list[Error]:
    """The embedded key, or one that reads like a placeholder, signs nothing in production."""
    key = str(getattr(settings, "SECRET_KEY", ""))
    if key == settings.EMBEDDED_SECRET_KEY or any(marker in key.lower() for marker in WEAK_KEY_MARKERS):
        return [Error(
            "SECRET_KEY is the key embedded in Relevo's source (or a placeholder like it).",
            hint="Set SECRET_KEY in the environment to a long random value: "
                 "python -c 'import secrets; print(secrets.token_urlsafe(50))'.",
            id="relevo.E001",
        )]
    return []


def register_deploy_checks() -> None:
    register(check_secret_key, Tags.security, deploy=True)
