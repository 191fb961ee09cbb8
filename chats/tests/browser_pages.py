"""The steps every persona takes in the browser specs (the `browser` fixture is in conftest.py)."""

import re
from concurrent.futures import ThreadPoolExecutor

from django.db import connections

ANA_PASSWORD = "demo-pass-1"


def log_in(page, base_url: str, username: str, password: str, next_path: str = "/console/") -> None:
    page.goto(f"{base_url}/accounts/login/?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(".*" + re.escape(next_path) + "$"))


def visitor_says(browser, url: str, text: str):
    """A new visitor opens the widget on `url` and sends `text`; returns their page once it is stored."""
    page = browser.new_context().new_page()
    page.goto(url)
    page.click("[data-testid=launcher]")
    page.fill("[data-testid=input]", text)
    page.click("[data-testid=send]")
    page.locator("[data-testid=message][data-state=sent]", has_text=text).wait_for(timeout=10_000)
    return page


def serve_demo_shop(asgi_servers, env: dict | None = None):
    """A real server with the demo shop (its own origin allowed) served by Ana; returns the server."""
    from django.contrib.auth import get_user_model

    from agency.models import Agent
    from clients.models import Client

    server = asgi_servers(env=env)
    client = Client.objects.create(name="Demo Shop", slug="demo-shop", allowed_origins=server.url)
    user = get_user_model().objects.create_user("ana", password=ANA_PASSWORD, first_name="Ana")
    Agent.objects.create(user=user).clients.add(client)
    return server


def open_console_online(browser, base_url: str):
    """Ana's console, logged in, online and connected."""
    from playwright.sync_api import expect

    console = browser.new_context().new_page()
    log_in(console, base_url, "ana", ANA_PASSWORD)
    console.select_option("[data-testid=presence]", "online")
    expect(console.locator("[data-testid=connection-banner]")).to_be_hidden()
    return console


def outside_the_event_loop(read):
    """Playwright's sync API runs an event loop in this thread, where the ORM refuses to run."""

    def read_and_disconnect():
        try:
            return read()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(read_and_disconnect).result()
