"""Test-only hook: SIGKILL this process in the middle of a transaction.

``install(table, marker)`` kills the process just before its first ``INSERT INTO <table>``
— once across processes: the marker file is created first, so the worker that replaces
the dead one runs normally. Used by gunicorn_test.conf.py (workers) and import_worker.py.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

_installed: list[Any] = []  # the listeners installed (kept for the process)


def install(table: str, marker: str) -> None:
    prefix = f"insert into {table.lower()} "
    marker_path = Path(marker)

    def _kill(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().lower().replace('"', "").startswith(prefix):
            return
        try:
            fd = os.open(marker_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return  # killed once already
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        os.kill(os.getpid(), signal.SIGKILL)

    _installed.append(_kill)
    event.listen(Engine, "before_cursor_execute", _kill)
