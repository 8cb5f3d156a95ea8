"""Fixtures of the reliability tests: the app with the operations layer (planner/ops).

The ``app`` fixture here replaces the root one for this folder: the same fresh database,
with a file cache of its own (the root fixture turns the cache off) and no rate limit.
``client``, ``db`` and ``login_as`` from tests/conftest.py use it.

Slow tests (real gunicorn, PostgreSQL restarts, a full disk) carry ``@pytest.mark.slow``;
``make test`` runs them, ``pytest -m "not slow"`` leaves them out.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import _empty_all_tables, make_app


@pytest.fixture()
def app(schema_database: str, tmp_path):
    app = make_app(
        schema_database,
        PLANNER_CACHE_URL=f"file://{tmp_path / 'cache'}",
        RATELIMIT_ENABLED=False,
    )
    with app.app_context():
        yield app
        from planner.extensions import db

        db.session.remove()
        _empty_all_tables()
        db.engine.dispose()


@pytest.fixture()
def program(db):
    """The four-phase playbook's program: phases, items, risks, metrics."""
    from planner.services.playbooks import get_playbook
    from planner.services.programs import create_program

    program = create_program(
        get_playbook("crm-four-100-days"),
        name="Reliability",
        client="Client",
        start_date=date(2026, 1, 5),
    )
    db.session.commit()
    return program
