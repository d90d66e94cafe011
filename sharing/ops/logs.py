"""Logging set-up: one handler on the root logger, plain text or one JSON object per line.

``create_app`` calls :func:`configure_logging` every time it builds an app (tests build many), so the
handler this module installs is marked and replaced, never added twice. Gunicorn's own loggers do not
propagate to the root, so a request is logged once, by ``sharing.access`` (see :func:`log_request`).
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

_MARK = "_sharing_handler"

# Attributes of a log record that are structured fields of the access line (``extra=``).
ACCESS_FIELDS = ("method", "path", "status", "duration_ms", "user", "remote_addr", "request_id")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the access fields, the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in ACCESS_FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(app) -> logging.Handler:
    """Install (or replace) the application's log handler; ``LOG_FORMAT`` is ``text`` or ``json``."""
    fmt = str(app.config.get("LOG_FORMAT") or "text").lower()
    level = str(app.config.get("LOG_LEVEL") or "INFO").upper()
    handler = logging.StreamHandler(sys.stderr)
    setattr(handler, _MARK, True)
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # Alembic's env.py runs logging.config.fileConfig, which disables every logger that existed
    # before it (disable_existing_loggers=True): after an in-process `db upgrade` ours would be mute.
    for name, logger in list(logging.Logger.manager.loggerDict.items()):
        if isinstance(logger, logging.Logger) and (name == "sharing" or name.startswith("sharing.")):
            logger.disabled = False
    # Flask's app.logger has no handler of its own unless none is configured; keep it propagating to
    # the root so errors are written once, in the same format.
    app.logger.propagate = True
    return handler


ACCESS = logging.getLogger("sharing.access")


def access_logged() -> bool:
    """Whether request lines are written (LOG_LEVEL INFO or lower): else nothing is gathered for them."""
    return ACCESS.isEnabledFor(logging.INFO)


def log_request(request, response, started: float, now: float, user_id) -> None:
    """One line per request: method, path, status, duration and user (structured for JSON)."""
    duration_ms = round((now - started) * 1000, 1)
    ACCESS.info(
        "%s %s %s %.1fms user=%s",
        request.method,
        request.path,
        response.status_code,
        duration_ms,
        user_id,
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": duration_ms,
            "user": user_id,
            "remote_addr": request.remote_addr,
        },
    )
