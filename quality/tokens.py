"""The NPS survey's one-click link: a signed survey id (django.core.signing), no login.

It expires after NPS_LINK_MAX_AGE_DAYS; single use is the survey's own `answered_at`."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

SALT = "relevo.nps-survey"


class InvalidSurveyLink(Exception):
    def __init__(self, *, is_expired: bool):
        super().__init__("expired" if is_expired else "tampered")
        self.is_expired = is_expired


def survey_token(survey_id: int) -> str:
    return signing.dumps({"survey": survey_id}, salt=SALT, compress=True)


def survey_id_of(token: str) -> int:
    """The survey a link names; raises InvalidSurveyLink when it was altered or is too old."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.NPS_LINK_MAX_AGE_DAYS * 86400)
    except signing.SignatureExpired:
        raise InvalidSurveyLink(is_expired=True) from None
    except signing.BadSignature:
        raise InvalidSurveyLink(is_expired=False) from None
    if not isinstance(data, dict) or not isinstance(data.get("survey"), int):
        raise InvalidSurveyLink(is_expired=False)
    return data["survey"]
