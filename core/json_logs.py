"""Log lines as JSON, one object a line (LOG_FORMAT=json): what a log collector indexes.

Each line has `time` (UTC, ISO 8601), `level`, `logger`, `message`, the context that
core.log_context knows (`request_id`, `conversation_id`, `client_id`, `agent_id`) and,
for a failure, `exception` (the traceback as text). The message and the traceback go
through core.log_redaction's `redact`, like every plain line: no visitor token or
email address reaches the JSON either. The ASGI server's own lines (uvicorn's error and
access loggers, which keep handlers of their own) are switched to JSON too, and the
balancer's and Prometheus' probes of /healthz, /readyz and /metrics are left out of the
access log (they come every few seconds from every balancer and scraper).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import orjson

from core import log_context
from core.log_redaction import redact

PROBE_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
ACCESS_LOGGER = "uvicorn.access"
SERVER_LOGGERS = ("uvicorn", "uvicorn.error", ACCESS_LOGGER)  # uvicorn.error writes through "uvicorn"'s handler


class JsonFormatter(logging.Formatter):
    """One JSON object per record; see the module."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        known = log_context.current()
        for name in log_context.FIELDS:
            value = getattr(record, name, None) or known.get(name)  # `extra={...}` wins over the context
            if value is not None:
                line[name] = value
        if record.exc_info:
            line["exception"] = redact(self.formatException(record.exc_info))
        if record.stack_info:
            line["stack"] = redact(self.formatStack(record.stack_info))
        return orjson.dumps(line, default=str).decode()


class QuietProbes(logging.Filter):
    """Drop the access lines of answered probes (/healthz, /readyz, /metrics under 400); a failing one stays."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if not isinstance(args, tuple) or len(args) < 5:
            return True  # not uvicorn's (client, method, path, version, status) line
        path, status = str(args[2]).split("?", 1)[0], args[4]
        return not (path in PROBE_PATHS and isinstance(status, int) and status < 400)


def configure_server_logs(*, json_lines: bool) -> None:
    """Quiet the probes in the server's access log; with `json_lines`, write the server's own lines as JSON.

    Called once the server has configured its loggers (agency/asgi.py), as log_redaction's filter is."""
    access = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(existing, QuietProbes) for existing in access.filters):
        access.addFilter(QuietProbes())
    if json_lines:
        for name in SERVER_LOGGERS:
            for handler in logging.getLogger(name).handlers:
                handler.setFormatter(JsonFormatter())
