"""Migrations: upgrading an empty database gives exactly the models' schema; downgrade works."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from planner.extensions import db
from tests.conftest import make_app


def test_upgrade_to_head_matches_models_and_downgrade_to_base(empty_database_url: str) -> None:
    app = make_app(empty_database_url)
    with app.app_context():
        try:
            upgrade()
            with db.engine.connect() as conn:
                context = MigrationContext.configure(
                    conn, opts={"compare_type": True, "render_as_batch": True}
                )
                diff = compare_metadata(context, db.metadata)
            assert diff == []

            downgrade(revision="base")
            assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
            upgrade()
            assert {"program", "work_item", "dependency"} <= set(
                inspect(db.engine).get_table_names()
            )
        finally:
            db.engine.dispose()
