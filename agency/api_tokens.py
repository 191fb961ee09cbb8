"""REST API tokens: issue, find and revoke. Keys are random and high-entropy, so one
SHA-256 digest per key is enough; the plaintext key exists only in the issuer's output."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from agency.models import ApiToken

KEY_BYTES = 20  # 40 hex characters, the length integrations already handle
PREFIX_LENGTH = 8
LAST_USED_PRECISION = timedelta(minutes=5)  # no write on every request


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_api_token(*, user, name: str = "", expires_days: int | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the key, which is never stored."""
    key = secrets.token_hex(KEY_BYTES)
    expires_at = timezone.now() + timedelta(days=expires_days) if expires_days else None
    token = ApiToken.objects.create(
        user=user, name=name, key_prefix=key[:PREFIX_LENGTH], digest=digest_of(key), expires_at=expires_at
    )
    return token, key


def find_api_token(key: str) -> ApiToken | None:
    """The token whose key this is (usable or not), compared in constant time; None if unknown."""
    digest = digest_of(key)
    for token in ApiToken.objects.select_related("user").filter(key_prefix=key[:PREFIX_LENGTH]):
        if hmac.compare_digest(token.digest, digest):
            return token
    return None


def mark_used(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


def revoke_api_tokens(tokens: QuerySet[ApiToken]) -> int:
    """Revoke the still-active tokens among `tokens`; returns how many were revoked."""
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
