"""Structured request logs: one JSON line per request on standard output.

Each line carries the time, the user (the signed-in user's id, null for anonymous
requests, and the e-mail when the request had loaded the user anyway: logging never
queries the database), the route (Flask endpoint), method,
path, status, duration in milliseconds, the remote address and a request id (taken from
``X-Request-ID`` when the reverse proxy sets one, else made here, and sent back in the
response). gunicorn's own access log is off in ``deploy/gunicorn.conf.py``: these lines
replace it. Settings: ``PLANNER_REQUEST_LOG`` (default on) and ``PLANNER_LOG_JSON`` (default
on: the app's own warnings are JSON lines too).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, request, session
from sqlalchemy import inspect

REQUEST_LOGGER = "planner.request"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class StdoutHandler(logging.Handler):
    """Writes to whatever ``sys.stdout`` is at the time (gunicorn, pytest capture, …)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stdout.write(self.format(record) + "\n")
            sys.stdout.flush()
        except Exception:  # noqa: BLE001 - a log line must never break a request
            self.handleError(record)


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object; ``record.fields`` (a dict) is merged in."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update(fields)
        else:
            entry["message"] = record.getMessage()
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _handler() -> logging.Handler:
    handler = StdoutHandler()
    handler.setFormatter(JsonFormatter())
    handler.set_name("planner-json")
    return handler


def _has_our_handler(logger: logging.Logger) -> bool:
    return any(h.get_name() == "planner-json" for h in logger.handlers)


def request_logger() -> logging.Logger:
    logger = logging.getLogger(REQUEST_LOGGER)
    if not _has_our_handler(logger):
        logger.addHandler(_handler())
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


def _user() -> tuple[Any, Any]:
    """(user id, e-mail) without touching the database: it may be what failed."""
    user_id: Any = None
    try:
        raw = session.get("_user_id")
        user_id = int(raw) if raw is not None else None
    except (RuntimeError, TypeError, ValueError):
        user_id = None
    email = None
    loaded = g.get("_login_user")
    if loaded is not None:
        state = inspect(loaded, raiseerr=False)
        values = state.dict if state is not None else {}
        email = values.get("email")  # only if already loaded: never a query here
        if user_id is None and state is not None and state.identity:
            user_id = state.identity[0]
    return user_id, email


REDACTED = "[redacted]"


def logged_path() -> str:
    """The request's path with every secret in it (a URL argument whose name says token:
    share links, calendar feeds) replaced: the database holds only their hashes, and
    neither should the log."""
    path = request.path
    for name, value in (request.view_args or {}).items():
        if "token" in name.lower() and isinstance(value, str) and value:
            path = path.replace(value, REDACTED)
    return path


def _start() -> None:
    g.ops_started = time.perf_counter()
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex


def _finish(response: Response) -> Response:
    started = g.get("ops_started")
    duration = (time.perf_counter() - started) * 1000 if started is not None else None
    request_id = g.get("request_id")
    if request_id:
        response.headers.setdefault("X-Request-ID", request_id)
    user_id, email = _user()
    request_logger().info(
        "request",
        extra={
            "fields": {
                "event": "request",
                "user": user_id,
                "email": email,
                "route": request.endpoint,
                "method": request.method,
                "path": logged_path(),
                "status": response.status_code,
                "duration_ms": round(duration, 1) if duration is not None else None,
                "remote": request.remote_addr,
                "request_id": request_id,
            }
        },
    )
    return response


def init_app(app: Flask) -> None:
    """Log every request as a JSON line; make the app's own log lines JSON too."""
    if app.config.get("PLANNER_LOG_JSON", True) and not _has_our_handler(app.logger):
        # Flask's default handler writes plain text to stderr: replace it
        from flask.logging import default_handler

        app.logger.removeHandler(default_handler)
        app.logger.addHandler(_handler())
    if not app.config.get("PLANNER_REQUEST_LOG", True):
        return
    request_logger()
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)
