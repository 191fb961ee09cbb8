"""A card number is masked however its digit groups are parted (issue 21, item 16): any short run
of characters that are neither letters nor digits, markup, escapes; and the security code said
after it, in the same message or in the sender's next ones. Look-alikes stay as they are."""

import re
from urllib.parse import quote

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from clients.decoding import Decoded
from clients.pci import (
    MASK,
    MAX_SEPARATOR,
    MIN_LOOSE_GROUP,
    luhn_valid,
    mask_card_details,
    mask_card_numbers,
    mask_following_messages,
    may_follow_card,
)

# Each of these was stored, relayed, indexed and emailed in the clear before.
FORMS = [
    ("4111,1111,1111,1111", "4111,11••,••••,1111"),
    ("4111:1111:1111:1111", "4111:11••:••••:1111"),
    ("4111·1111·1111·1111", "4111·11••·••••·1111"),
    ("4111•1111•1111•1111", "4111•11••••••••1111"),
    ("?card=4111+1111+1111+1111", "?card=4111+11••+••••+1111"),
    ("?card=4111%201111%201111%201111", "?card=4111%2011••%20••••%201111"),
    ("4111       1111       1111       1111", "4111       11••       ••••       1111"),
    ("4111<b>1111</b>1111<i>1111</i>", "4111<b>11••</b>••••<i>1111</i>"),
]


@pytest.mark.parametrize("text, expected", FORMS)
def test_a_card_number_parted_by_any_separator_is_masked(text, expected):
    assert mask_card_numbers(text) == (expected, True)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("card4111111111111111cvv123", "card411111••••••1111cvv•••"),
        (
            "4111 1111 1111 1111, the 3 digits on the back are 456",
            "4111 11•• •••• 1111, the 3 digits on the back are •••",
        ),
        ("4111&nbsp;1111&#32;1111&#x20;1111", "4111&nbsp;11••&#32;••••&#x20;1111"),
        ("4111%1111%1111%1111 ok", "4111%11••%••••%1111 ok"),  # "%11" is not read as an escape: it hides digits
        ("%E2%80%A24111%C2%A01111%E2%80%A21111%2C1111", "%E2%80%A24111%C2%A011••%E2%80%A2••••%2C1111"),
    ],
)
def test_a_code_glued_to_its_word_and_other_escapes_are_masked_too(text, expected):
    assert mask_card_numbers(text) == (expected, True)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("cvv 4321 exp 11/28", "cvv •••• exp ••/••"),
        ("… the 3 digits on the back are 456", "… the 3 digits on the back are •••"),
        ("456", "•••"),
        ("11/28 456", "••/•• •••"),
        ("y el código es 987", "y el código es •••"),
        ("kod 123", "kod •••"),
    ],
)
def test_a_security_code_said_after_a_masked_card_is_masked(text, expected):
    assert mask_following_messages(["my card is 4111 11•• •••• 1111"], text) == [
        "my card is 4111 11•• •••• 1111",
        expected,
    ]
    assert may_follow_card(text)  # the batch path sends it the slow way, which reads the earlier messages


@pytest.mark.parametrize(
    "text",
    [
        "thanks, when does it arrive?",
        "I ordered 2 shirts for 150 EUR",
        "see you on 12/05",
        "it was delivered on 2026-11-05 at 10:30",
    ],
)
def test_what_follows_a_card_without_its_details_is_left_alone(text):
    assert mask_following_messages(["my card is 4111 11•• •••• 1111"], text) is None


def test_a_security_code_without_a_card_before_it_is_left_alone():
    assert mask_following_messages(["hello", "my order is 4521"], "cvv 123") is None


def test_a_card_typed_over_messages_is_masked_in_every_part_and_so_is_its_code_after_it():
    assert mask_following_messages(["4111,1111"], "1111:1111") == ["4111,11••", "••••:1111"]
    assert mask_following_messages(["4111,11••", "••••:1111"], "cvv 321") == ["4111,11••", "••••:1111", "cvv •••"]


