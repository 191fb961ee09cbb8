"""Card numbers are masked to BIN + last four, with the expiry and CVV after them; look-alikes stay untouched."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clients.pci import (
    NOT_ALPHANUMERIC,
    LuhnSums,
    iban_valid,
    luhn_valid,
    mask_card_number_across,
    mask_card_numbers,
    mask_url,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("4111111111111111", "411111••••••1111"),
        ("my card is 4111 1111 1111 1111 thanks", "my card is 4111 11•• •••• 1111 thanks"),
        ("5555-5555-5555-4444", "5555-55••-••••-4444"),
        ("amex 378282246310005", "amex 378282•••••0005"),
        ("diners 30569309025904", "diners 305693••••5904"),
        ("visa13 4222222222222", "visa13 422222•••2222"),
        ("two: 4111111111111111 and 5500005555555559", "two: 411111••••••1111 and 550000••••••5559"),
        ("4111 1111 1111 1111 600", "4111 11•• •••• 1111 600"),
    ],
)
def test_test_cards_are_masked(text, expected):
    assert mask_card_numbers(text) == (expected, True)


# Each of these was stored and relayed in the clear before (issue 16, item 9).
@pytest.mark.parametrize(
    "text, expected",
    [
        ("4111.1111.1111.1111", "4111.11••.••••.1111"),
        ("4111/1111/1111/1111", "4111/11••/••••/1111"),
        ("4111_1111_1111_1111", "4111_11••_••••_1111"),
        ("4111  1111  1111  1111", "4111  11••  ••••  1111"),
        ("4111 - 1111 - 1111 - 1111", "4111 - 11•• - •••• - 1111"),
        ("4111\u200b1111\u200b1111\u200b1111", "4111\u200b11••\u200b••••\u200b1111"),
        ("4111\u20601111\ufeff1111\u200c1111\u200d", "4111\u206011••\ufeff••••\u200c1111\u200d"),
        ("4111\n1111\n1111\n1111", "4111\n11••\n••••\n1111"),
        ("4111\n\n1111\r\n1111 \n1111", "4111\n\n11••\r\n•••• \n1111"),
        ("4111-1111 1111.1111", "4111-11•• ••••.1111"),
        ("4111 1111 1111 1111 exp 12/29 cvv 123", "4111 11•• •••• 1111 exp ••/•• cvv •••"),
        (
            "4111111111111111, expires 12 29, security code: 1234",
            "411111••••••1111, expires •• ••, security code: ••••",
        ),
        ("4111 1111 1111 1111 12/29 123", "4111 11•• •••• 1111 ••/•• •••"),
        ("5555555555554444 valid thru 01/2031 CVC2 987", "555555••••••4444 valid thru ••/•••• CVC2 •••"),
        ("tarjeta 4111-1111-1111-1111 caduca 12/29 código 123", "tarjeta 4111-11••-••••-1111 caduca ••/•• código •••"),
        ("4111 1111 1111 1111 vence el 03-28, cvv: 456", "4111 11•• •••• 1111 vence el ••-••, cvv: •••"),
        ("karta 4111 1111 1111 1111 ważna do 12/29 kod 123", "karta 4111 11•• •••• 1111 ważna do ••/•• kod •••"),
    ],
)
def test_cards_with_any_separator_and_their_expiry_and_cvv_are_masked(text, expected):
    assert mask_card_numbers(text) == (expected, True)


@pytest.mark.parametrize(
    "text",
    [
        "order 4111111111111112",  # Luhn-invalid
        "call me on +34 612 345 678",  # a phone number
        "call me on +48 600 700 800",
        "+48 600 700 800 900 13",  # a long phone-like run, Luhn-invalid
        "order #1234567890123",  # 13 digits, Luhn-invalid
        "tracking 123456789012",  # 12 digits: too short
        "12345678901234567890123",  # a long solid run, no card inside
        "IBAN PL61 1090 1014 0000 0712 1981 2874, thanks",
        "PL61109010140000071219812874",
        "DE89 3704 0044 0532 0130 00",
        "GB82 WEST 1234 5698 7654 32",
        "my order of 12/29 cvv 123",  # expiry- and CVV-like, but no card before them
        "delivered 2026-11-05 at 10:30, total 1.299,00 €",
        "",
    ],
)
def test_look_alikes_are_left_alone(text):
    assert mask_card_numbers(text) == (text, False)


def test_a_card_right_after_an_iban_is_still_masked():
    text = "IBAN PL61 1090 1014 0000 0712 1981 2874 card 4111 1111 1111 1111"
    assert mask_card_numbers(text) == ("IBAN PL61 1090 1014 0000 0712 1981 2874 card 4111 11•• •••• 1111", True)


def test_an_expiry_far_after_the_card_is_left_alone():
    text = "4111111111111111 — thanks! Anything else? I also wanted to ask about the delivery on 12/05"
    assert mask_card_numbers(text) == (
        "411111••••••1111 — thanks! Anything else? I also wanted to ask about the delivery on 12/05",
        True,
    )


def test_a_card_in_an_encoded_page_address_is_masked():
    assert (
        mask_url("https://shop.example/pay?card=4111+1111+1111+1111&x=1")
        == "https://shop.example/pay?card=4111 11•• •••• 1111&x=1"
    )
    assert mask_url("https://shop.example/p/4111%2D1111%2D1111%2D1111") == "https://shop.example/p/4111-11••-••••-1111"
    assert mask_url("https://shop.example/a%20b?q=1") == "https://shop.example/a%20b?q=1"


def test_a_card_written_in_percent_encoded_digits_in_a_page_address_is_masked():
    escaped = "".join(f"%{ord(digit):02X}" for digit in "4111111111111111")  # %34%31%31%31…
    assert (
        mask_url(f"https://shop.example/pay?card={escaped}&x=1") == "https://shop.example/pay?card=411111••••••1111&x=1"
    )
    grouped = "+".join(escaped[n : n + 12] for n in range(0, len(escaped), 12))  # four digits a group, plus-parted
    assert mask_url(f"https://shop.example/pay?card={grouped}") == "https://shop.example/pay?card=4111 11•• •••• 1111"
    assert mask_url("https://shop.example/p?n=%31%32%33") == "https://shop.example/p?n=%31%32%33"  # no card: as it came


def test_a_card_split_over_messages_is_masked_in_each_part():
    assert mask_card_number_across(["4111 1111", "1111 1111 exp 12/29"]) == ["4111 11••", "•••• 1111 exp ••/••"]
    assert mask_card_number_across(["4111", "1111", "1111", "1111"]) == ["4111", "11••", "••••", "1111"]
    assert mask_card_number_across(["my number is 4111 1111", "2 items please"]) is None


@given(st.text())
def test_masking_never_grows_a_card_and_is_idempotent(text):
    once, _ = mask_card_numbers(text)
    assert mask_card_numbers(once)[0] == once
    assert len(once) == len(text)


@given(st.from_regex(r"[1-9][0-9]{12,18}", fullmatch=True))
def test_no_luhn_valid_number_survives(number):
    masked, did_mask = mask_card_numbers(f"pay with {number} now")
    assert did_mask == luhn_valid(number)
    if did_mask:
        assert number not in masked


@given(st.lists(st.from_regex(r"[0-9]{1,5}", fullmatch=True), min_size=1, max_size=8), st.data())
def test_the_prefix_sums_agree_with_the_luhn_check_on_every_slice(groups, data):
    digits = "".join(groups)
    start = data.draw(st.integers(0, len(digits) - 1))
    end = data.draw(st.integers(start + 1, len(digits)))
    assert LuhnSums(groups).luhn_valid(start, end) == luhn_valid(digits[start:end])


# --- separators and groupings ------------------------------------------------------

SEPARATORS = [
    " ",
    "  ",
    "-",
    " - ",
    ".",
    "/",
    "_",
    "\n",
    "\n\n",
    "\r\n",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00a0",
]
separators = st.one_of(
    st.sampled_from(SEPARATORS),
    st.lists(st.sampled_from(SEPARATORS), min_size=2, max_size=2).map("".join).filter(lambda joined: len(joined) <= 6),
)
STRIP_SEPARATORS = re.compile(NOT_ALPHANUMERIC)


def with_check_digit(payload: str) -> str:
    return next(payload + digit for digit in "0123456789" if luhn_valid(payload + digit))


card_numbers = st.from_regex(r"[0-9]{12,18}", fullmatch=True).map(with_check_digit)


@st.composite
def written_card_numbers(draw) -> tuple[str, str]:
    """A Luhn-valid number, and the same number cut into arbitrary groups with any separators."""
    number = draw(card_numbers)
    cuts = sorted(draw(st.sets(st.integers(1, len(number) - 1), max_size=len(number) - 1)))
    groups = [number[start:end] for start, end in zip([0, *cuts], [*cuts, len(number)], strict=True)]
    written = groups[0]
    for group in groups[1:]:
        written += draw(separators) + group
    return number, written


@given(written_card_numbers())
def test_a_card_number_written_any_way_keeps_no_seven_digits_in_a_row(card):
    number, written = card
    masked, did_mask = mask_card_numbers(f"pay with {written} now")
    assert did_mask
    digits_left = STRIP_SEPARATORS.sub("", masked)
    assert number not in digits_left
    assert not re.search(r"\d{7}", digits_left)
    assert mask_card_numbers(masked)[0] == masked


@st.composite
def ibans(draw) -> str:
    country = draw(st.from_regex(r"[A-Z]{2}", fullmatch=True))
    account = draw(st.from_regex(r"[0-9]{11,26}", fullmatch=True))
    remainder = int("".join(str(int(char, 36)) for char in account + country + "00")) % 97
    compact = f"{country}{98 - remainder:02d}{account}"
    assert iban_valid(compact)
    if draw(st.booleans()):
        return compact
    return " ".join(compact[start : start + 4] for start in range(0, len(compact), 4))


@given(ibans())
def test_ibans_are_left_alone(iban):
    text = f"transfer to {iban} please"
    assert mask_card_numbers(text) == (text, False)


@given(
    st.from_regex(r"\+[1-9][0-9]{0,2}", fullmatch=True),
    st.lists(st.from_regex(r"[0-9]{2,4}", fullmatch=True), min_size=2, max_size=4),
    st.sampled_from([" ", "-"]),
)
def test_phone_numbers_are_left_alone(country_code, groups, separator):
    phone = country_code + " " + separator.join(groups)
    if sum(char.isdigit() for char in phone) > 15:
        return
    text = f"call me on {phone} tomorrow"
    assert mask_card_numbers(text) == (text, False)


@given(st.from_regex(r"[0-9]{1,12}", fullmatch=True), separators)
def test_order_numbers_are_left_alone(order_number, separator):
    text = f"order {order_number[:6]}{separator}{order_number[6:]} arrived"
    assert mask_card_numbers(text) == (text, False)
