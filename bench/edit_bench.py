"""Benchmark of plan edits through the app (save a duration, add a dependency); prints figures.

Run: ``.venv/bin/python -m bench.edit_bench [--items 2000 10000] [--repeat 15] [--deep-only]``

For each size, two generated programs on a fresh SQLite database: *shallow* (workstreams of
50 items: ~150 dependency levels) and *deep* (six workstreams: a chain of n / 6 items plus
cross-links, n / 6 + levels — the plans the old benchmarks never met). Each edit is an
HTTP POST through the Flask test client (form parsing, permission, service, commit,
redirect: the server's whole work), timed three ways:

* rows — nothing kept and no record of the program's revision (the first edit after an
  upgrade, or after a change to the plan made by a path that schedules nothing): the
  schedule is built from every row;
* cold — the first edit after a restart, or another worker made the last edit: nothing
  kept in this process, the schedule is built from the program's record (written by the
  edit before, in its transaction);
* warm — the same worker edits again: the compiled schedule is in this process.

Edits: ``save`` a duration, ``link`` (add a dependency, with its cycle check), ``progress``
(percent complete of a started item: scheduled in full).

After the runs the stored dates are compared with a full reschedule (they must be equal).
Budgets (issue 17): save one duration 2k / 10k items ≤ 30 / 60 ms; add one dependency
(with its cycle check) on 2k items ≤ 40 ms.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

BUDGETS = {("save", 2000): 30, ("save", 10000): 60, ("link", 2000): 40}


def _median_ms(samples: list[tuple[float, float]]) -> str:
    """Median wall / CPU ms (the machine is shared: CPU is what the server spends)."""
    wall = statistics.median(s[0] for s in samples) * 1000
    cpu = statistics.median(s[1] for s in samples) * 1000
    return f"{wall:.1f}/{cpu:.1f}".rjust(13)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--deep-only", action="store_true")
    args = parser.parse_args()

    from planner import create_app

    folder = Path(tempfile.mkdtemp(prefix="edit-bench-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
            "SECRET_KEY": "bench-secret-key-that-is-long-enough-123",
            "WTF_CSRF_ENABLED": False,
            "PLANNER_REQUEST_LOG": False,
            "PLANNER_CACHE_URL": f"file://{folder / 'cache'}",
        }
    )
    gc.freeze()  # as the server's entry point does once the app is made (planner.ops.wsgi)
    shapes = {"deep": 0} if args.deep_only else {"shallow": 50, "deep": 0}
    programs: dict[tuple[str, int], int] = {}
    with app.app_context():
        from planner.extensions import db
        from planner.services.generate import generate_program
        from planner.services.users import create_user

        db.create_all()
        admin = create_user("bench@example.com", "bench password 1234", is_admin=True)
        today = date.today()
        for n in args.items:
            for shape, per_stream in shapes.items():
                began = time.perf_counter()
                program = generate_program(
                    n,
                    start_date=today - timedelta(days=150),
                    progress_until=today,
                    items_per_stream=per_stream or max(50, n // 6),
                    name=f"{shape} {n}",
                )
                db.session.commit()
                programs[(shape, n)] = program.id
                print(f"built {shape} {n} in {time.perf_counter() - began:.1f} s", flush=True)
        admin_id = admin.id

    client = app.test_client()
    from planner.sessions import signed_in_session

    with client.session_transaction() as session:
        session.update(signed_in_session(admin_id))

    load = os.getloadavg()
    print(f"\nEdits through the app, SQLite, median of {args.repeat} (ms); load {load[0]:.2f}")
    print("times: wall/CPU ms")
    print(f"{'shape':8} {'items':>6} {'edit':8} {'rows':>13} {'cold':>13} {'warm':>13} budget")
    for (shape, n), program_id in programs.items():
        for edit in ("save", "link", "progress"):
            post = _editor(app, client, program_id, edit, n)
            figures = _time_ways(app, program_id, post, args.repeat)
            budget = BUDGETS.get((edit, n))
            print(
                f"{shape:8} {n:6d} {edit:8} {figures['rows']} {figures['cold']} "
                f"{figures['warm']} {f'≤ {budget}' if budget else ''}",
                flush=True,
            )
        _check_equal(app, program_id)


def _time_ways(app: Any, program_id: int, post: Callable[[], Any], repeat: int) -> dict[str, str]:
    """Medians of the three ways (a response is closed after its time is taken, as a
    server closes it after sending)."""
    from planner.services.live_schedule import forget_all

    def timed(samples: list[tuple[float, float]] | None) -> None:
        began, cpu = time.perf_counter(), time.process_time()
        response = post()
        if samples is not None:
            samples.append((time.perf_counter() - began, time.process_time() - cpu))
        response.close()

    rows: list[tuple[float, float]] = []
    cold: list[tuple[float, float]] = []
    warm: list[tuple[float, float]] = []
    for _ in range(max(3, repeat // 3)):
        forget_all()
        _forget_record(app, program_id)
        timed(rows)
    for _ in range(repeat):
        forget_all()
        timed(cold)
    timed(None)
    for _ in range(repeat):
        timed(warm)
    return {"rows": _median_ms(rows), "cold": _median_ms(cold), "warm": _median_ms(warm)}


def _forget_record(app: Any, program_id: int) -> None:
    from sqlalchemy import delete

    with app.app_context():
        from planner.extensions import db
        from planner.models import PlanRecord

        db.session.execute(delete(PlanRecord).where(PlanRecord.program_id == program_id))
        db.session.commit()
        db.session.remove()


def _editor(app: Any, client: Any, program_id: int, edit: str, n: int) -> Callable[[], Any]:
    """A function that makes one edit of this kind (a new one each call) over HTTP."""
    from sqlalchemy import select

    with app.app_context():
        from planner.extensions import db
        from planner.models import WorkItem

        rows = db.session.execute(
            select(WorkItem.id, WorkItem.key, WorkItem.name, WorkItem.position)
            .where(WorkItem.program_id == program_id, WorkItem.kind == "task")
            .order_by(WorkItem.position)
        ).all()
        middle = rows[len(rows) // 2]
        # the row version the form carries (each save bumps it by one)
        state = {"days": 2, "link": 0, "version": db.session.get(WorkItem, middle.id).version}
        # an item under way (started, not finished): the latest in the plan
        started = db.session.scalars(
            select(WorkItem)
            .where(
                WorkItem.program_id == program_id,
                WorkItem.kind == "task",
                WorkItem.actual_start.is_not(None),
                WorkItem.actual_finish.is_(None),
            )
            .order_by(WorkItem.position.desc())
        ).first()
        if started is not None:
            under_way = {
                "id": started.id,
                "start": started.actual_start.isoformat(),
                "version": started.version,
                "percent": started.percent_complete,
            }
        db.session.remove()

    def save() -> Any:
        state["days"] = 2 + (state["days"] + 1) % 7
        version = state["version"]
        state["version"] += 1
        response = client.post(
            f"/programs/{program_id}/plan/items/{middle.id}/edit",
            data={
                "name": middle.name,
                "kind": "task",
                "duration_days": state["days"],
                "version": version,
            },
        )
        assert response.status_code == 302, response.status_code
        assert "/login" not in response.location, response.location
        return response

    def link() -> Any:
        # forward links (early item → later item) never close a cycle
        k = state["link"]
        state["link"] += 1
        predecessor = rows[(k * 7919) % (len(rows) // 2)]
        successor = rows[len(rows) // 2 + (k * 104729) % (len(rows) // 2)]
        response = client.post(
            f"/programs/{program_id}/plan/dependencies",
            data={
                "predecessor": predecessor.key,
                "successor": successor.key,
                "type": "FS",
                "lag": 0,
            },
        )
        assert response.status_code in (302, 422), response.status_code
        assert "/login" not in response.headers.get("Location", ""), response.location
        return response

    def progress() -> Any:
        under_way["percent"] = 10 + (int(under_way["percent"]) + 7) % 80
        version = under_way["version"]
        under_way["version"] = int(version) + 1
        response = client.post(
            f"/programs/{program_id}/plan/items/{under_way['id']}/progress",
            data={
                "percent_complete": under_way["percent"],
                "actual_start": under_way["start"],
                "actual_finish": "",
                "version": version,
            },
        )
        assert response.status_code == 302, response.status_code
        assert "/login" not in response.location, response.location
        return response

    return {"save": save, "link": link, "progress": progress}[edit]


def _check_equal(app: Any, program_id: int) -> None:
    from sqlalchemy import select

    with app.app_context():
        from planner.extensions import db
        from planner.models import Program, WorkItem
        from planner.services.scheduling import compute, load_network

        program = db.session.get(Program, program_id)
        expected = compute(load_network(program)).items
        stored = db.session.execute(
            select(
                WorkItem.key, WorkItem.early_start, WorkItem.early_finish, WorkItem.total_float
            ).where(WorkItem.program_id == program_id)
        ).all()
        wrong = [
            key
            for key, start, finish, total in stored
            if (start, finish, total)
            != (expected[key].early_start, expected[key].early_finish, expected[key].total_float)
        ]
        db.session.remove()
    if wrong:
        raise SystemExit(f"stored dates differ from a full reschedule: {wrong[:5]}")


if __name__ == "__main__":
    main()
