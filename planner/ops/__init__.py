"""Running the planner for a team: request logs, health check, cache, backups, CLI commands.

``init_app(app)`` wires all of it in one call (after the blueprints are registered):
compressed responses and versioned assets, JSON request logs to stdout, the ``/healthz``
blueprint, the derived-results cache and the retry of requests that met a locked SQLite
database. Each part also has its own
``init_app`` for an app that wants only some of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    from planner.ops import assets, cache, errors, health
    from planner.ops import logging as request_logging

    assets.init_app(app)
    request_logging.init_app(app)
    health.init_app(app)
    cache.init_app(app)
    errors.init_app(app)
