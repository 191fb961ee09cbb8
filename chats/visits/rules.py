"""Which proactive rule a visit matches now, and when to look again (no I/O: rules are loaded at hello)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Rule:
    id: int
    min_seconds_on_page: int
    url_contains: str
    min_cart_value: Decimal | None
    returning_only: bool
    min_pages_seen: int
    language: str


def rule_of(model) -> Rule:
    return Rule(
        id=model.pk,
        min_seconds_on_page=model.min_seconds_on_page,
        url_contains=model.url_contains,
        min_cart_value=model.min_cart_value,
        returning_only=model.returning_only,
        min_pages_seen=model.min_pages_seen,
        language=model.language.lower(),
    )


def holds_now(rule: Rule, visit) -> bool:
    """Every condition but the time on the page."""
    if rule.url_contains and rule.url_contains.lower() not in visit.page_url.lower():
        return False
    if rule.min_cart_value is not None and (visit.cart_value is None or visit.cart_value < rule.min_cart_value):
        return False
    if rule.returning_only and not visit.is_returning:
        return False
    if visit.pages_seen < rule.min_pages_seen:
        return False
    language = (visit.language or "").lower()
    return not rule.language or language == rule.language or language.split("-")[0] == rule.language


def next_match(rules: list[Rule], visit, now: datetime) -> tuple[Rule | None, float | None]:
    """(the first rule that matches now, None) or (None, seconds until one may match, or None if none can)."""
    wait = None
    on_page = (now - visit.page_started_at).total_seconds()
    for rule in rules:
        if not holds_now(rule, visit):
            continue
        left = rule.min_seconds_on_page - on_page
        if left <= 0:
            return rule, None
        wait = left if wait is None else min(wait, left)
    return None, wait
