"""Shared fixtures: a real database per test run (SQLite, or PostgreSQL via TEST_DATABASE_URL)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from flask import request_started

# coded problems are worded as the app words them (planner/explain_text installs the wording)
import planner.explain_text  # noqa: F401

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")

# `make test` spreads the suite over every core (pytest-xdist, --dist loadgroup). These folders
# share something a second worker must not touch at the same moment (gunicorn, PostgreSQL
# restarts, Redis, a full disk): they run as one group, on one worker, in order. (The browser
# tests group themselves: tests/e2e/conftest.py.)
SERIAL_GROUPS = {
    "tests/reliability/": "services",
    "tests/fuzz/": "services",
}


# first: xdist turns the markers into groups in its own hook of this name, which must see them
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        path = str(item.fspath).replace(os.sep, "/")
        for folder, group in SERIAL_GROUPS.items():
            if f"/{folder}" in path:
                item.add_marker(pytest.mark.xdist_group(group))


def _postgres_database() -> Iterator[str]:
    """Create a database of our own on the server and drop it afterwards."""
    from planner.ops.databases import scratch_database

    with scratch_database(TEST_DATABASE_URL, "planner_test") as url:
        yield url


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _fresh_database(tmp_path_factory)


def _fresh_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A new, empty database on the backend under test; dropped afterwards."""
    if TEST_DATABASE_URL:
        yield from _postgres_database()
    else:
        path: Path = tmp_path_factory.mktemp("db") / "planner.sqlite"
        yield f"sqlite:///{path}"


def make_app(database_url: str, **overrides: Any):
    from planner import create_app

    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "test-secret-key-that-is-long-enough",
    }
    config.update(overrides)
    app = create_app(config)
    # a test holds one app context across its requests, and Flask-Babel keeps the chosen
    # locale on g (per app context): forget it at each request, as a server's fresh
    # context does
    request_started.connect(_forget_locale, app)
    return app


def _forget_locale(_sender: Any, **_extra: Any) -> None:
    import flask_babel

    flask_babel.refresh()


@pytest.fixture(scope="session")
def schema_database(database_url: str) -> str:
    """The session's database with every table of the models (tests of migrations use their own)."""
    app = make_app(database_url)
    with app.app_context():
        from planner.extensions import db

        db.create_all()
        db.engine.dispose()
    return database_url


def _empty_all_tables() -> None:
    from planner.extensions import db

    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture(scope="session")
def shared_app(schema_database: str):
    """One app for the whole run: building one costs ~0.2 s (werkzeug compiles ~490 URL
    rules), which over a thousand tests and two databases was minutes of CI."""
    return make_app(schema_database)


@pytest.fixture()
def app(shared_app):
    """The shared app with an empty database and fresh per-process state for each test."""
    from planner.extensions import db, limiter
    from planner.services.live_schedule import forget_all

    with shared_app.app_context():
        limiter.reset()  # sign-in limits counted by earlier tests
        # the extension is one object: an app made by an earlier test (limits off in the
        # reliability tests) switched it for every app
        limiter.enabled = shared_app.config["RATELIMIT_ENABLED"]
        forget_all()  # compiled schedules kept by earlier tests (ids are reused)
        yield shared_app
        db.session.remove()
        _empty_all_tables()


@pytest.fixture()
def db(app):
    from planner.extensions import db

    return db


TEST_PASSWORD = "correct horse battery staple"


def sign_in(client, user) -> None:
    """Start a signed-in session for ``user`` (what a sign-in stores: Flask-Login's keys and
    the account's session generation, planner/sessions.py)."""
    from planner.sessions import signed_in_session

    with client.session_transaction() as session:
        session.update(signed_in_session(user.id, user.session_generation))


def make_user(email: str, **flags: Any):
    from planner.extensions import db
    from planner.services.users import create_user

    user = create_user(email, TEST_PASSWORD, **flags)
    db.session.commit()
    return user


@pytest.fixture()
def anonymous_client(app):
    return app.test_client()


@pytest.fixture()
def client(app):
    """A client signed in as a site administrator (who may open every program)."""
    client = app.test_client()
    sign_in(client, make_user("admin@test.example", name="Admin", is_admin=True))
    return client


@pytest.fixture()
def login_as(app):
    """login_as(role, program) → a client signed in as a new user with that program role.

    ``role`` is lead/member/steering/viewer, "admin" (site administrator), "outsider" (a
    member of no program) or "anonymous".
    """
    from planner.extensions import db
    from planner.models import Membership

    counter = iter(range(1, 1_000_000))

    def login(role: str, program=None):
        client = app.test_client()
        if role == "anonymous":
            return client
        user = make_user(f"{role}{next(counter)}@test.example", is_admin=role == "admin")
        if role in ("lead", "member", "steering", "viewer"):
            assert program is not None, "a program role needs a program"
            db.session.add(Membership(user_id=user.id, program_id=program.id, role=role))
            db.session.commit()
        sign_in(client, user)
        return client

    return login


@pytest.fixture()
def runner(app):
    return app.test_cli_runner()


@pytest.fixture()
def empty_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of its own with no tables, for migration tests."""
    yield from _fresh_database(tmp_path_factory)


#: the day date-dependent tests run on, whatever the machine's date
FROZEN_TODAY = date(2026, 3, 2)


@pytest.fixture()
def today() -> Iterator[date]:
    """A frozen clock: the test and the app (same process) see :data:`FROZEN_TODAY` as today
    (the clock still ticks from 09:00 UTC, so durations measured inside a test stay real).
    Ask for it before ``client`` or ``login_as``: the sign-in then happens on the same clock."""
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=True):
        yield FROZEN_TODAY
