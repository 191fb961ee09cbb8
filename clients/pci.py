"""Card numbers (PCI DSS 4.0.1, 3.4.1): masked before any text is stored or sent on.

It lives in `clients`, the bottom of the dependency order, so every app (chats,
offline messages, escalations, emails) masks with the same rule:
- text is read as a browser or a server shows it: percent-escapes, HTML character
  references and tags are decoded first (`Decoded`); masking hides the characters a
  digit was written with, so the text keeps its length and can be split back;
- a card number is 13–19 digits passing the Luhn check, written whole or in groups
  parted by any short run of characters that are neither letters nor digits (spaces,
  punctuation of any script, markup, escapes); its first 6 and last 4 digits stay;
- the expiry date and security code written just after one are hidden whole, and so are
  those its sender gives in their next few messages (`mask_following_messages`);
- IBANs (ISO 7064 mod-97 valid) and phone numbers starting with "+" are not card numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import Enum
from urllib.parse import unquote_plus

from clients.decoding import Decoded

MASK = "•"
KEEP_FIRST, KEEP_LAST = 6, 4
MIN_DIGITS, MAX_DIGITS = 13, 19
MAX_PHONE_DIGITS = 15  # E.164
MAX_SEPARATOR = 12  # characters between two digit groups of one number (a tag or an escape counts as one)
DETAILS_WINDOW = 40  # how far after a card number (or its last detail) an expiry or CVV is looked for
FOLLOW_UP_MESSAGES = 3  # a sender's messages before a new one that may hold the start of its card number
FOLLOW_UP_SECONDS = 600  # ... and how old they may be: a card typed in parts, its CVV sent after it

# Neither a letter nor a digit (a separator) but not the mask: two masks in a row are masked digits.
NOT_ALPHANUMERIC = rf"(?:[^\w{MASK}]|_)"
# The usual ways of parting a card's digits: whitespace (newlines too), dashes, dots, slashes,
# underscores, a soft hyphen and zero-width characters. Any other run (a comma, a colon, a middle
# dot, a tag, seven spaces) parts only groups of MIN_LOOSE_GROUP digits or more, as cards are
# written: so prices ("12,99 €") and times ("10:00") are never read as one number.
TIGHT_SEPARATOR = re.compile(r"[\s\-\u2010-\u2015./_\u00ad\u200b-\u200d\u2060\ufeff]{0,6}")
MIN_LOOSE_GROUP = 3
DIGIT = re.compile(r"\d")
DIGIT_RUN = re.compile(rf"(?<!\d)(?<!\d{MASK})(?<!{MASK}{MASK})\d(?:[\W_]{{0,{MAX_SEPARATOR}}}\d){{{MIN_DIGITS - 1},}}")
DIGIT_GROUP = re.compile(r"\d+")
LEADING_DIGIT = re.compile(rf"{NOT_ALPHANUMERIC}{{0,{MAX_SEPARATOR}}}\d")
TRAILING_DIGIT = re.compile(rf"\d{NOT_ALPHANUMERIC}{{0,{MAX_SEPARATOR}}}\Z")
TRAILING_SEPARATORS = re.compile(rf"{NOT_ALPHANUMERIC}*\Z")
TWO_DIGITS = re.compile(r"\d\d")

IBAN_CANDIDATE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}(?: ?[A-Za-z0-9]){11,30}")

_FILLER = r"[^\d•]{0,20}?"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:\d{4}|\d{2})"
_DATE = rf"{_MONTH}\s?[/\-.]\s?{_YEAR}(?!\d)"
_NO_LETTER_BEFORE, _NO_LETTER_AFTER = r"(?<![^\W\d_])", r"(?![^\W\d_])"  # "cvv123" is a word and a code
EXPIRY_WORD = (
    r"exp(?:iry|ires?|iration|\.)?|valid\s+(?:thru|through|until|till|to)|good\s+thru"
    r"|vence|vencimiento|venc\.?|caduca|caducidad|v[aá]lid[ao]\s+hasta"
    r"|wa[żz]n[aey]\s+do|wa[żz]no[śs][ćc]|data\s+wa[żz]no[śs]ci|termin\s+wa[żz]no[śs]ci|wygasa"
)
CVV_WORD = (
    r"cvv2?|cvc2?|cvn|csc|cid|card\s+verification|security\s+(?:code|number)|sec\.?\s+code|code"
    r"|(?:digits?|numbers?)\s+(?:on|at)\s+(?:the\s+)?back|back\s+of\s+(?:the\s+|my\s+)?card"
    r"|c[óo]digo|(?:d[ií]gitos|n[uú]meros)\s+(?:de\s+atr[aá]s|del\s+reverso|de\s+la\s+parte\s+de\s+atr[aá]s)"
    r"|kod\w*|cyfr[ya]?\s+(?:z\s+ty[łl]u|na\s+odwrocie|na\s+rewersie)"
)
CARD_DETAIL = re.compile(
    rf"{_NO_LETTER_BEFORE}(?:{EXPIRY_WORD}){_FILLER}(?<![\d•])"
    rf"(?P<expiry>{_MONTH}\s?[/\-.\s]\s?{_YEAR}|(?:0[1-9]|1[0-2])\d\d)(?!\d)"
    rf"|{_NO_LETTER_BEFORE}(?:{CVV_WORD}){_NO_LETTER_AFTER}{_FILLER}(?<![\d•])(?P<cvv>\d{{3,4}})(?!\d)"
    rf"|(?<![\d•])(?P<date>{_MONTH}\s?[/\-]\s?{_YEAR})(?!\d)",
    re.IGNORECASE,
)
DETAIL_WORD = re.compile(rf"{EXPIRY_WORD}|{CVV_WORD}")  # in lower case: faster than IGNORECASE
DETAILS_REACH = DETAILS_WINDOW + 100  # a detail starting within the window ends before this
CVV_AFTER_EXPIRY = re.compile(r"[\s,;/\-]{1,3}(?P<cvv>\d{3,4})(?!\d)")
# A message that is only a security code or an expiry date, or both (said after a card number).
_CODE_OR_DATE = rf"(?:(?<!\d)\d{{3,4}}(?!\d)|(?<!\d){_DATE})"
BARE_DETAILS = re.compile(
    rf"{NOT_ALPHANUMERIC}*{_CODE_OR_DATE}(?:{NOT_ALPHANUMERIC}+{_CODE_OR_DATE})?"
    rf"{NOT_ALPHANUMERIC}*"
)
# What a masked card number leaves: masked digits, then its last four.
MASKED_CARD = re.compile(
    rf"{MASK}{MASK}[\W_]{{0,{MAX_SEPARATOR}}}?\d(?:{NOT_ALPHANUMERIC}{{0,{MAX_SEPARATOR}}}\d){{3}}"
)


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
    if len(DIGIT.findall(text)) < MIN_DIGITS:  # the hot path
        return text, False
    decoded = Decoded(text)
    hidden: list[int] = []
    for digit_positions, card_end in _cards(decoded.seen):
        hidden.extend(digit_positions)
        hidden.extend(_details_after(decoded.seen, card_end))
    return (decoded.masked(hidden, MASK), True) if hidden else (text, False)


def mask_card_details(text: str) -> tuple[str, bool]:
    """Return `text`, a message its sender wrote soon after a card number, with the expiry and
    security code it gives hidden, and whether anything was masked: named ones near its start
    ("cvv 4321 exp 11/28", "the 3 digits on the back are 456"), or the whole message ("456",
    "11/28 456"). A date further on, or alone in a sentence, is left as it is."""
    if TWO_DIGITS.search(text, 0, DETAILS_REACH) is None:  # the hot path
        return text, False
    decoded = Decoded(text)
    hidden = list(_details_from_start(decoded.seen))
    return (decoded.masked(hidden, MASK), True) if hidden else (text, False)


def _details_from_start(text: str) -> Iterator[int]:
    if BARE_DETAILS.fullmatch(text):
        yield from (position for position, char in enumerate(text) if char.isdigit())
        return
    if DETAIL_WORD.search(text[:DETAILS_REACH].lower()) is None:  # the cheap question first
        return
    for detail in CARD_DETAIL.finditer(text, 0, DETAILS_REACH):  # details near the start only
        if detail.start() > DETAILS_WINDOW:
            return
        if detail.group("date") is None:  # a date alone may be any date
            yield from _details_after(text, detail.start())
            return


def has_masked_card(text: str) -> bool:
    """Does this (stored) text hold a card number masked before?"""
    return MASK in text and MASKED_CARD.search(Decoded(text).seen) is not None


def mask_url(url: str) -> str:
    """A page address with card numbers masked, also when they are percent- or plus-encoded
    (a form sent by GET; "%34%31%31%31…" too, whose digits `Decoded` keeps as written): then the
    decoded address is kept, masked."""
    masked, found = mask_card_numbers(url)
    decoded = unquote_plus(masked)
    if decoded == masked:
        return masked
    decoded_masked, found_decoded = mask_card_numbers(decoded)
    return decoded_masked if found or found_decoded else url


def mask_card_number_across(parts: list[str]) -> list[str] | None:
    """Consecutive messages of one sender, oldest first, whose digit groups may form one card
    number together: each part masked, or None when joining them reveals nothing new."""
    masked, found = mask_card_numbers("\n".join(parts))
    if not found:
        return None
    result, start = [], 0
    for part in parts:
        result.append(masked[start : start + len(part)])
        start += len(part) + 1
    return None if result == parts else result


class FollowUp(Enum):
    """What a new message may add to its sender's previous ones (`follow_up_of`)."""

    NONE = "none"
    DETAILS = "details"  # the expiry or security code of a card number masked in them, nothing more
    CONTINUATION = "continuation"  # the rest of a card number begun in them (and maybe its details)


