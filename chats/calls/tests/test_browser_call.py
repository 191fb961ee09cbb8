"""A video call in two real Chromium contexts with fake camera and microphone: the visitor
and the agent reach WebRTC "connected" (host candidates only, no STUN/TURN), and the call log shows it."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from playwright.sync_api import expect

from chats.calls.models import Call
from chats.tests.browser_pages import ANA_PASSWORD, log_in, serve_demo_shop, visitor_says
from conftest import launch_chromium

pytestmark = [pytest.mark.browser, pytest.mark.server]

FAKE_MEDIA = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
MEDIA = ["camera", "microphone"]


@pytest.fixture
def media_browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, *FAKE_MEDIA)
        yield browser
        browser.close()


class MediaContexts:
    """new_context() with camera and microphone allowed, for browser_pages' steps."""

    def __init__(self, browser):
        self.browser = browser

    def new_context(self):
        return self.browser.new_context(permissions=MEDIA)


@pytest.fixture
def demo(asgi_servers):
    return serve_demo_shop(asgi_servers)


def calls() -> list[Call]:
    """The call log, read in a thread: the ORM refuses to run beside Playwright's event loop."""

    def read():
        try:
            return list(Call.objects.all())
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(read).result()


def wait_for(condition, timeout=10):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.1)


def remote_tracks(visitor) -> int:
    return visitor.evaluate("""() => {
        const video = document.querySelector('#relevo-widget').shadowRoot.querySelector('[data-testid=call-remote]');
        return video.srcObject ? video.srcObject.getTracks().length : 0;
    }""")


def test_a_video_call_connects_the_two_browsers_and_is_logged(demo, media_browser):
    base = demo.url
    console = media_browser.new_context(permissions=MEDIA).new_page()
    log_in(console, base, "ana", ANA_PASSWORD)
    console.select_option("[data-testid=presence]", "online")
    expect(console.locator("[data-testid=connection-banner]")).to_be_hidden()
    visitor = visitor_says(MediaContexts(media_browser), f"{base}/demo/", "Can you show me how to fit it?")

    console.locator("[data-testid=chat-item]").first.click()
    pane = console.locator("[data-testid=pane]:visible")
    pane.locator("[data-testid=offer-video-call]").click()
    visitor.locator("[data-testid=call-accept]").click(timeout=10_000)

    expect(visitor.locator("[data-testid=call]")).to_have_attribute("data-connection", "connected", timeout=20_000)
    expect(pane.locator("[data-testid=call-panel]")).to_have_attribute("data-connection", "connected", timeout=10_000)
    expect(pane.locator("[data-testid=call-text]")).to_contain_text("In the call", timeout=10_000)
    wait_for(lambda: remote_tracks(visitor) == 2)  # the agent's audio and video
    wait_for(lambda: [call.status for call in calls()] == ["connected"])

    pane.locator("[data-testid=hang-up]").click()
    expect(pane).to_contain_text("The video call ended after", timeout=10_000)
    expect(visitor.locator("[data-testid=messages]")).to_contain_text("The video call ended after", timeout=10_000)
    expect(visitor.locator("[data-testid=call]")).to_be_hidden()
    wait_for(lambda: [call.status for call in calls()] == ["ended"])
    [call] = calls()
    assert (call.kind, call.status, call.ended_by) == ("video", "ended", "agent")
    assert call.connected_at and call.duration_seconds is not None


def test_a_visitor_who_cannot_talk_now_asks_for_a_callback(demo, media_browser):
    base = demo.url
    console = media_browser.new_context(permissions=MEDIA).new_page()
    log_in(console, base, "ana", ANA_PASSWORD)
    console.select_option("[data-testid=presence]", "online")
    expect(console.locator("[data-testid=connection-banner]")).to_be_hidden()
    visitor = visitor_says(MediaContexts(media_browser), f"{base}/demo/", "Could you call me?")
    console.locator("[data-testid=chat-item]").first.click()
    pane = console.locator("[data-testid=pane]:visible")
    pane.locator("[data-testid=offer-voice-call]").click()

    visitor.locator("[data-testid=call-me-back]").click(timeout=10_000)
    visitor.fill("[data-testid=callback-phone]", "+34 600 123 456")
    visitor.fill(
        "[data-testid=callback-at]",
        visitor.evaluate("""() => {
        const at = new Date(Date.now() + 86400000);
        at.setHours(10, 0, 0, 0);
        const pad = (n) => String(n).padStart(2, "0");
        return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T10:00`;
    }"""),
    )
    visitor.click("[data-testid=callback-submit]")
    expect(visitor.locator("[data-testid=call]")).to_have_attribute("data-status", "callback-open", timeout=10_000)
    expect(visitor.locator("[data-testid=call-text]")).to_contain_text("+34 600 123 456")
    expect(pane).to_contain_text("call you back on +34 600 123 456", timeout=10_000)
    expect(pane).to_contain_text("The voice call was declined.")
