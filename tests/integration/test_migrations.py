"""Migrations: upgrading an empty database gives exactly the models' schema; downgrade works."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from planner.config import DEMO_DATABASE_FILE
from planner.demo import reset_demo_database
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


def _schema(engine: Any) -> dict[str, dict[str, Any]]:
    """Every table's columns (type, nullability, default, key), keys, indexes, unique and
    check constraints as the database reports them, in a comparable form."""
    inspector = inspect(engine)
    tables: dict[str, dict[str, Any]] = {}
    for table in sorted(inspector.get_table_names()):
        if table == "alembic_version":
            continue
        tables[table] = {
            "columns": sorted(
                (c["name"], str(c["type"]), c["nullable"], c.get("default"))
                for c in inspector.get_columns(table)
            ),
            "primary key": inspector.get_pk_constraint(table)["constrained_columns"],
            "foreign keys": sorted(
                (
                    tuple(fk["constrained_columns"]),
                    fk["referred_table"],
                    tuple(fk["referred_columns"]),
                    tuple(sorted((fk.get("options") or {}).items())),
                )
                for fk in inspector.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                for i in inspector.get_indexes(table)
            ),
            "unique": sorted(
                tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)
            ),
            "checks": sorted(
                " ".join(c["sqltext"].split()) for c in inspector.get_check_constraints(table)
            ),
        }
    return tables


#: server defaults a migration gave a NOT NULL column it added, to fill the rows that were
#: already there (the models set these values themselves); a fresh database has no such rows
BACKFILL_DEFAULTS = {
    ("gate_criterion", "evidence"): "''",
    ("risk", "issue_note"): "''",
    **{
        (table, "version"): "'1'"
        for table in ("gate_criterion", "metric", "metric_reading", "program", "risk", "work_item")
    },
}


def _without_backfill_defaults(schema: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The schema with the backfill defaults taken out (each must be there, as listed)."""
    out = {table: dict(parts) for table, parts in schema.items()}
    for (table, column), default in BACKFILL_DEFAULTS.items():
        columns = out[table]["columns"]
        found = [c for c in columns if c[0] == column]
        assert [c[3] for c in found] == [default], (table, column, found)
        out[table]["columns"] = sorted((c if c[0] != column else (*c[:3], None)) for c in columns)
    return out


def test_demo_schema_made_in_one_step_equals_the_migrated_one(
    empty_database_url: str, tmp_path: Path
) -> None:
    """`planner demo` makes its fresh database with `create_all` + a stamp at head instead of
    running every migration: the tables, columns, keys, indexes and checks must be those of
    a database upgraded migration by migration, and the stamp must be the head."""
    if not empty_database_url.startswith("sqlite"):
        pytest.skip("the demo database is SQLite")
    migrated_app = make_app(empty_database_url)
    with migrated_app.app_context():
        try:
            upgrade()
            migrated = _without_backfill_defaults(_schema(db.engine))
            with db.engine.connect() as conn:
                head = MigrationContext.configure(conn).get_current_revision()
        finally:
            db.engine.dispose()

    instance = tmp_path / "instance"
    instance.mkdir()
    demo_url = f"sqlite:///{instance / DEMO_DATABASE_FILE}"
    demo_app = make_app(demo_url)
    demo_app.instance_path = str(instance)
    with demo_app.app_context():
        try:
            reset_demo_database(demo_app)
            created = _schema(db.engine)
            with db.engine.connect() as conn:
                context = MigrationContext.configure(
                    conn, opts={"compare_type": True, "render_as_batch": True}
                )
                assert context.get_current_revision() == head
                assert compare_metadata(context, db.metadata) == []
        finally:
            db.engine.dispose()

    assert head is not None
    assert set(created) == set(migrated)
    different = {
        table: {
            k: (v, migrated[table][k]) for k, v in created[table].items() if v != migrated[table][k]
        }
        for table in migrated
        if created[table] != migrated[table]
    }
    assert different == {}
