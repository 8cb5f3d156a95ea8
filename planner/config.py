"""Settings from the environment; the default database is SQLite in the instance folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from planner.domain.errors import PlannerError

PACKAGE_ROOT = Path(__file__).resolve().parent
# Templates, static files, translations, playbooks and migrations sit beside the package in a
# checkout (the layout the product asks for); a built wheel carries them inside the package,
# under planner/_shipped/ (copied there by setup.py's build step).
_CHECKOUT_ROOT = PACKAGE_ROOT.parent
PROJECT_ROOT = (
    _CHECKOUT_ROOT if (_CHECKOUT_ROOT / "templates").is_dir() else PACKAGE_ROOT / "_shipped"
)
SHIPPED_PLAYBOOKS = PROJECT_ROOT / "playbooks"
DEMO_DATABASE_FILE = "demo.sqlite"
MIN_SECRET_KEY_LENGTH = 24
GENERATED_KEY_FLAG = "PLANNER_SECRET_KEY_GENERATED"
WEAK_SECRET_KEYS = {"dev", "secret", "changeme", "change-me", "development", "test"}


class ConfigError(PlannerError):
    """The app cannot start with these settings."""


def settings_from_environment(instance_path: str) -> dict[str, Any]:
    """Collect settings from ``PLANNER_*``, ``DATABASE_URL`` and ``SECRET_KEY``."""
    demo = os.environ.get("PLANNER_DEMO") == "1"
    extra_dirs = [
        Path(p) for p in os.environ.get("PLANNER_PLAYBOOK_DIRS", "").split(os.pathsep) if p
    ]
    return {
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path, demo),
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "PLAYBOOK_DIRS": [SHIPPED_PLAYBOOKS, *extra_dirs],
        "DEMO_MODE": demo,
        "DEBUG": os.environ.get("FLASK_DEBUG") == "1",
        "BOOTSTRAP_SERVE_LOCAL": True,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,
        **_operations_settings(),
    }


def _database_url(instance_path: str, demo: bool) -> str:
    """``DATABASE_URL``, else SQLite in the instance folder (the demo's own file in demo
    mode, whatever ``DATABASE_URL`` says)."""
    database_url = os.environ.get("DATABASE_URL") or (
        "sqlite:///" + os.path.join(instance_path, "planner.sqlite")
    )
    if demo:
        database_url = "sqlite:///" + os.path.join(instance_path, DEMO_DATABASE_FILE)
    if database_url.startswith("postgresql://"):
        # psycopg 3 is the driver we ship; plain postgresql:// would pick psycopg2
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    return database_url


def _operations_settings() -> dict[str, Any]:
    """The planner's own settings (``PLANNER_*``): limits, proxies, cache, logs, sessions,
    mail, webhooks and attachments."""
    return {
        # per process by default; several workers share limits through Redis, e.g.
        # PLANNER_RATELIMIT_STORAGE=redis://127.0.0.1:6379
        "RATELIMIT_STORAGE_URI": os.environ.get("PLANNER_RATELIMIT_STORAGE", "memory://"),
        # always said: Flask-Limiter otherwise keeps whatever an app made before in this
        # process said (one with limits off left every later app without them)
        "RATELIMIT_ENABLED": True,
        # sign-in attempts per client address, and failed ones per account (any address)
        "PLANNER_SIGNIN_LIMIT": os.environ.get("PLANNER_SIGNIN_LIMIT", "10 per minute"),
        "PLANNER_SIGNIN_ACCOUNT_LIMIT": os.environ.get(
            "PLANNER_SIGNIN_ACCOUNT_LIMIT", "10 per 15 minutes"
        ),
        # reverse proxies in front (nginx: 1) whose X-Forwarded-For/-Proto are believed;
        # 0 = none, the connection's address is the client's
        "PLANNER_PROXY_COUNT": _int("PLANNER_PROXY_COUNT", 0, minimum=0),
        # derived results (schedules, charts): "" = a folder shared by this machine's
        # workers, redis://… shared by several machines, "null" = no cache
        "PLANNER_CACHE_URL": os.environ.get("PLANNER_CACHE_URL", ""),
        # one JSON line per request on stdout; the app's own log lines as JSON too
        "PLANNER_REQUEST_LOG": _flag("PLANNER_REQUEST_LOG", True),
        "PLANNER_LOG_JSON": _flag("PLANNER_LOG_JSON", True),
        # a signed-in session ends after this long without a request, and this long after
        # its sign-in whatever happens (planner/sessions.py)
        "PLANNER_SESSION_IDLE_MINUTES": _int("PLANNER_SESSION_IDLE_MINUTES", 120),
        "PLANNER_SESSION_MAX_HOURS": _int("PLANNER_SESSION_MAX_HOURS", 12),
        # run a request again when SQLite said "database is locked"
        "PLANNER_RETRY_LOCKED": _flag("PLANNER_RETRY_LOCKED", True),
        # compiled schedules each worker keeps for incremental edits (0: none)
        "PLANNER_LIVE_SCHEDULES": _int("PLANNER_LIVE_SCHEDULES", 8, minimum=0),
        # notifications (planner/services/notify*.py, digest.py, webhooks.py): e-mail goes
        # through PLANNER_SMTP_URL (smtp+starttls://user:pass@host:587, smtps://…, smtp://…)
        # when `planner notify send` runs (cron); links in e-mails start with PLANNER_BASE_URL
        "PLANNER_SMTP_URL": os.environ.get("PLANNER_SMTP_URL", ""),
        "PLANNER_SMTP_CA_FILE": os.environ.get("PLANNER_SMTP_CA_FILE", ""),
        "PLANNER_MAIL_FROM": os.environ.get("PLANNER_MAIL_FROM", "planner@localhost"),
        "PLANNER_BASE_URL": os.environ.get("PLANNER_BASE_URL", "http://localhost:5000"),
        # webhooks never reach loopback, private or link-local addresses unless this is on
        "PLANNER_WEBHOOK_ALLOW_PRIVATE": _flag("PLANNER_WEBHOOK_ALLOW_PRIVATE", False),
        # attachments: kept under <instance>/attachments (or this folder), at most this big
        "PLANNER_ATTACHMENT_DIR": os.environ.get("PLANNER_ATTACHMENT_DIR", ""),
        "PLANNER_ATTACHMENT_MAX_MB": _int("PLANNER_ATTACHMENT_MAX_MB", 10),
    }


def _int(name: str, default: int, minimum: int = 1) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from None
    if number < minimum:
        raise ConfigError(f"{name} must be at least {minimum}")
    return number


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() not in ("0", "false", "no", "off")


def check_secret_key(config: dict[str, Any]) -> None:
    """Refuse to serve real users with a missing or guessable secret key."""
    lenient = ("TESTING", "DEBUG", "DEMO_MODE", "CLI_MODE")
    if any(config.get(flag) for flag in lenient):
        if not config.get("SECRET_KEY"):
            config["SECRET_KEY"] = os.urandom(32).hex()
            # a maintenance command may go on to serve (`planner run`): remember that this
            # key is a stand-in, so the check before serving still refuses it
            config[GENERATED_KEY_FLAG] = True
        return
    key = config.get("SECRET_KEY") or ""
    if (
        config.get(GENERATED_KEY_FLAG)
        or len(key) < MIN_SECRET_KEY_LENGTH
        or key.lower() in WEAK_SECRET_KEYS
    ):
        raise ConfigError(
            "SECRET_KEY is missing or weak: set SECRET_KEY to a random string of at least "
            f"{MIN_SECRET_KEY_LENGTH} characters, e.g. "
            '`export SECRET_KEY=$(python -c "import secrets; print(secrets.token_hex(32))")`'
        )
