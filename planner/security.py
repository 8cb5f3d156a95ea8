"""Sign-in, permissions, security headers and cookies, wired into the app in one place."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask, Request, Response, g, request
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from planner import sessions
from planner.extensions import db, limiter, login_manager
from planner.services import audit
from planner.web.csp import content_security_policy

HOST_PREFIX = "__Host-"
# responses that set their own caching (static files, the calendar feed, the API docs)
# keep it; everything else is a signed-in page, a sign-in form or an export: never stored
NO_STORE = "no-store"


class HttpsAwareSessionInterface(SecureCookieSessionInterface):
    """The session cookie is marked Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        current: Request | None = request if request else None
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or bool(
            current is not None and current.is_secure
        )

    def get_cookie_name(self, app: Flask) -> str:
        """``__Host-session`` over HTTPS: the browser then accepts the cookie only when
        Secure, for the whole site and from this host alone (no sibling domain can set or
        shadow it)."""
        name = super().get_cookie_name(app)
        host_only = not self.get_cookie_domain(app) and self.get_cookie_path(app) == "/"
        if host_only and self.get_cookie_secure(app):
            return HOST_PREFIX + name
        return name


def _load_user(user_id: str) -> Any:
    from planner.models import User

    try:
        user = db.session.get(User, int(user_id))
    except ValueError:
        return None
    if user is None or not user.active:
        sessions.forget()
        return None
    # a revoked, idle or too old session signs nobody in (planner/sessions.py)
    return user if sessions.check(user) else None


def _actor() -> str:
    try:
        if current_user and current_user.is_authenticated:
            return str(current_user.email)
        if g.get("share_program_id") is not None:
            return "share link"
    except RuntimeError:  # outside a request
        pass
    return "system"


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", content_security_policy())
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.endpoint != "static" and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = NO_STORE
    return response


def _trust_proxies(app: Flask) -> None:
    """Behind ``PLANNER_PROXY_COUNT`` reverse proxies, the client's address and scheme are
    the ones they forwarded (rate limits, logs, Secure cookies); never believed otherwise,
    since any client can send an X-Forwarded-For header."""
    proxies = int(app.config.get("PLANNER_PROXY_COUNT") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # the documented way to wrap a Flask app's WSGI callable
            app.wsgi_app, x_for=proxies, x_proto=proxies
        )


def init_app(app: Flask) -> None:
    from planner.web import policy

    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    # the signed cookie itself is refused once older than a session may live
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(
        hours=int(app.config.get("PLANNER_SESSION_MAX_HOURS", sessions.DEFAULT_MAX_HOURS))
    )
    app.session_interface = HttpsAwareSessionInterface()
    login_manager.init_app(app)
    login_manager.user_loader(_load_user)
    login_manager.login_view = "auth.login"
    limiter.init_app(app)
    _trust_proxies(app)
    audit.set_actor_provider(_actor)
    policy.init_app(app)
    app.after_request(_security_headers)
