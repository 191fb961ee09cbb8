"""Card numbers (PCI DSS 4.0.1, 3.4.1): masked before any text is stored or sent on.

It lives in `clients`, the bottom of the dependency order, so every app (chats,
offline messages, escalations, emails) masks with the same rule.
"""
from __future__ import annotations

import re

# A run of at least 13 digits, single spaces or dashes allowed between them.
DIGIT_RUN = re.compile(r"(?<!\d)\d(?:[ -]?\d){12,}(?!\d)")
SEPARATOR = re.compile(r"([ -])")
MASK = "•"
KEEP_FIRST, KEEP_LAST = 6, 4
MIN_DIGITS, MAX_DIGITS = 13, 19


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def mask_card_numbers(text: str) -> tuple[str, bool]:
    """Return `text` with every Luhn-valid 13–19 digit number masked to its first 6
    and last 4 digits, and whether anything was masked."""
    masked_any = False

    def mask_run(match: re.Match) -> str:
        nonlocal masked_any
        parts = SEPARATOR.split(match.group())
        groups, separators = parts[0::2], parts[1::2]
        result, index = [], 0
        while index < len(groups):
            end = _longest_card_from(groups, index)
            if end is None:
                result.append(groups[index])
            else:
                masked_any = True
                result.append(_mask_groups(groups[index:end + 1], separators[index:end]))
                index = end
            if index < len(separators):
                result.append(separators[index])
            index += 1
        return "".join(result)

    return DIGIT_RUN.sub(mask_run, text), masked_any


def _longest_card_from(groups: list[str], start: int) -> int | None:
    """The last group index of the longest card number starting at `groups[start]`."""
    best, digits = None, ""
    for end in range(start, len(groups)):
        digits += groups[end]
        if len(digits) > MAX_DIGITS:
            break
        if len(digits) >= MIN_DIGITS and luhn_valid(digits):
            best = end
    return best


def _mask_groups(groups: list[str], separators: list[str]) -> str:
    total = sum(len(group) for group in groups)
    seen, out = 0, []
    for number, group in enumerate(groups):
        for char in group:
            keep = seen < KEEP_FIRST or seen >= total - KEEP_LAST
            out.append(char if keep else MASK)
            seen += 1
        if number < len(separators):
            out.append(separators[number])
    return "".join(out)
