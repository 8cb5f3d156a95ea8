"""Benchmark of the portfolio page: 10 programs at 1k / 10k / 50k items in all; prints figures.

Run: ``.venv/bin/python -m bench.portfolio_bench [--totals 1000 10000 50000] [--repeat 7]``

For each total, ``--programs`` generated programs (progress up to today) share it on a fresh
SQLite database with a file cache (as gunicorn workers share it). Timed, medians:

* GET /portfolio through the Flask test client (the server's whole work), cold (cache
  emptied: every program's item summary computed from the rows), warm (every summary
  from the cache), and after one program changed (one summary computed again);
* the service alone, ``portfolio(today)``, warm, and the item-by-item computation it
  replaced (every work item loaded as an object and judged per phase), for comparison.

Budget (issue 17): portfolio of 10 programs × 5,000 items ≤ 150 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

BUDGET_MS = {50_000: 150}


def _median(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Median wall and CPU ms."""
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def _cell(figures: tuple[float, float]) -> str:
    return f"{figures[0]:.1f} / {figures[1]:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--totals", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    parser.add_argument("--programs", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    from planner import create_app

    print(f"load average before: {os.getloadavg()[0]:.1f}")
    print(f"Portfolio of {args.programs} programs, SQLite, wall / CPU ms, medians")
    print(
        "| items in all | cold | warm | after one change | service warm | item by item "
        "| budget (warm, CPU) |"
    )
    print("|---|---|---|---|---|---|---|")
    for total in args.totals:
        folder = Path(tempfile.mkdtemp(prefix="portfolio-bench-"))
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
                "SECRET_KEY": "bench-secret-key-that-is-long-enough-123",
                "WTF_CSRF_ENABLED": False,
                "PLANNER_REQUEST_LOG": False,
                "PLANNER_CACHE_URL": f"file://{folder / 'cache'}",
            }
        )
        _measure(app, total, args.programs, args.repeat)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


def _measure(app: Any, total: int, count: int, repeat: int) -> None:
    from planner.ops.cache import clear
    from planner.sessions import signed_in_session

    today = date.today()
    with app.app_context():
        from planner.extensions import db
        from planner.services.generate import generate_program
        from planner.services.users import create_user

        db.create_all()
        admin = create_user("bench@example.com", "bench password 1234", is_admin=True)
        ids = []
        for k in range(count):
            program = generate_program(
                total // count,
                start_date=today - timedelta(days=150),
                progress_until=today,
                seed=k + 1,
                name=f"Program {k + 1:02d}",
            )
            db.session.commit()
            ids.append(program.id)
        admin_id = admin.id
    client = app.test_client()
    with client.session_transaction() as session:
        session.update(signed_in_session(admin_id))

    def get() -> None:
        response = client.get("/portfolio")
        assert response.status_code == 200, response.status_code
        response.close()

    def cold() -> None:
        with app.app_context():
            clear()
        get()

    counter = iter(range(10**6))

    def changed() -> None:
        with app.app_context():
            from planner.extensions import db
            from planner.models import Program

            program = db.session.get(Program, ids[0])
            assert program is not None
            program.client = f"Client {next(counter)}"  # an audited change: a new revision
            db.session.commit()
        get()

    get()
    figures = [_median(cold, repeat), _median(get, repeat), _median(changed, repeat)]
    with app.test_request_context():
        from planner.extensions import db
        from planner.services.dashboard import portfolio

        figures.append(_median(lambda: (portfolio(today), db.session.expunge_all()), repeat))
        figures.append(_median(lambda: (_item_by_item(today), db.session.expunge_all()), 3))
    budget = BUDGET_MS.get(total)
    verdict = "—"
    if budget:
        verdict = f"≤ {budget} ms: {'met' if figures[1][1] <= budget else 'NOT met'}"
    print(f"| {total:,} | {' | '.join(_cell(f) for f in figures)} | {verdict} |", flush=True)


def _item_by_item(today: date) -> None:
    """What the portfolio computed before: every item an object, judged per phase."""
    from planner.extensions import db
    from planner.services import dashboard
    from planner.services import metrics as metric_service
    from planner.services.gates import decisions_by_phase, program_facts, program_query

    programs = list(db.session.scalars(program_query()))
    ids = [p.id for p in programs]
    settings = metric_service.settings_by_program(ids)
    decisions = decisions_by_phase(ids)
    for program in programs:
        facts = program_facts(program, today, settings=settings[program.id], decisions=decisions)
        for phase in program.phases:
            dashboard.phase_status(facts, phase)


if __name__ == "__main__":
    main()
