"""A real HTTP server on 127.0.0.1 for webhook tests: it answers each request as its script says."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Received:
    headers: dict
    body: bytes
    answer: str  # the scripted answer this request got: "200", "500", "timeout"…

    @property
    def event(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """`script(event_id, nth)` says how to answer the nth request (1-based) carrying that event id."""

    server: ThreadingHTTPServer
    script: object = None
    received: list[Received] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/relevo"

    def answer_for(self, headers: dict) -> str:
        event_id = headers.get("Relevo-Event-Id", "")
        with self.lock:
            nth = 1 + sum(1 for seen in self.received if seen.headers.get("Relevo-Event-Id") == event_id)
        return self.script(event_id, nth) if self.script else "200"

    def delivered(self) -> list[Received]:
        return [seen for seen in self.received if seen.answer.startswith("2")]


def make_handler(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            headers = dict(self.headers.items())
            body = self.rfile.read(int(headers.get("Content-Length", 0)))
            answer = receiver.answer_for(headers)
            with receiver.lock:
                receiver.received.append(Received(headers=headers, body=body, answer=answer))
            if answer == "timeout":
                receiver.release.wait(30)  # the sender gives up first; released at teardown
                return
            payload = b"x" * 1_000_000 if answer == "200-huge" else b"ok"
            self.send_response(int(answer.split("-")[0]))
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            try:
                self.wfile.write(payload)
            except OSError:
                pass  # the sender stopped reading at its size cap

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def receiver():
    server = ThreadingHTTPServer(("127.0.0.1", 0), None)
    receiver = Receiver(server=server)
    server.RequestHandlerClass = make_handler(receiver)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    receiver.release.set()
    server.shutdown()
    server.server_close()
