"""The input rules every edge calls (clients.text): a person's name at its model's max_length,
an email in its odd forms, a message within CHAT_MAX_BODY_CHARS, and never a control
character or a card number where contact details go."""

import pytest

from chats.errors import TooLong
from chats.leads import services as lead_services
from chats.leads.models import Lead
from chats.models import Visitor
from chats.visits.models import Visit
from clients import text
from clients.errors import UnprintableText
from clients.models import OfflineMessage
from clients.text import EMAIL_MAX_CHARS, checked_body, checked_email, checked_name
from core.errors import InvalidInput

NAMED_MODELS = [Visitor, Lead, OfflineMessage, Visit]


def name_limit(model) -> int:
    return model._meta.get_field("name").max_length


@pytest.mark.parametrize("model", NAMED_MODELS)
def test_a_name_at_its_models_max_length_is_kept(model):
    name = "M" * name_limit(model)
    assert checked_name(name, model=model) == name


@pytest.mark.parametrize("model", NAMED_MODELS)
def test_a_name_one_over_its_models_max_length_is_refused(model):
    with pytest.raises(InvalidInput, match="The name is too long."):
        checked_name("M" * (name_limit(model) + 1), model=model)


def test_the_limit_is_read_from_the_model_not_written_down(monkeypatch):
    monkeypatch.setattr(Visitor._meta.get_field("name"), "max_length", 5)
    assert checked_name("Maria", model=Visitor) == "Maria"
    with pytest.raises(InvalidInput):
        checked_name("Marian", model=Visitor)


def test_a_name_is_stripped_before_it_is_measured():
    assert checked_name("  Maria  ", model=Visitor) == "Maria"
    assert checked_name(" " * 200 + "Maria", model=Visitor) == "Maria"


def test_a_card_number_in_a_name_is_masked():
    assert checked_name("Maria 4111 1111 1111 1111", model=Lead) == "Maria 4111 11•• •••• 1111"


@pytest.mark.parametrize("name", ["Ma\x00ria", "Maria\nSmith", "Ma\x7fria", "Ma\x85ria", "Ma\x1bria"])
def test_a_name_with_a_control_character_is_refused(name):
    with pytest.raises(UnprintableText, match="name"):
        checked_name(name, model=Visitor)


@pytest.mark.parametrize(
    "email",
    [
        "maria@example.com",
        "Maria.Lopez+orders@mail.example.co.uk",
        "o'brien@example.ie",
        "maria@xn--bcher-kva.example",
        "maria@bücher.example",
        "maria@[192.0.2.1]",
    ],
)
def test_odd_but_real_email_addresses_are_kept(email):
    assert checked_email(email) == email


def test_an_email_is_stripped_and_none_given_is_empty():
    assert checked_email("  maria@example.com\t") == "maria@example.com"
    assert checked_email("   ") == ""


@pytest.mark.parametrize(
    "email",
    [
        "not-an-email",
        "maria@",
        "@example.com",
        "maria@example",
        "maria@@example.com",
        "maria@exa mple.com",
        '"maria lopez"@example.com',
        "maría@example.com",
        "maria@example.com.",
        "maria@-example.com",
    ],
)
def test_malformed_email_addresses_are_refused(email):
    with pytest.raises(InvalidInput, match="Enter a valid email address."):
        checked_email(email)


def test_an_email_longer_than_the_column_is_refused_not_cut():
    local = "m" * 64
    domain = ".".join(["d" * 60] * 4) + ".com"  # a well-formed address of 313 characters
    assert len(f"{local}@{domain}") > EMAIL_MAX_CHARS == 254
    with pytest.raises(InvalidInput, match="Enter a valid email address."):
        checked_email(f"{local}@{domain}")


def test_an_email_at_the_column_length_is_kept():
    email = "m" * 64 + "@" + ".".join(["d" * 60, "d" * 60, "d" * 63]) + ".com"
    assert len(email) == EMAIL_MAX_CHARS
    assert checked_email(email) == email


@pytest.mark.parametrize("email", ["4111111111111111@example.com", "4111-1111-1111-1111@example.com"])
def test_an_email_that_carries_a_card_number_is_refused_never_stored(email):
    with pytest.raises(InvalidInput, match="Enter a valid email address."):
        checked_email(email)


@pytest.mark.parametrize("email", ["maria@example.com\x00", "maria\x00@example.com", "maria@exa\nmple.com"])
def test_an_email_with_a_control_character_is_refused(email):
    with pytest.raises(UnprintableText, match="email"):
        checked_email(email)


def test_a_body_at_the_limit_is_kept_and_one_over_is_refused(settings):
    settings.CHAT_MAX_BODY_CHARS = 40
    assert checked_body("x" * 40) == "x" * 40
    with pytest.raises(InvalidInput, match="A message may have at most 40 characters."):
        checked_body("x" * 41)


def test_a_body_may_have_its_own_limit_and_its_own_refusal(settings):
    settings.CHAT_MAX_BODY_CHARS = 40
    assert checked_body("x" * 160, limit=160) == "x" * 160
    with pytest.raises(TooLong, match="at most 40 characters") as refused:
        checked_body("x" * 41, too_long=TooLong)
    assert refused.value.code == "too_long"


def test_a_body_keeps_its_lines_and_tabs_with_line_breaks_made_lf():
    assert checked_body("one\r\ntwo\rthree\n\tfour") == "one\ntwo\nthree\n\tfour"


@pytest.mark.parametrize("body", ["hello\x00world", "bell\x07", "escape\x1b[31m", "c1\x9b"])
def test_a_body_with_a_control_character_is_refused(body):
    with pytest.raises(UnprintableText, match="message"):
        checked_body(body)


def test_a_card_number_in_a_body_is_left_to_the_masking_of_its_writer():
    """Messages mask card numbers across messages (chats.transcript), so the rule does not mask alone."""
    assert checked_body("4111 1111 1111 1111") == "4111 1111 1111 1111"


def test_a_named_field_over_the_limit_is_refused_by_its_name(settings):
    settings.CHAT_MAX_BODY_CHARS = 40
    with pytest.raises(InvalidInput, match="The comment may have at most 40 characters."):
        checked_body("x" * 41, field="comment")
    with pytest.raises(UnprintableText, match="comment"):
        checked_body("nice\x00", field="comment")


@pytest.mark.parametrize("phone", ["+34 600 123 456", "(030) 1234-5678", "+48 600.100.200"])
def test_one_phone_rule_takes_a_callable_number_for_callbacks_and_leads(phone):
    assert text.checked_phone(phone) == phone
    assert lead_services.checked_contact(phone=phone).phone == phone


@pytest.mark.parametrize("phone", ["12", "call me", "4111 1111 1111 1111", "+1 234 567 890 123 456", "+34 600\x00123"])
def test_one_phone_rule_refuses_the_same_numbers_for_callbacks_and_leads(phone):
    with pytest.raises(InvalidInput):
        text.checked_phone(phone)
    with pytest.raises(InvalidInput):
        lead_services.checked_contact(phone=phone)


def test_a_lead_may_leave_the_phone_out_and_a_callback_may_not():
    assert lead_services.checked_contact(phone="").phone == ""
    with pytest.raises(InvalidInput):
        text.checked_phone("")
