"""A visitor's second chat in the same widget is a chat like the first: it can be rated and its
transcript asked for, and it starts with the name and email the visitor gave earlier in the
browser session (real Chromium, a real server)."""

import pytest
from playwright.sync_api import expect

from chats.models import Conversation
from chats.tests.browser_pages import open_console_online, outside_the_event_loop, serve_demo_shop

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture
def demo(asgi_servers):
    return serve_demo_shop(asgi_servers)


def say(visitor, text: str) -> None:
    visitor.fill("[data-testid=input]", text)
    visitor.click("[data-testid=send]")
    visitor.locator("[data-testid=message][data-state=sent]", has_text=text).wait_for(timeout=10_000)


def agent_closes_the_chat_with(console, text: str) -> None:
    console.locator("[data-testid=chat-item]", has_text=text).first.click()
    expect(console.locator("[data-testid=pane]:visible")).to_contain_text(text, timeout=10_000)
    console.click("[data-testid=pane]:visible [data-testid=close-chat]")


def rate(visitor, score: int) -> None:
    rating = visitor.locator("[data-testid=rating-form]")
    expect(rating).to_be_visible(timeout=10_000)
    rating.locator(f"[data-score='{score}']").click()
    visitor.click("[data-testid=rating-submit]")
    expect(rating.get_by_text("Thank you for your rating!")).to_be_visible(timeout=10_000)


def ask_transcript(visitor, email: str) -> None:
    visitor.fill("[data-testid=transcript-form] input", email)
    visitor.click("[data-testid=transcript-submit]")
    expect(visitor.locator("[data-testid=transcript-form] .note")).to_be_visible(timeout=10_000)
    expect(visitor.locator("[data-testid=transcript-form] .note")).to_contain_text(email)


def console_and_visitor(demo, browser):
    """Ana online (confirming every close), and a visitor with the widget open."""
    console = open_console_online(browser, demo.url)
    console.on("dialog", lambda dialog: dialog.accept())
    visitor = browser.new_context().new_page()
    visitor.goto(f"{demo.url}/demo/")
    visitor.click("[data-testid=launcher]")
    return console, visitor


def test_the_second_chat_can_be_rated_and_its_transcript_asked_for(demo, browser):
    console, visitor = console_and_visitor(demo, browser)
    say(visitor, "First question")
    agent_closes_the_chat_with(console, "First question")
    rate(visitor, 5)
    ask_transcript(visitor, "maria@example.com")

    visitor.click("[data-testid=new-chat]")
    expect(visitor.locator("[data-testid=quality]")).to_be_hidden()
    say(visitor, "Second question")
    agent_closes_the_chat_with(console, "Second question")

    rating = visitor.locator("[data-testid=rating-form]")
    expect(rating).to_be_visible(timeout=10_000)
    expect(rating.get_by_text("Thank you for your rating!")).to_be_hidden()  # not chat 1's answer
    expect(rating.locator("[data-score='2']")).to_be_enabled()
    rate(visitor, 2)
    ask_transcript(visitor, "maria@example.com")

    chats = outside_the_event_loop(lambda: list(Conversation.objects.order_by("pk").select_related("rating")))
    assert [chat.rating.score for chat in chats] == [5, 2]


def test_the_second_chat_keeps_the_visitors_name_and_email_after_a_reload(demo, browser):
    console, visitor = console_and_visitor(demo, browser)
    visitor.fill("[data-testid=panel] input[autocomplete=name]", "Maria")
    say(visitor, "First question")
    agent_closes_the_chat_with(console, "First question")
    ask_transcript(visitor, "maria@example.com")

    visitor.reload()  # another page of the site, same tab
    visitor.click("[data-testid=new-chat]")
    say(visitor, "Second question")

    def visitors():
        return [
            (chat.visitor.name, chat.visitor.email)
            for chat in Conversation.objects.order_by("pk").select_related("visitor")
        ]

    assert outside_the_event_loop(visitors)[1] == ("Maria", "maria@example.com")
