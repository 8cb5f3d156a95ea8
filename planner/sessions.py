"""Signed-in sessions the server can end: a generation per account, and two timeouts.

The session is a signed cookie, so the server cannot delete a copy of it. Instead each
account holds a *session generation* (``User.session_generation``) and every session carries
the generation it was started with. Signing out, changing the password, deactivation and an
administrator's "sign out everywhere" raise the account's generation: every cookie issued
before no longer matches and is refused by the user loader. A session also ends after
``PLANNER_SESSION_IDLE_MINUTES`` without a request and ``PLANNER_SESSION_MAX_HOURS`` after
its sign-in, whatever happens in between.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any, Protocol

from flask import current_app, session

#: What a session holds about its sign-in, next to Flask-Login's ``_user_id``.
GENERATION_KEY = "_gen"
SIGNED_IN_AT_KEY = "_auth_at"
LAST_SEEN_KEY = "_seen"
SESSION_KEYS = (GENERATION_KEY, SIGNED_IN_AT_KEY, LAST_SEEN_KEY)
# Flask-Login's own keys, dropped with ours when a session is refused
_LOGIN_KEYS = ("_user_id", "_fresh", "_id", "_remember")
# rewriting the cookie on every request is pointless: note activity once a minute
_SEEN_RESOLUTION_SECONDS = 60

DEFAULT_IDLE_MINUTES = 120
DEFAULT_MAX_HOURS = 12


class SessionOwner(Protocol):
    session_generation: int


def now_seconds() -> int:
    return int(time.time())


def stamp(generation: int, now: int | None = None) -> dict[str, int]:
    """What a new session of an account at ``generation`` records about its sign-in."""
    moment = now_seconds() if now is None else now
    return {GENERATION_KEY: generation, SIGNED_IN_AT_KEY: moment, LAST_SEEN_KEY: moment}


def signed_in_session(user_id: int, generation: int = 0) -> dict[str, object]:
    """A whole signed-in session as a sign-in leaves it (Flask-Login's keys and ours):
    for tests and benchmarks that sign people in without the rate-limited form."""
    return {"_user_id": str(user_id), "_fresh": True, **stamp(generation)}


def start(user: SessionOwner) -> None:
    """Bind the current session to ``user``'s present generation (after login_user)."""
    session.update(stamp(user.session_generation))


def is_current(user: SessionOwner, data: Mapping[str, Any], config: Mapping[str, Any]) -> bool:
    """Whether a session holding ``data`` may still act for ``user``."""
    generation = data.get(GENERATION_KEY)
    signed_in_at = data.get(SIGNED_IN_AT_KEY)
    last_seen = data.get(LAST_SEEN_KEY)
    if not (
        isinstance(generation, int) and isinstance(signed_in_at, int) and isinstance(last_seen, int)
    ):
        return False  # a session from before revocation existed, or a forged shape
    if generation != user.session_generation:
        return False
    now = now_seconds()
    idle_limit = int(config.get("PLANNER_SESSION_IDLE_MINUTES", DEFAULT_IDLE_MINUTES)) * 60
    max_age = int(config.get("PLANNER_SESSION_MAX_HOURS", DEFAULT_MAX_HOURS)) * 3600
    return now - last_seen <= idle_limit and now - signed_in_at <= max_age


def check(user: SessionOwner) -> bool:
    """The user loader's test for the request's session; notes the activity when it passes
    and forgets the sign-in when it does not."""
    if not is_current(user, session, current_app.config):
        forget()
        return False
    now = now_seconds()
    if now - int(session[LAST_SEEN_KEY]) >= _SEEN_RESOLUTION_SECONDS:
        session[LAST_SEEN_KEY] = now
    return True


def forget() -> None:
    """Drop the sign-in from the current session (its other contents stay)."""
    for key in (*SESSION_KEYS, *_LOGIN_KEYS):
        session.pop(key, None)
