"""Safety nets for concurrent writers, so that a race is never a 500.

* **Stale row versions**: a view checks the version its form carried
  (``check_version``), but two requests can pass that check at the same moment; the
  second one's ``UPDATE … WHERE version = n`` then matches no row and SQLAlchemy raises
  ``StaleDataError``. Views that do not catch it get a 409 page here ("changed by someone
  else since you opened it"), the transaction rolled back, nothing saved.
* **Ids out of range**: an id in a URL larger than the database's integer columns hold
  (``/programs/100000000000000000000000``) would make the driver raise (SQLite: "Python int
  too large", PostgreSQL: "integer out of range") and answer 500; such a URL is a 404 here,
  before any view runs.
* **Locked SQLite database**: a writer that waited longer than the busy timeout for the
  write lock gets ``OperationalError: database is locked``. Every view is wrapped so that
  such a request is rolled back and run again (a few times, with a short random pause)
  before the error is let through: a person sees a slower answer, not an error.
* **Unique keys taken at the same moment**: two requests that both pick the next free key
  (``R-12``) pass every check and the second ``INSERT`` violates the unique constraint
  (``IntegrityError``). Such a request is rolled back and run again, when the next key is
  free; if it still conflicts it gets a 409 page, nothing saved, instead of a 500.
* **Database unavailable** (PostgreSQL restarting, SQLite's disk full, a connection cut):
  any other ``OperationalError`` is answered 503 with ``Retry-After``, the transaction rolled
  back (nothing half-saved), instead of a 500. The page says the last change *may* not have
  been saved: a failure right after a commit (SQLite growing its WAL index on a full disk,
  a connection cut while the answer travels) cannot be told apart from one before it.
  The connection pool's pre-ping replaces dead connections on the next request: no restart
  needed.

``init_app`` must run after every blueprint is registered (views registered later are not
wrapped). A retried view runs again from the start after a rollback: views must not have
effects outside the database before their commit (none has today).
"""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, abort, jsonify, make_response, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from markupsafe import escape
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from planner.extensions import db

log = logging.getLogger(__name__)

LOCKED_ATTEMPTS = 5
CONFLICT_ATTEMPTS = 3
# ids are INTEGER columns: 32-bit on PostgreSQL (SQLite's 64-bit is wider)
MAX_ID = 2**31 - 1
LOCKED_PAUSE_S = (0.05, 0.25)


def is_locked_error(exc: BaseException) -> bool:
    """SQLite's "database is locked" / "database table is locked" (SQLITE_BUSY)."""
    if not isinstance(exc, OperationalError):
        return False
    text = str(getattr(exc, "orig", exc)).lower()
    return "database is locked" in text or "database table is locked" in text


def _rewind_uploads() -> None:
    for storage in request.files.values():
        try:
            storage.stream.seek(0)
        except (AttributeError, OSError, ValueError):
            pass


def retry_locked(view: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``view`` again (rolled back first) when SQLite said the database is locked, or
    when an insert lost a race for a unique key."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        locked = conflicts = 0
        while True:
            try:
                return view(*args, **kwargs)
            except OperationalError as exc:
                locked += 1
                if not is_locked_error(exc) or locked >= LOCKED_ATTEMPTS:
                    raise
                reason, attempt, limit = "database locked", locked, LOCKED_ATTEMPTS
            except IntegrityError:
                conflicts += 1
                if conflicts >= CONFLICT_ATTEMPTS:
                    raise
                reason, attempt, limit = "unique key taken meanwhile", conflicts, CONFLICT_ATTEMPTS
            db.session.rollback()
            log.warning(
                "%s in %s (attempt %d of %d): retrying", reason, request.endpoint, attempt, limit
            )
            _rewind_uploads()
            time.sleep(random.uniform(*LOCKED_PAUSE_S) * attempt)  # nosec B311

    wrapper.__ops_retry__ = True  # type: ignore[attr-defined]  # a marker attribute on the wrapped function
    return wrapper


def _conflict(exc: IntegrityError):
    db.session.rollback()
    log.warning("integrity conflict in %s: answered 409, nothing saved", request.endpoint)
    message = _(
        "This conflicts with a change saved at the same moment; nothing was saved. "
        "Open the page again and retry."
    )
    return _page(409, message)  # a problem document under /api/


def _page(code: int, message: str) -> Response:
    """The app's error page (a problem document under /api/), or a plain page when the
    usual one cannot be drawn right now."""
    if request.path.startswith("/api/"):
        titles = {409: "Conflict", 503: "Service Unavailable"}
        response = jsonify(
            {
                "type": "about:blank",
                "title": titles.get(code, ""),
                "status": code,
                "detail": message,
            }
        )
        response.status_code = code
        response.mimetype = "application/problem+json"
        return response
    try:
        body = render_template("errors/error.html", code=code, message=message)
    except Exception:  # noqa: BLE001 - the page itself may need the database
        body = f"<!doctype html><title>{code}</title><h1>{code}</h1><p>{escape(message)}</p>"
    return make_response(body, code)


def _stale(exc: StaleDataError):
    db.session.rollback()
    log.warning("stale row version in %s: answered 409, nothing saved", request.endpoint)
    message = _(
        "This was changed by someone else since you opened it; nothing was saved. "
        "Open it again to see the current values."
    )
    return _page(409, message)


UNAVAILABLE = _l(
    "The database is not available right now. Your last change may not have been saved: "
    "check it, and try again in a moment."
)


def _translated(text: LazyString) -> str:
    """``text`` in the request's language, or in English when choosing the language needs
    the database (the signed-in user's saved language) and the database is down."""
    try:
        return str(text)
    except Exception:  # noqa: BLE001
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001
            db.session.remove()
        with force_locale("en"):
            return str(text)


def _unavailable(exc: OperationalError):
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection may be gone; the pool replaces it
        db.session.remove()
    log.warning("database unavailable in %s (%s)", request.endpoint, type(exc.orig).__name__)
    message = _translated(UNAVAILABLE)
    response = _page(503, message)
    response.headers["Retry-After"] = "5"
    return response


def _ids_in_range(_endpoint: str | None, values: dict[str, Any] | None) -> None:
    for value in (values or {}).values():
        if isinstance(value, int) and not isinstance(value, bool) and not 0 <= value <= MAX_ID:
            abort(404)


def init_app(app: Flask) -> None:
    app.url_value_preprocessor(_ids_in_range)
    app.register_error_handler(StaleDataError, _stale)
    app.register_error_handler(OperationalError, _unavailable)
    app.register_error_handler(IntegrityError, _conflict)
    if not app.config.get("PLANNER_RETRY_LOCKED", True):
        return
    for endpoint, view in list(app.view_functions.items()):
        if endpoint == "static" or getattr(view, "__ops_retry__", False):
            continue
        app.view_functions[endpoint] = retry_locked(view)
