"""The escalation contact (an email the visitor typed in the chat) is an address by the same
rule as every email a visitor gives (clients.text.checked_email): one that only looks like an
address is passed over, and one too long is never cut into another person's address."""

from chats import services as chat_services
from reports.selectors import visitor_contact
from reports.tests.personas import visitor_says

TOO_LONG = "m" * 64 + "@" + ".".join(["d" * 60] * 4) + ".com"  # well-formed, 313 characters


def anonymous_chat(shop):
    return chat_services.start_conversation(client=shop, name="Anon", visitor_connected=True).conversation


def test_the_last_address_typed_in_the_chat_is_the_contact(shop, ana):
    conversation = anonymous_chat(shop)
    visitor_says(conversation.pk, "it is anon@example.org")
    visitor_says(conversation.pk, "no wait, anna@example.org or anon@example.org")
    assert visitor_contact(conversation) == "anon@example.org"


def test_something_that_only_looks_like_an_address_is_passed_over(shop, ana):
    conversation = anonymous_chat(shop)
    visitor_says(conversation.pk, "anon@example.org")
    visitor_says(conversation.pk, "or anon..work@example.org")
    assert visitor_contact(conversation) == "anon@example.org"


def test_an_address_too_long_to_store_is_not_cut_into_another(shop, ana):
    conversation = anonymous_chat(shop)
    visitor_says(conversation.pk, f"write to {TOO_LONG}")
    assert visitor_contact(conversation) == ""
