"""The WSGI entry point for gunicorn: ``gunicorn -c deploy/gunicorn.conf.py planner.ops.wsgi:app``.

Settings come from the environment (see planner/config.py); the app factory adds the
operations layer (request logs, /healthz, cache, safety nets).
"""

from __future__ import annotations

from planner import create_app

app = create_app()
