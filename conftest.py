"""Shared fixtures: personas (agents, clients), websocket helpers and real servers; the test
lanes (browser and server specs marked by what they use) and the harness's speed-ups."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.backends.postgresql.operations import DatabaseOperations as PostgresqlOperations
from django.test import Client as HttpClient
from django.utils import timezone

from agency.asgi import application
from agency.models import Agent, Presence
from chats import services
from clients.models import Client

# The personas of the client-side specs (two clients, their people, a served chat), for every app's tests.
pytest_plugins = ["reports.tests.personas"]

ROOT = Path(__file__).resolve().parent


# --- Parallel workers (pytest-xdist, `./run-tests --fast`) ---------------------------
# pytest-django gives each worker a database of its own (test_<name>_gw0, _gw1); the Redis they
# share must be split too. Row ids restart in each database, so two workers' conversation 1 would
# count its sockets, floods and claims under the same keys, and hear each other's doorbells:
# every worker gets its own channel-layer prefix (core.limits counts under it) and Celery queue,
# and passes them on to the servers it starts (subprocess_env copies os.environ).
def split_redis_per_worker(environ=os.environ, settings=None) -> None:
    if settings is None:
        from django.conf import settings
    worker = environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    for name in ("CHANNEL_LAYER_PREFIX", "CELERY_QUEUE"):
        if not environ.get(name, "").endswith(f"-{worker}"):
            environ[name] = f"{environ.get(name, 'relevo-test')}-{worker}"
    settings.CHANNEL_LAYER_PREFIX = environ["CHANNEL_LAYER_PREFIX"]
    settings.CELERY_TASK_DEFAULT_QUEUE = environ["CELERY_QUEUE"]
    layer = settings.CHANNEL_LAYERS["default"].get("CONFIG", {})
    if "prefix" in layer:  # the Redis layer (the in-memory one is per process anyway)
        layer["prefix"] = settings.CHANNEL_LAYER_PREFIX


split_redis_per_worker()  # before anything opens the channel layer, the counters or Celery's app

CONSOLE_ORIGIN = b"http://localhost"
CONSOLE_HOST = b"localhost"  # the console's sockets accept only their own page's origin (same Host)


# --- Lanes: `./run-tests --fast` deselects the `browser` and `server` specs ----------
# A spec is marked by what it uses, not by hand: these fixtures (or fixtures that use them)
# start Chromium or server processes. A spec that starts one without such a fixture
# (AsgiServer(...).start(), CeleryWorker, launch_chromium) must carry the mark itself:
# `require_mark` fails it otherwise, in either lane.
BROWSER_FIXTURES = frozenset({"browser", "media_browser"})
SERVER_FIXTURES = frozenset({"asgi_servers", "redis_server"})  # uvicorn, redis-server subprocesses
CURRENT: dict[str, pytest.Item] = {}


def mark_lanes(items) -> None:
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if used & SERVER_FIXTURES:
            item.add_marker(pytest.mark.server)


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by these marks
def pytest_collection_modifyitems(config, items):
    mark_lanes(items)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    CURRENT["item"] = item


def require_mark(mark: str, what: str) -> None:
    item = CURRENT.get("item")
    if item is not None and item.get_closest_marker(mark) is None:
        pytest.fail(
            f"{item.nodeid} starts {what} but is not marked `{mark}`: add pytest.mark.{mark} "
            f"(or use the fixture that starts it) so that `./run-tests --fast` leaves it out."
        )


# --- Through PgBouncer (`./run-tests --pgbouncer`) -------------------------------------
@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """PgBouncer keeps idle server connections to the test database, which would stop Django
    from dropping it: before the drop, PgBouncer's KILL closes them (its admin console)."""
    yield
    from django.conf import settings

    if settings.DATABASE_POOLER == "pgbouncer":
        let_go_of_database_in_pgbouncer(connection.settings_dict)


def let_go_of_database_in_pgbouncer(database: dict) -> None:
    import psycopg2

    admin = psycopg2.connect(dbname="pgbouncer", user=database["USER"], host=database["HOST"], port=database["PORT"])
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'KILL "{database["NAME"]}"')
    admin.close()


# --- Speed-ups of the harness (what the specs assert is unchanged) -------------------
# A transactional spec's teardown flushes every table. PostgreSQL's TRUNCATE replaces each
# table's files: 1.5-2 s a spec on this machine kind; DELETE takes a few ms. Every foreign
# key is DEFERRABLE INITIALLY DEFERRED (Django's own) and the flush is one transaction, so
# the order of the tables does not matter.
_truncate = PostgresqlOperations.sql_flush


