"""Card numbers are masked to BIN + last four; look-alikes stay untouched."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from clients.pci import luhn_valid, mask_card_numbers


@pytest.mark.parametrize("text, expected", [
    ("4111111111111111", "411111••••••1111"),
    ("my card is 4111 1111 1111 1111 thanks", "my card is 4111 11•• •••• 1111 thanks"),
    ("5555-5555-5555-4444", "5555-55••-••••-4444"),
    ("amex 378282246310005", "amex 378282•••••0005"),
    ("diners 30569309025904", "diners 305693••••5904"),
    ("visa13 4222222222222", "visa13 422222•••2222"),
    ("two: 4111111111111111 and 5500005555555559", "two: 411111••••••1111 and 550000••••••5559"),
    ("4111 1111 1111 1111 600", "4111 11•• •••• 1111 600"),
])
def test_test_cards_are_masked(text, expected):
    assert mask_card_numbers(text) == (expected, True)


@pytest.mark.parametrize("text", [
    "order 4111111111111112",            # Luhn-invalid
    "call me on +34 612 345 678",         # a phone number
    "+48 600 700 800 900 13",             # a long phone-like run, Luhn-invalid
    "order #1234567890123",               # 13 digits, Luhn-invalid
    "tracking 123456789012",              # 12 digits: too short
    "12345678901234567890123",            # a long solid run, no card inside
    "",
])
def test_look_alikes_are_left_alone(text):
    assert mask_card_numbers(text) == (text, False)


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
