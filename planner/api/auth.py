"""Bearer-token authentication for the API, and the API's detachment from the pages' session.

Before any other hook of a request (the policy check included) the API resolves
``Authorization: Bearer <token>`` to its user; Flask-Login's request loader hands that user to
``current_user``, so planner.web.policy applies the pages' role rules unchanged. The cookie
session is replaced, for the API's requests, by an empty one that is never saved (the app's
session interface is wrapped when the blueprint is registered): a signed-in
browser gets nothing from the API without a token, and the API never changes its cookie.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, Response, g, request
from flask.sessions import SecureCookieSession, SessionInterface, SessionMixin

from planner.api import bp
from planner.extensions import db, login_manager
from planner.services.api_tokens import user_for_token

# API paths that keep the pages' session: the documentation is a page like the others
SESSION_PATHS = frozenset({"/api/v1/docs"})


class DetachedSession(SecureCookieSession):
    """The API's session: empty, and never written back to the cookie."""


class ApiSessionInterface(SessionInterface):
    """Wraps the app's session interface: requests under /api/v1 get a detached session."""

    def __init__(self, inner: SessionInterface) -> None:
        self.inner = inner

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        prefix = (bp.url_prefix or "") + "/"
        if request.path.startswith(prefix) and request.path not in SESSION_PATHS:
            return DetachedSession()
        return self.inner.open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if isinstance(session, DetachedSession):
            return
        self.inner.save_session(app, session, response)

    def make_null_session(self, app: Flask) -> Any:
        return self.inner.make_null_session(app)

    def is_null_session(self, obj: object) -> bool:
        return self.inner.is_null_session(obj)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def bearer_token(header: str) -> str | None:
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def authenticate() -> None:
    """Runs first for every request: for the API's, read the bearer token."""
    if request.blueprint != bp.name:
        return
    g.pop("api_user", None)
    token = bearer_token(request.headers.get("Authorization", ""))
    if token is None:
        return
    user = user_for_token(token)
    g.api_user = user
    if user is not None:
        db.session.commit()  # when the token was last used


def load_user_from_request(_request: Request) -> Any:
    """Flask-Login's request loader: the token's user, for the API's requests only."""
    if request.blueprint == bp.name:
        return g.get("api_user")
    return None


@bp.record_once
def _install(state: Any) -> None:
    app: Flask = state.app
    # before the policy check (and every other hook): it needs current_user
    app.before_request_funcs.setdefault(None, []).insert(0, authenticate)
    login_manager.request_loader(load_user_from_request)
    if not isinstance(app.session_interface, ApiSessionInterface):
        app.session_interface = ApiSessionInterface(app.session_interface)
