"""ASGI entry point: HTTP through Django, websockets through Channels, within the
process's database budget (docs/operations.md, "Connection budgets"):

- at most HTTP_MAX_CONCURRENT_REQUESTS HTTP requests run at once; the others wait
  their turn (they are not refused). Under ASGI each request runs in a thread of its
  own, so its database connection is closed when the request ends: a kept one would
  outlive the thread until garbage collection;
- consumers run their ORM work on CHAT_DB_THREADS threads (the loop's default
  executor), which keep their connections (CONN_MAX_AGE) for the message path;
- Channels' session and auth lookups run on its one thread-sensitive thread.

So one process holds at most HTTP_MAX_CONCURRENT_REQUESTS + CHAT_DB_THREADS + 1
PostgreSQL connections, whatever the number of requests and sockets.
"""

import asyncio
import os
import warnings
import weakref
from concurrent.futures import ThreadPoolExecutor

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")
import django  # noqa: E402

django.setup(set_prefix=False)

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.handlers.asgi import ASGIHandler  # noqa: E402
from django.core.signals import request_finished  # noqa: E402
from django.db import connections  # noqa: E402

from chats import routing as chat_sockets  # noqa: E402
from core.json_logs import configure_server_logs  # noqa: E402
from core.log_redaction import redact_server_logs  # noqa: E402
from core.socket_drain import install_drain_on_sigterm  # noqa: E402
from supervision import routing as floor_sockets  # noqa: E402

redact_server_logs()  # no visitor token in the server's access and handshake lines
configure_server_logs(json_lines=settings.LOG_FORMAT == "json")  # probes out of the access log; JSON if asked

# WhiteNoise 6 serves static files with a sync iterator; under ASGI Django warns
# on every such response although it works. Nothing else streams here.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous iterators")


class BoundedAsgiHandler(ASGIHandler):
    """Django's HTTP handler, running at most `max_concurrent` requests at once."""

    def __init__(self, max_concurrent: int):
        super().__init__()
        self.slots = asyncio.Semaphore(max_concurrent)

    async def __call__(self, scope, receive, send):
        async with self.slots:
            await super().__call__(scope, receive, send)


def close_request_connections(**kwargs) -> None:
    """Sent in the request's own thread once its response is done: close what it opened."""
    for connection in connections.all(initialized_only=True):
        connection.close()


request_finished.connect(
    close_request_connections, sender=BoundedAsgiHandler, dispatch_uid="relevo-close-request-connections"
)


class BoundedDatabaseThreads:
    """Give each event loop a default executor of CHAT_DB_THREADS threads before the
    first scope runs on it: consumers' ORM work (thread_sensitive=False) runs there."""

    def __init__(self, app, threads: int):
        self.app = app
        self.threads = threads
        self.bounded_loops: weakref.WeakSet = weakref.WeakSet()

    async def __call__(self, scope, receive, send):
        loop = asyncio.get_running_loop()
        if loop not in self.bounded_loops:
            loop.set_default_executor(ThreadPoolExecutor(self.threads, thread_name_prefix="relevo-db"))
            self.bounded_loops.add(loop)
            install_drain_on_sigterm(loop)  # SIGTERM: close the sockets with 4012 first (core/socket_drain.py)
        await self.app(scope, receive, send)


django_asgi_app = BoundedAsgiHandler(settings.HTTP_MAX_CONCURRENT_REQUESTS)

application = BoundedDatabaseThreads(
    ProtocolTypeRouter(
        {
            "http": django_asgi_app,
            # Origins are checked per socket: the agent socket against our own hosts,
            # the visitor socket against the client's allowed origins. Each staff route
            # carries its own session and auth middleware (chats.routing).
            "websocket": URLRouter(
                [
                    *chat_sockets.websocket_urlpatterns,
                    *floor_sockets.websocket_urlpatterns,
                    chat_sockets.unknown_socket,
                ]
            ),
        }
    ),
    threads=settings.CHAT_DB_THREADS,
)