def follow_up_of(text: str) -> FollowUp:
    """May this message continue a card number begun in its sender's previous messages, or give
    the expiry or security code of one? Only then are those messages read (the hot path); details
    alone matter only when one of them holds a masked card (`has_masked_card`)."""
    if starts_with_digit(text):
        return FollowUp.CONTINUATION
    return FollowUp.DETAILS if mask_card_details(text)[1] else FollowUp.NONE


def may_follow_card(text: str) -> bool:
    """`follow_up_of(text)`, as a question: may this message change its sender's previous ones?"""
    return follow_up_of(text) is not FollowUp.NONE


def mask_following_messages(earlier: list[str], body: str) -> list[str] | None:
    """A sender's previous messages (the last FOLLOW_UP_MESSAGES within FOLLOW_UP_SECONDS, oldest
    first, as stored) and their new `body`, each masked when together they hold a card number
    or `body` gives the details of one masked before; None when nothing changes."""
    chain = _digit_chain(earlier) if starts_with_digit(body) else []
    joined = mask_card_number_across(chain + [body]) if chain else None
    parts = [*earlier[: len(earlier) - len(chain)], *joined] if joined else [*earlier, body]
    if any(has_masked_card(part) for part in parts[:-1]):
        parts[-1] = mask_card_details(parts[-1])[0]
    return None if parts == [*earlier, body] else parts


