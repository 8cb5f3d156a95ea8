"""Migrations: head equals the models exactly, and downgrading to base works."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from planner.extensions import db


def test_head_matches_models_and_downgrade_to_base(app) -> None:  # type: ignore[no-untyped-def]
    # the app fixture's database was built by `upgrade()` through every revision
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "render_as_batch": True}
        )
        diff = compare_metadata(context, db.metadata)
    assert diff == []

    downgrade(revision="base")
    try:
        tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
    finally:
        upgrade()
    assert "work_item" in inspect(db.engine).get_table_names()
