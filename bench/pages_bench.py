"""Benchmark of the plan pages after a change and warm, and of the bytes of a first visit.

Run: ``.venv/bin/python -m bench.pages_bench [--items 2000 10000] [--repeat 9]``

A generated program per size (progress up to today) on a fresh SQLite database and a file
cache shared as by gunicorn workers. Each page is an HTTP GET through the Flask test client
(server work, no network), median of the repeats:

* after a change — a duration was saved just before (a new revision: nothing cached yet
  for the page, the compiled schedule kept by the edit);
* warm — the same page again (its body cached for this revision).

Bytes: the Gantt page and every asset it links, as a browser accepting brotli and gzip
receives them on its first visit (nothing cached by the browser).

Budgets (issue 17): Gantt first request after a change (2k) ≤ 60 ms; plan table warm (2k)
≤ 40 ms; program overview (2k) ≤ 30 ms; first visit to the Gantt page ≤ 600 KB.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ACCEPT = {"Accept-Encoding": "br, gzip"}


def _median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:7.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[2000])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--pages", nargs="+", default=["gantt", "table", "overview", "dashboard"])
    args = parser.parse_args()

    from planner import create_app

    folder = Path(tempfile.mkdtemp(prefix="pages-bench-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
            "SECRET_KEY": "bench-secret-key-that-is-long-enough-123",
            "WTF_CSRF_ENABLED": False,
            "PLANNER_REQUEST_LOG": False,
            "PLANNER_CACHE_URL": f"file://{folder / 'cache'}",
        }
    )
    programs: dict[int, int] = {}
    with app.app_context():
        from planner.extensions import db
        from planner.services.generate import generate_program
        from planner.services.users import create_user

        db.create_all()
        admin = create_user("bench@example.com", "bench password 1234", is_admin=True)
        for n in args.items:
            program = generate_program(
                n, start_date=date.today() - timedelta(days=150), progress_until=date.today()
            )
            db.session.commit()
            programs[n] = program.id
        admin_id = admin.id

    client = app.test_client()
    from planner.sessions import signed_in_session

    with client.session_transaction() as session:
        session.update(signed_in_session(admin_id))

    print(f"Plan pages, SQLite, median of {args.repeat} (ms); load {os.getloadavg()[0]:.2f}")
    print(f"{'page':10} {'items':>6} {'after change (wall/CPU)':>24} {'warm (wall/CPU)':>16}")
    for n, program_id in programs.items():
        change = _changer(app, client, program_id)
        for page, path in (
            ("gantt", f"/programs/{program_id}/plan/gantt"),
            ("table", f"/programs/{program_id}/plan/table"),
            ("overview", f"/programs/{program_id}"),
            ("dashboard", f"/programs/{program_id}/dashboard"),
        ):
            if page not in args.pages:
                continue
            after: list[tuple[float, float]] = []
            warm: list[tuple[float, float]] = []
            for _ in range(args.repeat):
                change()
                after.append(_timed_get(client, path))
                warm.append(_timed_get(client, path))
            print(f"{page:10} {n:6d} {_pair(after):>24} {_pair(warm):>16}", flush=True)
        visit = _first_visit(client, program_id)
        print(f"bytes of a first visit to the Gantt ({n} items): {visit}")


def _pair(samples: list[tuple[float, float]]) -> str:
    """Median wall and CPU ms (the machine is shared: CPU is what the server spends)."""
    wall = statistics.median(s[0] for s in samples) * 1000
    cpu = statistics.median(s[1] for s in samples) * 1000
    return f"{wall:.1f} / {cpu:.1f}"


def _timed_get(client: Any, path: str) -> tuple[float, float]:
    began, cpu = time.perf_counter(), time.process_time()
    response = client.get(path, headers=ACCEPT)
    spent = (time.perf_counter() - began, time.process_time() - cpu)
    assert response.status_code == 200, (path, response.status_code)
    response.close()
    return spent


def _changer(app: Any, client: Any, program_id: int) -> Callable[[], None]:
    """Save a new duration of one task (a new revision), as a person would."""
    from sqlalchemy import select

    with app.app_context():
        from planner.extensions import db
        from planner.models import WorkItem

        item = db.session.execute(
            select(WorkItem.id, WorkItem.name, WorkItem.version)
            .where(WorkItem.program_id == program_id, WorkItem.kind == "task")
            .order_by(WorkItem.position)
            .offset(100)
            .limit(1)
        ).one()
        db.session.remove()
    state = {"version": item.version, "days": 2}

    def change() -> None:
        state["days"] = 2 + (state["days"] + 1) % 7
        response = client.post(
            f"/programs/{program_id}/plan/items/{item.id}/edit",
            data={
                "name": item.name,
                "kind": "task",
                "duration_days": state["days"],
                "version": state["version"],
            },
        )
        assert response.status_code == 302, response.status_code
        state["version"] += 1
        response.close()
        client.get(f"/programs/{program_id}/plan/phases").close()  # shows (drops) what moved

    return change


def _first_visit(client: Any, program_id: int) -> str:
    page = client.get(f"/programs/{program_id}/plan/gantt", headers=ACCEPT)
    html = page.get_data()
    if page.headers.get("Content-Encoding") == "br":
        import brotli

        html = brotli.decompress(html)
    total = len(page.data)
    parts = [f"page {len(page.data) / 1000:.0f} KB"]
    for url in re.findall(r'(?:src|href)="(/(?:static|bootstrap|vendor)/[^"]+)"', html.decode()):
        asset = client.get(url.replace("&amp;", "&"), headers=ACCEPT)
        total += len(asset.data)
        parts.append(f"{url.split('/')[-1].split('?')[0]} {len(asset.data) / 1000:.0f} KB")
    return f"{total / 1000:.0f} KB (budget ≤ 600 KB): " + ", ".join(parts)


if __name__ == "__main__":
    main()
