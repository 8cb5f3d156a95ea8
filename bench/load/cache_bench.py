"""What the per-revision cache saves on the Gantt of a 2,000-item program; prints figures.

Run: ``.venv/bin/python -m bench.load.cache_bench [--backend sqlite|postgresql]
[--cache file|redis://127.0.0.1:6379/0] [--repeat 20]``

Times, inside the app: the revision query alone; building the Gantt page's data and its JSON
(:func:`planner.services.gantt_data.gantt_data`: what ``derived("gantt-data", …)`` skips); a
cache hit of that JSON (:func:`~planner.services.gantt_data.gantt_payload`: revision query +
read); and ``load_plan`` (the plan views' model, which the Gantt no longer needs).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date, timedelta


def median_ms(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--cache", default="file")
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    from bench.load.setup_db import SECRET_KEY, create_database, drop_database

    url, instance = create_database(args.backend)
    try:
        from planner import create_app
        from planner.ops import cache as ops_cache

        cache_url = "" if args.cache == "file" else args.cache
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "SECRET_KEY": SECRET_KEY,
                "PLANNER_CACHE_URL": cache_url or f"file://{tempfile.mkdtemp()}",
            }
        )
        ops_cache.init_app(app)
        with app.test_request_context("/"):
            import json

            from planner.extensions import db
            from planner.services.gantt_data import gantt_data, gantt_payload
            from planner.services.generate import generate_program
            from planner.services.plan_view import Filters, load_plan

            db.create_all()
            today = date.today()
            program = generate_program(
                args.items,
                start_date=today - timedelta(days=150),
                progress_until=today,
                baseline_name="Plan of record",
            )
            db.session.commit()
            pid = program.id
            load_plan(program, filters=Filters.from_args({}), baseline_id=None, lang="en")
            db.session.commit()  # the schedule brought up to date once, as the first page would

            def figure() -> str:
                data = gantt_data(
                    program, filters=Filters.from_args({}), baseline_id=None, lang="en", today=today
                )
                return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

            def cached() -> str:
                return gantt_payload(
                    program, filters=Filters.from_args({}), baseline_id=None, lang="en", today=today
                )

            def plan() -> None:
                load_plan(program, filters=Filters.from_args({}), baseline_id=None, lang="en")

            cached()  # fill
            revision = median_ms(lambda: ops_cache.program_revision(pid), args.repeat)
            compute = median_ms(figure, args.repeat)
            hit = median_ms(cached, args.repeat)
            loading = median_ms(plan, max(3, args.repeat // 4))
            size = len(figure()) / 1024
            db.engine.dispose()
        backend = app.config["CACHE_TYPE"]
        print(
            f"Gantt of {args.items} items on {args.backend}, cache {backend} "
            f"(median of {args.repeat}):\n"
            f"  revision query            {revision:7.2f} ms\n"
            f"  data + JSON (computed)    {compute:7.2f} ms  ({size:.0f} KB of JSON)\n"
            f"  data + JSON (cache hit)   {hit:7.2f} ms\n"
            f"  load_plan (not cached)    {loading:7.2f} ms"
        )
    finally:
        drop_database(url)


if __name__ == "__main__":
    main()