def _digit_chain(earlier: list[str]) -> list[str]:
    """The last of `earlier` that a card number may run through: each ends with a digit, and all
    but the first start with one."""
    chain: list[str] = []
    for part in reversed(earlier):
        if not ends_with_digit(part):
            break
        chain.insert(0, part)
        if not starts_with_digit(part):
            break
    return chain


def starts_with_digit(text: str) -> bool:
    """May this message continue a card number begun in the previous one?"""
    return LEADING_DIGIT.match(text) is not None or (
        text[:1] in {"%", "&", "<"} and LEADING_DIGIT.match(Decoded(text).seen) is not None
    )


def ends_with_digit(text: str) -> bool:
    return TRAILING_DIGIT.search(Decoded(text).seen) is not None


def _cards(text: str) -> Iterator[tuple[list[int], int]]:
    """Each card number in `text`: the positions of its digits to hide, and where it ends."""
    for start, end in _outside_ibans(text):
        for run in DIGIT_RUN.finditer(text, start, end):
            if _is_phone_number(text, run):
                continue
            for groups, follows_masked_card in _pieces(text, run):
                digits = LuhnSums([group.group() for group in groups])
                index = 1 if follows_masked_card else 0
                while index < len(groups):
                    last = _longest_card_from(text, groups, digits, index)
                    if last is None:
                        index += 1
                        continue
                    yield _middle_digits(groups[index : last + 1]), groups[last].end()
                    index = last + 1


