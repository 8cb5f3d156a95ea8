"""deploy/gunicorn.conf.py plus, when PLANNER_TEST_KILL_TABLE is set, the kill hook."""

import os
from pathlib import Path

_deploy = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"
exec(compile(_deploy.read_text(), str(_deploy), "exec"))  # noqa: S102  (our own config file)


def post_worker_init(worker):
    table = os.environ.get("PLANNER_TEST_KILL_TABLE")
    if table:
        from tests.reliability.killer import install

        install(table, os.environ["PLANNER_TEST_KILL_MARKER"])
