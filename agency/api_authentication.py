"""`Authorization: Token <key>` for the REST API, against hashed `ApiToken`s, with
guessing throttled per client IP."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from agency.api_tokens import find_api_token, mark_used
from core import limits


class TokenGuessingThrottled(exceptions.Throttled):
    """429 `rate_limited` with Retry-After (core.api_errors shapes the body)."""

    default_code = "rate_limited"
    default_detail = _("Too many wrong API tokens from your address.")


def failures_key(ip: str) -> str:
    return f"api-token-failures:ip:{ip}"


class ApiTokenAuthentication(TokenAuthentication):
    """Decides who a `Token` header belongs to. A wrong key counts against the caller's IP
    (API_TOKEN_FAILURES_PER_IP_PER_HOUR); past it, every token from that IP is refused with
    429 until the hour ends, a right one too, so the limit cannot be guessed around."""

    def authenticate(self, request):
        self.client_ip = request.META.get("REMOTE_ADDR", "")
        return super().authenticate(request)

    def authenticate_credentials(self, key):
        counter = {"limit": settings.API_TOKEN_FAILURES_PER_IP_PER_HOUR, "window_seconds": 3600}
        retry_after = limits.over_limit(failures_key(self.client_ip), **counter)
        if retry_after:
            raise TokenGuessingThrottled(wait=retry_after)
        token = find_api_token(key)
        if token is None:
            retry_after = limits.hit(failures_key(self.client_ip), **counter)
            if retry_after:
                raise TokenGuessingThrottled(wait=retry_after)
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token was revoked."))
        if not token.is_usable_at(timezone.now()):
            raise exceptions.AuthenticationFailed(_("This token has expired."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        mark_used(token)
        return (token.user, token)
