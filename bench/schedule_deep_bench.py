"""``schedule()`` on deep and shallow plans at 1k / 10k / 100k items; prints figures.

Run: ``.venv/bin/python -m bench.schedule_deep_bench [--sizes 1000 10000 100000]``

Deep plans come from :func:`bench.deep_plan.deep_network` (6 workstreams, thousands of
dependency levels), shallow ones from :func:`bench.schedule_bench.network` (chains of 100,
a few hundred levels). Measured: ``schedule()`` validating every field (rows from a user),
``schedule(trusted=True)`` (rows read back from the database, validated when written), and
that split into its set-up (``Activity`` / ``Link`` objects read into columns, levels) and
its pass + result (both passes, the gate pass, floats, the result with its items made when
read: what the budget of issue 17 is about), and the bare full pass (``recompute``).
``from columns`` is what the app does: the plan as columns (``PlanColumns``, as the
services read them from plain SQL columns, no object per row) to the schedule and its
result, split into its set-up and the same pass + result. The
load average is printed with the figures: on a shared 2-core machine it decides much of them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

from bench.deep_plan import CALENDAR, START, deep_network
from bench.schedule_bench import network
from planner.domain.schedule import PhaseWindow, PlanColumns, Scheduler, schedule

BUDGET_MS = {10_000: 5.0, 100_000: 30.0}  # issue 17, deep plans


def medians(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall time and median CPU time of this process, in ms (the machine is shared:
    CPU time is what the work costs, wall time adds the wait for a core)."""
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def cell(figures: tuple[float, float]) -> str:
    return f"{figures[0]:.1f} / {figures[1]:.1f}"


def shallow(n: int) -> tuple[list, list, list[PhaseWindow]]:
    acts, links = network(n, 100)
    return acts, links, []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000, 100_000])
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    print("wall / CPU ms, medians; engine chosen by schedule() itself")
    print(
        "| plan | items | links | levels | engine | schedule() | schedule(trusted) "
        "| set-up (trusted) | pass + result | full pass | from columns (trusted) "
        "| set-up (columns) | budget (from columns, CPU) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n in args.sizes:
        for shape, make in (("deep", deep_network), ("shallow", shallow)):
            acts, links, windows = make(n)
            sched = Scheduler(acts, links, CALENDAR, START, None, windows, trusted=True)
            levels = int(sched._level.max()) + 1 if n else 0
            repeat = 5 if n >= 100_000 else 11

            def full(acts=acts, links=links, windows=windows) -> None:
                schedule(acts, links, CALENDAR, START, None, windows).items  # noqa: B018

            def trusted(acts=acts, links=links, windows=windows) -> None:
                schedule(acts, links, CALENDAR, START, None, windows, trusted=True)

            def pass_and_result(sched: Scheduler = sched) -> None:
                # what schedule() costs once the network is columns: both passes, the gate
                # pass, floats and the result (its items made when read)
                sched._result = None
                sched.recompute()
                sched.result()

            cols = PlanColumns.of(acts, links)

            def from_columns(cols: PlanColumns = cols, windows=windows) -> None:
                Scheduler.from_columns(cols, CALENDAR, START, None, windows, trusted=True).result()

            build = medians(trusted, repeat)
            both = medians(pass_and_result, repeat)
            bare = medians(sched.recompute, repeat)
            setup = (build[0] - both[0], build[1] - both[1])
            columns = medians(from_columns, repeat)
            columns_setup = (columns[0] - both[0], columns[1] - both[1])
            budget = BUDGET_MS.get(n) if shape == "deep" else None
            verdict = "—"
            if budget:
                verdict = f"≤ {budget:g} ms: {'met' if columns[1] <= budget else 'NOT met'}"
            print(
                f"| {shape} | {n:,} | {len(links):,} | {levels:,} | {sched._engine} "
                f"| {cell(medians(full, repeat))} | {cell(build)} | {cell(setup)} "
                f"| {cell(both)} | {cell(bare)} | {cell(columns)} | {cell(columns_setup)} "
                f"| {verdict} |",
                flush=True,
            )
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
