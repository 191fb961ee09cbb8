"""A real SMTP server for the specs (aiosmtpd, in a thread of the test process) that takes
mail only after a login, over plain loopback (no TLS: AUTH allowed without it)."""

from __future__ import annotations

import email
import threading
import time
from email.message import Message

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from conftest import free_port


class SmtpServer:
    """Mail received, each with the login it came under, on 127.0.0.1:<port>."""

    def __init__(self, *, username: str, password: str):
        self.username, self.password = username, password
        self.port = free_port()
        self.received: list[tuple[str, Message]] = []  # (login, message)
        self.refused_logins: list[str] = []
        self.lock = threading.Lock()
        self.controller = Controller(
            self,
            hostname="127.0.0.1",
            port=self.port,
            authenticator=self.authenticate,
            auth_required=True,
            auth_require_tls=False,
        )

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def environment(self) -> dict[str, str]:
        """What an operator sets for Relevo to send through this server (README, Production)."""
        return {
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.port),
            "EMAIL_HOST_USER": self.username,
            "EMAIL_HOST_PASSWORD": self.password,
            "EMAIL_TIMEOUT": "10",
        }

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        login = auth_data.login.decode() if isinstance(auth_data, LoginPassword) else ""
        if isinstance(auth_data, LoginPassword) and (login, auth_data.password.decode()) == (
            self.username,
            self.password,
        ):
            return AuthResult(success=True, auth_data=login)
        with self.lock:
            self.refused_logins.append(login)
        return AuthResult(success=False, handled=False)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's hook name)
        with self.lock:
            self.received.append((session.auth_data, email.message_from_bytes(envelope.content)))
        return "250 OK"

    def wait_for(self, count: int, timeout: float) -> list[tuple[str, Message]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.received) >= count:
                    return list(self.received)
            time.sleep(0.05)
        raise AssertionError(f"{len(self.received)} of {count} emails reached the SMTP server in {timeout} s")
