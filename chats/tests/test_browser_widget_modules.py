"""The widget on a client's own site: the loader, pasted on another origin, draws the launcher and
imports the chat as an ES module from Relevo's static files (they carry Access-Control-Allow-Origin),
and no feature module before the visitor needs it."""

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from chats.tests.browser_pages import serve_demo_shop, visitor_says
from clients.models import Client

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture
def shop_site():
    """The client's own site: a page on another origin (another port; loopback like the server, as
    Chromium refuses a public page's requests to a loopback address)."""
    site = {"page": b""}

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(site["page"])

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    site["url"] = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield site
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def shop(asgi_servers, shop_site):
    """The demo shop's widget, allowed on the shop's own site too, pasted in the site's page."""
    server = serve_demo_shop(asgi_servers)
    client = Client.objects.get(slug="demo-shop")
    client.allowed_origins = f"{server.url}\n{shop_site['url']}"
    client.save(update_fields=["allowed_origins"])
    tag = f'<script src="{server.url}/static/chats/widget.js" data-widget-key="{client.widget_key}" async></script>'
    shop_site["page"] = f"<!doctype html><html><body><h1>Shop</h1>{tag}</body></html>".encode()
    return shop_site["url"]


def test_the_widget_pasted_on_another_origin_imports_the_chat_and_no_feature_it_does_not_need(shop, browser):
    visitor = visitor_says(browser, f"{shop}/", "Do you ship to Valencia?")

    assert visitor.evaluate("location.origin") == shop
    loaded = visitor.evaluate("performance.getEntriesByType('resource').map(function (e) { return e.name; })")
    modules = [m.group(1) for m in (re.search(r"/static/chats/widget/([^/]+\.js)$", url) for url in loaded) if m]
    parts = {m.group(1) for m in (re.search(r"/static/chats/widget/chat/([^/]+\.js)$", url) for url in loaded) if m}
    assert modules[0] == "chat.js"
    assert parts == {"state.js", "router.js", "view.js", "messages.js", "socket.js", "composer.js"}
    # queued: the wait; the chat opened: its visit; calls, invitations, ratings, offline wait
    assert set(modules) <= {"chat.js", "leads.js", "visits.js"}


def test_the_launcher_shows_before_the_chat_module_has_loaded_and_a_click_opens_the_chat_once_it_has(shop, browser):
    page = browser.new_context().new_page()
    held = []
    page.route("**/static/chats/widget/chat.js", lambda route: held.append(route))
    with page.expect_request("**/static/chats/widget/chat.js"):
        page.goto(f"{shop}/")
    launcher = page.locator("[data-testid=launcher]")
    launcher.wait_for(timeout=5_000)
    launcher.click()
    assert held and page.locator("[data-testid=panel]").count() == 0  # the chat is still on its way

    held[0].continue_()

    expect(page.locator("[data-testid=panel]")).to_be_visible()
    expect(launcher).to_be_hidden()
    page.fill("[data-testid=input]", "Hello from the first click")
    page.click("[data-testid=send]")
    expect(page.locator("[data-testid=message][data-state=sent]")).to_have_text(
        re.compile("Hello from the first click")
    )
