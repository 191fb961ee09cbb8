"""A card number in what a visitor gives at the start (name, page) or in the offline form is never stored."""

import pytest

from chats import errors, services
from clients import errors as client_errors
from clients import services as client_services
from conftest import make_agent, make_client


@pytest.fixture
def shop(db):
    client = make_client()
    make_agent("ana", client)
    return client


def test_the_name_and_page_address_are_stored_masked(shop):
    started = services.start_conversation(
        client=shop,
        name="Maria 4111.1111.1111.1111",
        page_url="https://shop.example/pay?card=4111+1111+1111+1111&step=2",
    )
    started.conversation.refresh_from_db()
    assert started.conversation.visitor.name == "Maria 4111.11••.••••.1111"
    assert started.conversation.page_url == "https://shop.example/pay?card=4111 11•• •••• 1111&step=2"


def test_an_ordinary_page_address_is_kept_as_it_is(shop):
    url = "https://shop.example/orders/2026/11/05/12345?q=a%20b"
    started = services.start_conversation(client=shop, name="Maria", page_url=url)
    started.conversation.refresh_from_db()
    assert started.conversation.page_url == url


def test_an_email_made_of_a_card_number_is_refused(shop):
    with pytest.raises(errors.InvalidInput):
        services.start_conversation(client=shop, name="Maria", email="4111111111111111@example.com")


def test_the_offline_form_masks_the_name_and_refuses_a_card_number_as_email(shop):
    lead = client_services.leave_offline_message(
        client=shop,
        name="Maria 4111_1111_1111_1111",
        email="maria@example.com",
        consent=True,
        message="card 4111 1111 1111 1111 exp 12/29 cvv 123",
    )
    lead.refresh_from_db()
    assert lead.name == "Maria 4111_11••_••••_1111"
    assert lead.message == "card 4111 11•• •••• 1111 exp ••/•• cvv •••"
    with pytest.raises(client_errors.InvalidInput):
        client_services.leave_offline_message(
            client=shop, name="Maria", email="4111111111111111@example.com", consent=True, message="hello"
        )


def test_the_new_forms_are_masked_in_the_name_page_address_and_offline_form(shop):
    started = services.start_conversation(
        client=shop,
        name="Maria 4111·1111·1111·1111",
        page_url="https://shop.example/pay?card=4111%201111%201111%201111&step=2",
    )
    started.conversation.refresh_from_db()
    assert started.conversation.visitor.name == "Maria 4111·11••·••••·1111"
    assert started.conversation.page_url == "https://shop.example/pay?card=4111 11•• •••• 1111&step=2"
    lead = client_services.leave_offline_message(
        client=shop,
        name="Maria",
        email="maria@example.com",
        consent=True,
        message="card 4111<b>1111</b>1111<i>1111</i> cvv123, or 5555:5555:5555:4444",
    )
    lead.refresh_from_db()
    assert lead.message == "card 4111<b>11••</b>••••<i>1111</i> cvv•••, or 5555:55••:••••:4444"
