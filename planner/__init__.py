"""CRM Rollout Planner: plan a CRM rollout as a diagnosis stage plus four 100-day phases."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: settings from the environment, overridden by ``config`` (tests)."""
    # imported here so that `import planner.domain` never pulls in Flask
    from flask import Flask

    from planner.config import PROJECT_ROOT, check_secret_key, settings_from_environment

    app = Flask(
        __name__,
        instance_path=os.environ.get("PLANNER_INSTANCE_PATH") or None,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(settings_from_environment(app.instance_path))
    if config:
        app.config.update(config)
    check_secret_key(app.config)
    os.makedirs(app.instance_path, exist_ok=True)

    _init_extensions(app)

    from planner import security

    security.init_app(app)

    from planner.web import register_blueprints

    register_blueprints(app)

    # after the blueprints: the safety nets wrap every registered view
    from planner import ops

    ops.init_app(app)

    from planner.cli import register_commands

    register_commands(app)
    return app


def _init_extensions(app: Flask) -> None:
    """The tables, the words of coded problems, the audit trail, live schedules, owners, the
    database and the Flask extensions (before security and the blueprints)."""
    import planner.models  # noqa: F401  (registers every table on db.metadata)

    # words the coded problems of domain, services and interop in the reader's language
    from planner import database, explain_text, i18n  # noqa: F401
    from planner.config import PROJECT_ROOT
    from planner.extensions import bootstrap, csrf, db, migrate
    from planner.services.audit import init_audit
    from planner.services.live_schedule import init_app as init_live_schedules

    init_audit()
    init_live_schedules()
    from planner.services.owners import install as init_owners

    init_owners()  # owners are people of the directory (issue 23)
    database.init_app(app)
    db.init_app(app)
    # batch mode lets Alembic alter tables on SQLite, which has no ALTER COLUMN
    migrate.init_app(
        app,
        db,
        directory=str(PROJECT_ROOT / "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    csrf.init_app(app)
    bootstrap.init_app(app)
    i18n.init_app(app)
