"""Benchmark of the programs list with many programs (issue 20).

Run: ``.venv/bin/python -m bench.program_list_bench [--programs 50] [--repeat 9]``

``--programs`` programs of the four-phase playbook (84 items each, started at spread-out
days so they stand in different phases) on a fresh SQLite database and a file cache
shared as by gunicorn workers. ``GET /`` through the Flask test client (server work, no
network), median of the repeats, wall and CPU time (``time.process_time``: fairer on a
machine other sessions load), and the SQL statements of one request:

* cold — every line computed (the cache emptied before each request);
* one changed — one program changed just before (its line alone computed);
* warm — every line read from the cache.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any


def _timed(client: Any, repeat: int, before: Any = None) -> tuple[float, float]:
    wall, cpu = [], []
    for _ in range(repeat):
        if before is not None:
            before()
        w, c = time.perf_counter(), time.process_time()
        response = client.get("/")
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
        assert response.status_code == 200, response.status_code
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()

    from sqlalchemy import event

    from planner import create_app

    folder = Path(tempfile.mkdtemp(prefix="program-list-bench-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
            "SECRET_KEY": "bench-secret-key-that-is-long-enough-123",
            "WTF_CSRF_ENABLED": False,
            "PLANNER_REQUEST_LOG": False,
            "PLANNER_CACHE_URL": f"file://{folder / 'cache'}",
        }
    )
    with app.app_context():
        from planner.extensions import db
        from planner.models import Program
        from planner.ops.cache import clear
        from planner.services.playbooks import get_playbook
        from planner.services.programs import create_program
        from planner.services.users import create_user
        from planner.sessions import signed_in_session

        db.create_all()
        admin = create_user("bench@example.com", "bench password 1234", is_admin=True)
        playbook = get_playbook("crm-four-100-days")
        for n in range(args.programs):
            start = date.today() - timedelta(days=(n * 37) % 460)
            name, client = f"Program {n:03d}", f"Client {n}"
            create_program(playbook, name=name, client=client, start_date=start)
            db.session.commit()
        admin_id, generation = admin.id, admin.session_generation
        first_id = db.session.scalars(db.select(Program.id)).first()

        client = app.test_client()
        with client.session_transaction() as session:
            session.update(signed_in_session(admin_id, generation))

        statements: list[str] = []
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))

        def change_one() -> None:
            program = db.session.get(Program, first_id)
            program.client = program.client + "."
            db.session.commit()

        load = os.getloadavg()[0]
        print(f"Programs list, {args.programs} programs, SQLite, median of {args.repeat}")
        print(f"load average before: {load:.2f}")
        print(f"{'case':14} {'wall ms':>8} {'cpu ms':>8} {'queries':>8}")
        for case, before in (("cold", clear), ("one changed", change_one), ("warm", None)):
            client.get("/")  # the previous case's state settles
            wall, cpu = _timed(client, args.repeat, before)
            if before is not None:
                before()
            statements.clear()
            client.get("/")
            print(f"{case:14} {wall:8.1f} {cpu:8.1f} {len(statements):8d}")
        print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
