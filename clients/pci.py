"""Card numbers (PCI DSS 4.0.1, 3.4.1): masked before any text is stored or sent on.

It lives in `clients`, the bottom of the dependency order, so every app (chats,
offline messages, escalations, emails) masks with the same rule:
- a card number is 13–19 digits passing the Luhn check, written whole or in
  groups parted by short runs of spaces, newlines, dashes, dots, slashes,
  underscores or invisible characters; its first 6 and last 4 digits stay;
- the expiry date and security code written just after one are hidden whole;
- IBANs (ISO 7064 mod-97 valid) and phone numbers starting with "+" are not
  card numbers. Masking keeps the text's length, so it can be split back.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import unquote_plus

MASK = "•"
KEEP_FIRST, KEEP_LAST = 6, 4
MIN_DIGITS, MAX_DIGITS = 13, 19
MAX_PHONE_DIGITS = 15  # E.164
DETAILS_WINDOW = 40  # how far after a card number (or its last detail) an expiry or CVV is looked for

# What may part the digit groups of a card number: whitespace (newlines too), dashes,
# dots, slashes, underscores, a soft hyphen and zero-width characters.
SEPARATOR = r"\s\-\u2010-\u2015./_\u00ad\u200b-\u200d\u2060\ufeff"
DIGIT_RUN = re.compile(rf"(?<![\d{MASK}])\d(?:[{SEPARATOR}]{{0,6}}\d){{{MIN_DIGITS - 1},}}")
DIGIT_GROUP = re.compile(r"\d+")
LEADING_DIGIT = re.compile(rf"[{SEPARATOR}]*\d")
TRAILING_DIGIT = re.compile(rf"\d[{SEPARATOR}]*\Z")
TRAILING_SEPARATORS = re.compile(rf"[{SEPARATOR}]{{0,6}}\Z")

IBAN_CANDIDATE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}(?: ?[A-Za-z0-9]){11,30}")

_FILLER = r"[^\d•]{0,20}?"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:\d{4}|\d{2})"
EXPIRY_WORD = (
    r"exp(?:iry|ires?|iration|\.)?|valid\s+(?:thru|through|until|till|to)|good\s+thru"
    r"|vence|vencimiento|venc\.?|caduca|caducidad|v[aá]lid[ao]\s+hasta"
    r"|wa[żz]n[aey]\s+do|wa[żz]no[śs][ćc]|data\s+wa[żz]no[śs]ci|termin\s+wa[żz]no[śs]ci|wygasa"
)
CVV_WORD = (
    r"cvv2?|cvc2?|cvn|csc|cid|card\s+verification|security\s+(?:code|number)|sec\.?\s+code|code"
    r"|c[óo]digo|kod\w*"
)
CARD_DETAIL = re.compile(
    rf"\b(?:{EXPIRY_WORD}){_FILLER}(?<![\d•])(?P<expiry>{_MONTH}\s?[/\-.\s]\s?{_YEAR}|(?:0[1-9]|1[0-2])\d\d)(?!\d)"
    rf"|\b(?:{CVV_WORD})\b{_FILLER}(?<![\d•])(?P<cvv>\d{{3,4}})(?!\d)"
    rf"|(?<![\d•])(?P<date>{_MONTH}\s?[/\-]\s?{_YEAR})(?!\d)",
    re.IGNORECASE,
)
CVV_AFTER_EXPIRY = re.compile(r"[\s,;/\-]{1,3}(?P<cvv>\d{3,4})(?!\d)")


DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)  # a digit doubled, its two digits added
DOUBLED_CHARS = str.maketrans("0123456789", "".join(map(str, DOUBLED)))


def luhn_valid(digits: str) -> bool:
    if not digits.isascii():
        digits = "".join(str(int(char)) for char in digits)
    return (sum(map(int, digits[-1::-2])) + sum(map(int, digits[-2::-2].translate(DOUBLED_CHARS)))) % 10 == 0


def iban_valid(compact: str) -> bool:
    """ISO 13616 / ISO 7064 mod 97-10: the country and check digits moved to the end give 1."""
    if not 15 <= len(compact) <= 34 or not compact.isascii() or not compact.isalnum():
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def mask_card_numbers(text: str) -> tuple[str, bool]:
    """Return `text` with every card number masked to its first 6 and last 4 digits and
    the expiry and security code after it hidden, and whether anything was masked."""
    hidden: list[int] = []
    for digit_positions, card_end in _cards(text):
        hidden.extend(digit_positions)
        hidden.extend(_details_after(text, card_end))
    if not hidden:
        return text, False
    chars = list(text)
    for position in hidden:
        chars[position] = MASK
    return "".join(chars), True


def mask_url(url: str) -> str:
    """A page address with card numbers masked, also when they are percent- or plus-encoded
    (a form sent by GET): then the decoded address is kept, masked."""
    masked, _ = mask_card_numbers(url)
    decoded = unquote_plus(masked)
    if decoded != masked:
        decoded_masked, found = mask_card_numbers(decoded)
        if found:
            return decoded_masked
    return masked


def mask_card_number_across(parts: list[str]) -> list[str] | None:
    """Consecutive messages of one sender, oldest first, whose digit groups may form one card
    number together: each part masked, or None when joining them reveals nothing new."""
    masked, found = mask_card_numbers("\n".join(parts))
    if not found:
        return None
    result, start = [], 0
    for part in parts:
        result.append(masked[start:start + len(part)])
        start += len(part) + 1
    return None if result == parts else result


def starts_with_digit(text: str) -> bool:
    """May this message continue a card number begun in the previous one?"""
    return LEADING_DIGIT.match(text) is not None


def ends_with_digit(text: str) -> bool:
    return TRAILING_DIGIT.search(text) is not None


def _cards(text: str) -> Iterator[tuple[list[int], int]]:
    """Each card number in `text`: the positions of its digits to hide, and where it ends."""
    for start, end in _outside_ibans(text):
        for run in DIGIT_RUN.finditer(text, start, end):
            if _is_phone_number(text, run):
                continue
            groups = list(DIGIT_GROUP.finditer(text, run.start(), run.end()))
            digits = LuhnSums([group.group() for group in groups])
            index = 1 if _follows_masked_card(text, run.start()) else 0
            while index < len(groups):
                last = _longest_card_from(text, groups, digits, index)
                if last is None:
                    index += 1
                    continue
                yield _middle_digits(groups[index:last + 1]), groups[last].end()
                index = last + 1


class LuhnSums:
    """The digit groups of a run with prefix sums, so that the Luhn check of any slice takes
    constant time (a long run of short groups has thousands of candidate slices)."""

    def __init__(self, groups: list[str]):
        self.offsets = [0]  # where each group starts among the run's digits
        for group in groups:
            self.offsets.append(self.offsets[-1] + len(group))
        digits = "".join(groups)
        self.plain = ([0], [0])  # per parity of the index: the sum of the digits so far
        self.doubled = ([0], [0])  # the same with each digit doubled (its two digits added)
        for index, char in enumerate(digits):
            value = int(char)
            for parity in (0, 1):
                here = index % 2 == parity
                self.plain[parity].append(self.plain[parity][-1] + (value if here else 0))
                self.doubled[parity].append(self.doubled[parity][-1] + (DOUBLED[value] if here else 0))

    def luhn_valid(self, start: int, end: int) -> bool:
        """digits[start:end]: the last digit is never doubled, the one before it is, and so on."""
        last = (end - 1) % 2
        total = (self.plain[last][end] - self.plain[last][start]
                 + self.doubled[1 - last][end] - self.doubled[1 - last][start])
        return total % 10 == 0


def _outside_ibans(text: str) -> Iterator[tuple[int, int]]:
    """The stretches of `text` between valid IBANs."""
    start = position = 0
    while candidate := IBAN_CANDIDATE.search(text, position):
        iban_end = _iban_end(text, candidate)
        if iban_end is None:
            position = candidate.start() + 1
            continue
        yield start, candidate.start()
        start = position = iban_end
    yield start, len(text)


def _iban_end(text: str, candidate: re.Match) -> int | None:
    """Where the valid IBAN starting at `candidate` ends (trying shorter word-ends too)."""
    ends = [candidate.end()] + [
        position for position in range(candidate.end() - 1, candidate.start(), -1) if text[position] == " "
    ]
    for end in ends:
        if iban_valid(text[candidate.start():end].replace(" ", "").upper()):
            return end
    return None


def _is_phone_number(text: str, run: re.Match) -> bool:
    digits = sum(char.isdigit() for char in run.group())
    return run.start() > 0 and text[run.start() - 1] == "+" and digits <= MAX_PHONE_DIGITS


def _follows_masked_card(text: str, start: int) -> bool:
    """The run begins with the visible last digits of a card number masked before."""
    before = text[max(0, start - 7):start]
    separators = TRAILING_SEPARATORS.search(before)
    return before[:separators.start()].endswith(MASK)


def _longest_card_from(text: str, groups: list[re.Match], digits: LuhnSums, start: int) -> int | None:
    """The last group of the longest card number starting at `groups[start]`."""
    first = digits.offsets[start]
    best = None
    for end in range(start, len(groups)):
        end_digit = digits.offsets[end + 1]
        length = end_digit - first
        if length > MAX_DIGITS:
            break
        if length >= MIN_DIGITS and digits.luhn_valid(first, end_digit) and not _is_expiry_month(
                text, groups, start, end):
            best = end
    return best


def _is_expiry_month(text: str, groups: list[re.Match], start: int, end: int) -> bool:
    """`groups[end]` reads as the month of an expiry date ("… 1111 12/29"), not as card digits."""
    if end == start or end + 1 >= len(groups):
        return False
    month, year = groups[end].group(), groups[end + 1].group()
    separator = text[groups[end].end():groups[end + 1].start()].strip()
    return len(month) <= 2 and 1 <= int(month) <= 12 and separator in {"/", "-"} and len(year) in {2, 4}


def _middle_digits(groups: list[re.Match]) -> list[int]:
    positions = [group.start() + offset for group in groups for offset in range(len(group.group()))]
    return positions[KEEP_FIRST:len(positions) - KEEP_LAST]


def _details_after(text: str, card_end: int) -> Iterator[int]:
    """Digit positions of the expiry date and security code written shortly after a card number."""
    anchor = card_end
    for detail in CARD_DETAIL.finditer(text, card_end):
        if detail.start() - anchor > DETAILS_WINDOW:
            return
        spans = [detail.span(name) for name in ("expiry", "cvv", "date") if detail.group(name)]
        anchor = detail.end()
        if detail.group("cvv") is None:
            cvv = CVV_AFTER_EXPIRY.match(text, detail.end())
            if cvv:
                spans.append(cvv.span("cvv"))
                anchor = cvv.end()
        for start, end in spans:
            yield from (position for position in range(start, end) if text[position].isdigit())
