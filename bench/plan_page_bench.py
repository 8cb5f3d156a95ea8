"""Benchmark of the plan pages of a generated program on SQLite; prints figures.

Run: ``.venv/bin/python -m bench.plan_page_bench [--items 2000] [--repeat 20]``

Builds a fresh SQLite database in a temporary folder, generates a program (chains within
workstreams plus forward cross-links, ~1.5 dependencies per item, a baseline, progress up to
today), signs in, and times the Gantt, table and phase pages end to end inside the app
(WSGI call, no network), with the SQL statements each one issues.
Budget (issue 3): the Gantt page of a 2,000-item program ≤ 150 ms server time on SQLite,
with a number of statements that does not grow with the number of items.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[100, 2000])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    from sqlalchemy import event

    from planner import create_app

    folder = Path(tempfile.mkdtemp(prefix="plan-bench-"))
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
        from planner.services.generate import generate_program
        from planner.services.users import create_user

        db.create_all()
        admin = create_user("bench@example.com", "bench password 1234", is_admin=True)
        today = date.today()
        programs = {}
        for n in args.items:
            program = generate_program(
                n,
                start_date=today - timedelta(days=150),
                progress_until=today,
                baseline_name="Plan of record",
            )
            programs[n] = program.id
        db.session.commit()
        admin_id = admin.id
        engine = db.engine

    # requests run outside the set-up's app context: each gets a fresh session, as in use
    client = app.test_client()
    from planner.sessions import signed_in_session

    with client.session_transaction() as session:
        session.update(signed_in_session(admin_id))

    statements: list[str] = []

    def count(*_args: object) -> None:
        statements.append("x")

    print("Plan pages on SQLite (median of the repeats; budget: Gantt of 2,000 items ≤ 150 ms)")
    for page in ("gantt", "table", "phases"):
        for n, program_id in programs.items():
            url = f"/programs/{program_id}/plan/{page}"
            client.get(url)  # warm up: templates, caches
            wall, cpu = [], []
            size = 0
            for _ in range(args.repeat):
                t0, c0 = time.perf_counter(), time.process_time()
                response = client.get(url)
                wall.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
                size = len(response.data)
                assert response.status_code == 200, response.status_code
            statements.clear()
            event.listen(engine, "before_cursor_execute", count)
            client.get(url)
            event.remove(engine, "before_cursor_execute", count)
            print(
                f"  {page:<7} {n:>6} items: median {statistics.median(wall):7.1f} ms "
                f"(CPU {statistics.median(cpu):6.1f} ms), min {min(wall):7.1f} ms, "
                f"{len(statements):>2} SQL statements, page {size / 1024:6.1f} KB"
            )


if __name__ == "__main__":
    main()
