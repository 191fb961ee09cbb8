"""Keep visitor tokens out of server logs.

Tokens are stored only as hashes; a log line with `?token=…` (uvicorn prints the
path of every websocket handshake and HTTP request, query string included) would
undo that. The widget sends its token in a subprotocol header, which servers do
not log; this filter covers the deprecated `?token=` form and anything else.
"""

from __future__ import annotations

import logging
import re

TOKEN_IN_TEXT = re.compile(r"(token=)[^&\s\"']+", re.IGNORECASE)
REDACTED = r"\1[redacted]"
# The ASGI servers' own loggers do not propagate to Django's handlers.
SERVER_LOGGERS = ("uvicorn.error", "uvicorn.access", "daphne.server", "daphne.http_protocol", "daphne.ws_protocol")


def redact(value: object) -> object:
    return TOKEN_IN_TEXT.sub(REDACTED, value) if isinstance(value, str) else value


class RedactTokens(logging.Filter):
    """Rewrites `token=<secret>` to `token=[redacted]` in a record's message and arguments."""

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