def sql_flush_by_delete(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    if reset_sequences or allow_cascade:
        return _truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
    return [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables]


PostgresqlOperations.sql_flush = sql_flush_by_delete

# Django's PBKDF2 takes a noticeable fraction of a second per password (make_agent sets one).
# Server processes verify passwords with the default hashers, so `server` specs keep them.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_password_hashing(request, settings):
    if request.node.get_closest_marker("server") is None:
        settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


def make_client(name: str = "Demo Shop", **fields) -> Client:
    slug = fields.pop("slug", None) or f"{name.lower().replace(' ', '-')}-{uuid.uuid4().hex[:6]}"
    return Client.objects.create(name=name, slug=slug, **fields)


def make_agent(username: str, *clients: Client, presence: str = Presence.ONLINE, max_chats: int = 3) -> Agent:
    user = get_user_model().objects.create_user(username, password="pw", first_name=username.title())
    agent = Agent.objects.create(
        user=user, presence=presence, max_concurrent_chats=max_chats, last_seen_at=timezone.now()
    )
    agent.clients.set(clients)
    return agent


def session_cookie(user) -> bytes:
    http = HttpClient()
    http.force_login(user)
    return f"sessionid={http.cookies['sessionid'].value}".encode()


async def agent_communicator(agent: Agent, origin: bytes = CONSOLE_ORIGIN) -> WebsocketCommunicator:
    cookie = await database_sync_to_async(session_cookie)(agent.user)
    headers = [(b"cookie", cookie), (b"origin", origin), (b"host", CONSOLE_HOST)]
    return WebsocketCommunicator(application, "/ws/agent/", headers=headers)


def visitor_communicator(conversation_id: int, token: str, origin: bytes | None = None) -> WebsocketCommunicator:
    headers = [(b"origin", origin)] if origin else []
    return WebsocketCommunicator(application, f"/ws/chat/{conversation_id}/?token={token}", headers=headers)


def start_chat(client: Client, name: str = "Maria") -> services.StartedConversation:
    """A visitor's chat, routed as if their socket had connected (`start_ghost_chat` for one that did not)."""
    return services.start_conversation(client=client, name=name, visitor_connected=True)


def start_ghost_chat(client: Client, name: str = "Ghost") -> services.StartedConversation:
    """A chat created over HTTP whose socket has not connected (yet)."""
    return services.start_conversation(client=client, name=name)


async def receive_until(communicator: WebsocketCommunicator, predicate, timeout: float = 5) -> dict:
    """Read frames until one matches; fail with what was seen otherwise."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        frame = await communicator.receive_json_from(timeout=max(deadline - time.monotonic(), 0.01))
        if predicate(frame):
            return frame
        seen.append(frame)
    raise AssertionError(f"no matching frame; saw {seen}")


def new_client_id() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def served_chat(db):
    """A client served by Ana (online) and one visitor's chat, already assigned to her."""
    client = make_client()
    agent = make_agent("ana", client)
    return agent, start_chat(client)


async def open_visitor(chat: services.StartedConversation) -> WebsocketCommunicator:
    """A connected visitor socket past its first status frame."""
    communicator = visitor_communicator(chat.conversation.pk, chat.token)
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    await receive_until(communicator, lambda f: f["type"] == "status")
    return communicator


async def open_agent(agent: Agent) -> WebsocketCommunicator:
    """A connected agent console socket."""
    communicator = await agent_communicator(agent)
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    return communicator


# --- Real servers (subprocesses sharing the test database) ------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Hourly flood limits count in the shared Redis across tests, runs and servers (all
# from 127.0.0.1): off unless a test sets them (chats/tests/test_http_floods.py).
UNLIMITED_VISITOR_FLOODS = {
    name: "1000000000"
    for name in (
        "CHAT_CONVERSATIONS_PER_IP_PER_HOUR",
        "CHAT_CONVERSATIONS_PER_WIDGET_PER_HOUR",
        "CHAT_OFFLINE_MESSAGES_PER_IP_PER_HOUR",
        "CHAT_OFFLINE_MESSAGES_PER_WIDGET_PER_HOUR",
    )
}


@pytest.fixture(autouse=True)
def unlimited_visitor_floods(settings):
    for name, value in UNLIMITED_VISITOR_FLOODS.items():
        setattr(settings, name, int(value))


def subprocess_env() -> dict:
    """The environment for a subprocess that must use this test run's database."""
    settings = connection.settings_dict
    if settings["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("Real-server tests need PostgreSQL: run the README's test command (DATABASE_URL).")
    env = dict(os.environ) | UNLIMITED_VISITOR_FLOODS
    env["DATABASE_URL"] = (
        f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST']}:{settings['PORT']}/"
        f"{settings['NAME']}"
    )
    return env


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


# What ./run and README's production command give uvicorn too: the request-head bound (slow clients).
HTTP_PROTOCOL_OPTION = ("--http", "agency.http_protocol:HeadTimeoutHttpProtocol")


class AsgiServer:
    """A real uvicorn process serving Relevo on 127.0.0.1 against the test database."""

    def __init__(self, env: dict, port: int | None = None, args: tuple[str, ...] = (), output=None):
        self.port = port or free_port()
        self.env = env
        self.args = args  # extra uvicorn options; later ones win (`--log-level info`)
        self.output = output  # a file for the server's stdout and stderr
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> AsgiServer:
        require_mark("server", "an ASGI server process")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "agency.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
                "--ws-max-size",
                "65536",
                *HTTP_PROTOCOL_OPTION,
                *self.args,
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.output,
            stderr=self.output,
        )
        wait_for_port(self.port, self.process)
        return self

    def stop(self, kill: bool = False) -> None:
        if self.process and self.process.poll() is None:
            (self.process.kill if kill else self.process.terminate)()
            self.process.wait(timeout=10)


@pytest.fixture
def asgi_servers(transactional_db):
    """Start real ASGI servers: `asgi_servers(env={...})` returns a running AsgiServer (extra env,
    uvicorn `args` and an `output` file optional)."""
    started: list[AsgiServer] = []

    def start(port: int | None = None, env: dict | None = None, args: tuple[str, ...] = (), output=None) -> AsgiServer:
        server = AsgiServer({**subprocess_env(), **(env or {})}, port=port, args=args, output=output).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(autouse=True)
async def close_worker_thread_connections():
    """Consumers use the ORM from a worker thread; close its connection after each test
    so the test database can be flushed and dropped."""
    yield
    from django.db import connections

    await database_sync_to_async(connections.close_all)()


# --- A real browser: Debian's Chromium driven by Playwright (never `playwright install`) ---

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def launch_chromium(playwright, *args: str):
    require_mark("browser", "Chromium")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *args])


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()