def _pieces(text: str, run: re.Match) -> Iterator[tuple[list[re.Match], bool]]:
    """The digit groups of a run, cut where masked digits (two masks or more) part them or an
    unusual separator parts short groups, and whether each piece begins with the visible last
    digits of a card number masked before."""
    piece: list[re.Match] = []
    follows_masked_card = _follows_masked_card(text, run.start())
    for group in DIGIT_GROUP.finditer(text, run.start(), run.end()):
        if piece and text.count(MASK, piece[-1].end(), group.start()) >= 2:
            yield piece, follows_masked_card
            piece, follows_masked_card = [], True
        elif piece and not _may_part_one_number(text, piece[-1], group):
            yield piece, follows_masked_card
            piece, follows_masked_card = [], False
        piece.append(group)
    yield piece, follows_masked_card


def _may_part_one_number(text: str, before: re.Match, after: re.Match) -> bool:
    if TIGHT_SEPARATOR.fullmatch(text, before.end(), after.start()):
        return True
    return min(before.end() - before.start(), after.end() - after.start()) >= MIN_LOOSE_GROUP


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
        total = (
            self.plain[last][end]
            - self.plain[last][start]
            + self.doubled[1 - last][end]
            - self.doubled[1 - last][start]
        )
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
        if iban_valid(text[candidate.start() : end].replace(" ", "").upper()):
            return end
    return None


def _is_phone_number(text: str, run: re.Match) -> bool:
    digits = sum(char.isdigit() for char in run.group())
    return run.start() > 0 and text[run.start() - 1] == "+" and digits <= MAX_PHONE_DIGITS


def _follows_masked_card(text: str, start: int) -> bool:
    """The run begins with the visible last digits of a card number masked before (masked digits,
    two masks at least: one is a bullet parting groups)."""
    before = text[max(0, start - MAX_SEPARATOR - 2) : start]
    separators = TRAILING_SEPARATORS.search(before)
    return before[: separators.start()].endswith(MASK * 2)


def _longest_card_from(text: str, groups: list[re.Match], digits: LuhnSums, start: int) -> int | None:
    """The last group of the longest card number starting at `groups[start]`."""
    first = digits.offsets[start]
    best = None
    for end in range(start, len(groups)):
        end_digit = digits.offsets[end + 1]
        length = end_digit - first
        if length > MAX_DIGITS:
            break
        if (
            length >= MIN_DIGITS
            and digits.luhn_valid(first, end_digit)
            and not _is_expiry_month(text, groups, start, end)
        ):
            best = end
    return best


def _is_expiry_month(text: str, groups: list[re.Match], start: int, end: int) -> bool:
    """`groups[end]` reads as the month of an expiry date ("… 1111 12/29"), not as card digits."""
    if end == start or end + 1 >= len(groups):
        return False
    month, year = groups[end].group(), groups[end + 1].group()
    separator = text[groups[end].end() : groups[end + 1].start()].strip()
    return len(month) <= 2 and 1 <= int(month) <= 12 and separator in {"/", "-"} and len(year) in {2, 4}


def _middle_digits(groups: list[re.Match]) -> list[int]:
    positions = [group.start() + offset for group in groups for offset in range(len(group.group()))]
    return positions[KEEP_FIRST : len(positions) - KEEP_LAST]


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