@pytest.mark.parametrize(
    "text",
    [
        "order 58213, 58214 and 58215 arrived",
        "total 1.299,00 € (12,99 € + 1.286,01 €)",
        "open 10:00–18:00, Saturdays 10:00–14:00",
        "call me on +48 600 700 800, or +34 612 345 678",
        "tracking: 1Z999AA10123456784",
        "see you 12/05/2026 at 10:30",
        "?q=a%20b&page=2",
        "<b>Order</b> #123456 for 49,90 €",
    ],
)
def test_order_numbers_prices_times_dates_and_phones_are_left_alone(text):
    assert mask_card_numbers(text) == (text, False)
    assert mask_card_details(text) == (text, False) or not may_follow_card(text)


# --- property: any separator ---------------------------------------------------------

NOT_LETTERS_OR_DIGITS = st.characters(
    categories=["Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So", "Zs", "Cf"],
    # Two masks in a row read as masked digits; "%" and "&" before digits read as escapes ("%20", "&#32;").
).filter(lambda char: not char.isalnum() and char not in {MASK, "%", "&"})
SEPARATOR_PIECES = st.one_of(
    NOT_LETTERS_OR_DIGITS,
    st.just(MASK),  # one bullet between two groups
    st.sampled_from(
        [
            "\n",
            "\r\n",
            "\t",
            "<b>",
            "</b>",
            "<i>",
            "</span>",
            "<br/>",
            '<a href="x">',
            "<!-- -->",
            "&nbsp;",
            "&#32;",
            "&#x2d;",
            "&middot;",
            "+",
        ]
    ),
    NOT_LETTERS_OR_DIGITS.map(lambda char: quote(char, safe="")),  # percent-encoded
)
separators = (
    st.lists(SEPARATOR_PIECES, min_size=1, max_size=MAX_SEPARATOR // 2)
    .map("".join)
    .filter(lambda separator: len(Decoded(separator).seen) <= MAX_SEPARATOR and separator.count(MASK) <= 1)
)


def with_check_digit(payload: str) -> str:
    return next(payload + digit for digit in "0123456789" if luhn_valid(payload + digit))


card_numbers = st.from_regex(r"[1-9][0-9]{11,17}", fullmatch=True).map(with_check_digit)


# The usual separators part groups of any size (clients/tests/test_card_masking.py cuts anywhere);
# the others, groups of three digits or more, as cards are written (so "12,99 €" is no card's part).
USUAL_SEPARATORS = st.lists(
    st.sampled_from([" ", "-", ".", "/", "_", "\n", "\u200b", "\u00a0", "\u2013"]), min_size=1, max_size=3
).map("".join)


@st.composite
def written_card_numbers(draw) -> tuple[str, str]:
    """A Luhn-valid number of 13–19 digits cut into arbitrary groups, each gap any separator
    (groups of one or two digits: a usual one)."""
    number = draw(card_numbers)
    cuts = sorted(draw(st.sets(st.integers(1, len(number) - 1), max_size=len(number) - 1)))
    groups = [number[start:end] for start, end in zip([0, *cuts], [*cuts, len(number)], strict=True)]
    written = groups[0]
    for before, group in zip(groups, groups[1:], strict=False):
        short = min(len(before), len(group)) < MIN_LOOSE_GROUP
        written += draw(USUAL_SEPARATORS if short else separators) + group
    return number, written


def digits_of(text: str) -> str:
    return re.sub(r"\D", "", text)


@given(written_card_numbers())
@example(("4111111111111111", "4111,1111:1111·1111"))
@example(("4111111111111111", "4111%2C%201111%E2%80%A21111<u>1111"))
def test_a_card_number_parted_by_any_separators_never_survives_whole(card):
    number, written = card
    masked, did_mask = mask_card_numbers(f"pay with {written} now")
    assert did_mask
    assert number not in digits_of(masked)  # as written
    assert number not in digits_of(Decoded(masked).seen)  # as a browser shows it
    assert mask_card_numbers(masked)[0] == masked


@given(st.text(alphabet=st.characters(codec="utf-8", categories=["L", "Zs", "Po", "Sc"]) | st.sampled_from("0123")))
def test_text_with_too_few_digits_is_returned_as_it_is(text):
    if len(digits_of(text)) < 13:
        assert mask_card_numbers(text) == (text, False)
