"""Real Celery workers and a real ASGI server for the reports specs: each test gets its own
redis-server (broker, layer and cache), Celery queue and email folder."""

from __future__ import annotations

import asyncio
import email
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.request import Request, urlopen

import websockets

from conftest import ROOT, AsgiServer, require_mark

FILE_SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # what Django's file backend writes after each message


class CeleryWorker:
    """`celery -A agency worker` in its own process group, so kill -9 takes its pool children too."""

    def __init__(self, env: dict, *, with_beat: bool = False, schedule_dir: Path | None = None):
        self.env, self.with_beat, self.schedule_dir = env, with_beat, schedule_dir
        self.process: subprocess.Popen | None = None

    def start(self) -> CeleryWorker:
        require_mark("server", "a Celery worker process")
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "agency",
            "worker",
            "-l",
            "warning",
            "-c",
            "1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"test-{uuid.uuid4().hex[:8]}@%h",
        ]
        if self.with_beat:
            command += ["-B", "-s", str(self.schedule_dir / f"beat-{uuid.uuid4().hex[:6]}")]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, start_new_session=True, stdout=subprocess.DEVNULL
        )  # the banner
        return self

    def kill(self) -> None:
        """SIGKILL to the main process and every pool child: nothing gets to clean up."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def worker_env(base_env: dict, *, redis_port: int, email_dir: Path, **extra: str) -> dict:
    """Enqueue to (and consume from) a private broker and queue; emails as files."""
    return (
        base_env
        | {
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "CHANNEL_LAYER_PREFIX": f"worker{redis_port}",
            "CELERY_EAGER": "0",
            "CELERY_QUEUE": f"reports-test-{redis_port}-{uuid.uuid4().hex[:6]}",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(email_dir),
            "LOG_LEVEL": "WARNING",
        }
        | extra
    )


def wait_until(condition, *, timeout: float, what: str, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def sent_emails(email_dir: Path) -> list[email.message.Message]:
    """Every email the file backend wrote, one file per connection, possibly several per file."""
    messages = []
    for path in sorted(email_dir.glob("*.log")):
        for chunk in path.read_bytes().split(FILE_SEPARATOR):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk))
    return messages


def delivery_counts(messages: list[email.message.Message]) -> dict:
    """sent: emails written; delivered: distinct (recipient, Message-ID); duplicated: the rest."""
    distinct = Counter((message["To"], message["Message-ID"]) for message in messages)
    return {"sent": len(messages), "delivered": len(distinct), "duplicated": len(messages) - len(distinct)}


def escalate_over_http(server: AsgiServer, *, cookie: str, conversation_id: int, question: str) -> dict:
    """What the console does: POST with the session cookie and the CSRF cookie echoed in a header."""
    csrf = uuid.uuid4().hex  # 32 characters: a valid unmasked CSRF secret
    request = Request(  # noqa: S310 (our own server on 127.0.0.1)
        f"{server.url}/console/api/conversations/{conversation_id}/escalations/",
        data=json.dumps({"question": question, "category": "refund"}).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Cookie": f"{cookie}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Origin": server.url,
            "Referer": f"{server.url}/console/",
        },
    )
    with urlopen(request, timeout=10) as response:  # noqa: S310 (our own server on 127.0.0.1)
        assert response.status == 201
        return json.loads(response.read())


def close_over_websocket(server: AsgiServer, *, cookie: str, conversation_id: int) -> None:
    """The agent closes the chat from the console socket and sees it closed."""

    async def close() -> None:
        async with websockets.connect(
            f"ws://127.0.0.1:{server.port}/ws/agent/",
            origin=server.url,
            additional_headers={"Cookie": cookie},
            open_timeout=5,
        ) as socket:
            await socket.send(json.dumps({"type": "close", "conversation": conversation_id}))
            async with asyncio.timeout(10):
                async for raw in socket:
                    frame = json.loads(raw)
                    if frame.get("type") == "error":
                        raise AssertionError(frame)
                    if frame.get("type") == "status" and frame.get("status") == "closed":
                        return

    asyncio.run(close())
