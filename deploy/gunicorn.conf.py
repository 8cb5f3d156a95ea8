"""gunicorn settings for the planner: ``gunicorn -c deploy/gunicorn.conf.py``.

Everything can be set from the environment (systemd ``Environment=`` lines, a container):

PLANNER_BIND          address to listen on (default 127.0.0.1:8000: nginx in front)
PLANNER_WORKERS       worker processes (default: 2 × CPU cores + 1, at most 8)
PLANNER_THREADS       threads per worker (default 1: sync workers)
PLANNER_TIMEOUT       seconds before a silent worker is killed and replaced (default 60)
PLANNER_MAX_REQUESTS  recycle a worker after this many requests (default 2000, 0 = never)
FORWARDED_ALLOW_IPS   proxies whose X-Forwarded-* headers are trusted (default 127.0.0.1)

The app logs one JSON line per request to stdout (planner/ops/logging.py), so gunicorn's
own access log is off; gunicorn's error log (start, stop, worker deaths) goes to stderr.
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


wsgi_app = "planner.ops.wsgi:app"
bind = os.environ.get("PLANNER_BIND", "127.0.0.1:8000")
workers = _int("PLANNER_WORKERS", min(8, multiprocessing.cpu_count() * 2 + 1))
threads = _int("PLANNER_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
# load the app once in the master: workers start fast and share its memory pages
preload_app = True
timeout = _int("PLANNER_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5
max_requests = _int("PLANNER_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# nginx sits in front: trust its X-Forwarded-For/-Proto (see deploy/nginx.conf)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# request size limits (nginx's client_max_body_size and MAX_CONTENT_LENGTH do the rest)
limit_request_line = 8190
limit_request_fields = 100
accesslog = None  # the app writes a JSON line per request instead
errorlog = "-"
loglevel = os.environ.get("PLANNER_GUNICORN_LOGLEVEL", "info")
capture_output = False
# heartbeat files in memory, not on a possibly slow disk
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
proc_name = "planner"
# the planner does not use gunicorn's control socket (gunicorn 24+): two instances would clash on it
control_socket_disable = True


def on_starting(server):  # type: ignore[no-untyped-def]
    """Say so when sign-in limits would be counted by each worker on its own."""
    storage = os.environ.get("PLANNER_RATELIMIT_STORAGE", "memory://")
    if workers > 1 and storage.startswith("memory://"):
        server.log.warning(
            "PLANNER_RATELIMIT_STORAGE is %s with %d workers: each counts sign-in attempts "
            "on its own (%d x the limit); set it to redis://… (deploy/README-team.md)",
            storage,
            workers,
            workers,
        )


def post_fork(server, worker):  # type: ignore[no-untyped-def]
    """Each worker opens its own database connections (never share the master's)."""
    app = server.app.wsgi() if hasattr(server.app, "wsgi") else None
    if app is None:
        return
    with app.app_context():
        from planner.extensions import db

        db.engine.dispose(close=False)
