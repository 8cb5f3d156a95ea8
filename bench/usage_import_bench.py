"""Benchmark of the usage-log import: a generated CSV of a million rows into a fresh program.

Run: ``.venv/bin/python -m bench.usage_import_bench [--rows 1000000] [--xlsx-rows 0]``

The file (2,000 users in 20 teams, 26 weeks, ``planner.demodata.usage_log``) is written to
a temporary folder first (not timed); then one import through the service (checksum, stream
parse, merge of the per user-week-module activity, readings, roll-up, commit) is timed, wall
and CPU (``time.process_time``), with the process's peak resident memory before and after
(bounded memory: the peak must not grow with the file). A second import of the same file is
timed too (it must add nothing). Budget (issue 24): 1 million rows ≤ 30 s.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

BUDGET_SECONDS = 30.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()

    from planner import create_app
    from planner.demodata.usage_log import TeamProfile, write_usage_log
    from planner.domain.usage_log import PRESETS
    from planner.extensions import db
    from planner.services import adoption, usage_import
    from planner.services.playbooks import get_playbook
    from planner.services.programs import create_program

    folder = Path(tempfile.mkdtemp(prefix="usage-bench-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
            "SECRET_KEY": "bench-secret-key-that-is-long-enough-123",
            "PLANNER_REQUEST_LOG": False,
        }
    )
    modules = {"contacts": 0.8, "opportunities": 0.7, "calendar": 0.75, "email": 0.5,
               "sales-analysis": 0.4, "proposals": 0.3, "customer-support": 0.2}  # fmt: skip
    teams = [TeamProfile(f"team{i:02d}", 100, 0.8, modules) for i in range(20)]
    start = date(2026, 1, 5)
    path = folder / "usage.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        rows = write_usage_log(out, teams, start, 26, max_rows=args.rows, events_per_module=(3, 9))
    size_mb = path.stat().st_size / 1e6
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        program = create_program(
            get_playbook("crm-four-100-days", "1.0"), name="Bench", client="Bench",
            start_date=start - timedelta(days=28),
        )  # fmt: skip
        for team in teams:
            adoption.save_value(program, "team", team.key, team.key)
        adoption.replace_user_teams(
            program, [(u, t.key, "") for t in teams for u in t.user_names()]
        )
        db.session.commit()
        mapping = PRESETS["generic"].mapping
        before = _peak_mb()
        wall, cpu = time.perf_counter(), time.process_time()
        with path.open("rb") as stream:
            result = usage_import.import_usage(program, stream, "usage.csv", mapping, "generic")
        db.session.commit()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        after = _peak_mb()
        again = time.perf_counter()
        with path.open("rb") as stream:
            twice = usage_import.import_usage(program, stream, "usage.csv", mapping, "generic")
        again = time.perf_counter() - again
    verdict = "within" if wall <= BUDGET_SECONDS else "OVER"
    print(f"file: {rows:,} rows, {size_mb:.1f} MB; {result.users} users, {result.weeks} weeks")
    print(
        f"import: wall {wall:.1f} s, CPU {cpu:.1f} s ({verdict} the {BUDGET_SECONDS:.0f} s budget)"
    )
    print(f"readings written: {result.readings:,}; peak RSS {before:.0f} MB → {after:.0f} MB")
    print(f"same file again: duplicate={twice.duplicate}, {again:.2f} s")


if __name__ == "__main__":
    main()
