"""Keep visitor tokens and email addresses out of server logs, plain text or JSON.

Tokens are stored only as hashes; a log line with `?token=…` (uvicorn prints the
path of every websocket handshake and HTTP request, query string included) would
undo that. The widget sends its token in a subprotocol header, which servers do
not log; this filter covers the deprecated `?token=` form and anything else.
An email address is personal data (a visitor's, a client's people's): a line
keeps only that there was one. core.json_logs applies the same `redact` to the
whole JSON line's message and traceback.
"""

from __future__ import annotations

import logging
import re

TOKEN_IN_TEXT = re.compile(r"(token=)[^&\s\"']+", re.IGNORECASE)
REDACTED = r"\1[redacted]"
# The usual address characters only: a path or query before an address (/chats/maria@…) stays readable.
EMAIL_IN_TEXT = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")
REDACTED_EMAIL = "[email]"
# The ASGI servers' own loggers do not propagate to Django's handlers.
SERVER_LOGGERS = ("uvicorn.error", "uvicorn.access", "daphne.server", "daphne.http_protocol", "daphne.ws_protocol")


def redact(value: object) -> object:
    if not isinstance(value, str):
        return value
    value = TOKEN_IN_TEXT.sub(REDACTED, value)
    return EMAIL_IN_TEXT.sub(REDACTED_EMAIL, value) if "@" in value else value


class RedactTokens(logging.Filter):
    """Rewrites `token=<secret>` to `token=[redacted]` and an email address to `[email]` in a
    record's message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: redact(arg) for key, arg in record.args.items()}
        return True


def redact_server_logs() -> None:
    """Install the filter on the ASGI servers' loggers (once; their own config ran before ours)."""
    for name in SERVER_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, RedactTokens) for existing in logger.filters):
            logger.addFilter(RedactTokens())
