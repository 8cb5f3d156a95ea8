"""``schedule()`` on deep and shallow plans at 1k / 10k / 100k items; prints figures.

Run: ``.venv/bin/python -m bench.schedule_deep_bench [--sizes 1000 10000 100000]``

Deep plans come from :func:`bench.deep_plan.deep_network` (6 workstreams, thousands of
dependency levels), shallow ones from :func:`bench.schedule_bench.network` (chains of 100,
a few hundred levels). Each is measured three ways: ``schedule()`` validating every field
(rows from a user), ``schedule(trusted=True)`` (rows read back from the database, validated
when written) and the bare full pass (``Scheduler.recompute``). The load average is printed
with the figures: on a shared 2-core machine it decides much of them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

from bench.deep_plan import CALENDAR, START, deep_network
from bench.schedule_bench import network
from planner.domain.schedule import PhaseWindow, Scheduler, schedule

BUDGET_MS = {10_000: 5.0, 100_000: 30.0}  # issue 17, deep plans


def median_ms(fn: Callable[[], object], repeat: int) -> str:
    """Median wall time and median CPU time of this process (the machine is shared: CPU
    time is what the work costs, wall time adds the wait for a core)."""
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return f"{statistics.median(wall):.1f} / {statistics.median(cpu):.1f} ms"


def shallow(n: int) -> tuple[list, list, list[PhaseWindow]]:
    acts, links = network(n, 100)
    return acts, links, []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000, 100_000])
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    print("wall / CPU, medians")
    print("| plan | items | links | levels | schedule() | trusted | full pass | budget |")
    print("|---|---|---|---|---|---|---|---|")
    for n in args.sizes:
        for shape, make in (("deep", deep_network), ("shallow", shallow)):
            acts, links, windows = make(n)
            sched = Scheduler(acts, links, CALENDAR, START, None, windows, trusted=True)
            levels = sched._compile().level_starts.size
            repeat = 3 if n >= 100_000 else 9

            def full(acts=acts, links=links, windows=windows) -> None:
                schedule(acts, links, CALENDAR, START, None, windows).items  # noqa: B018

            def trusted(acts=acts, links=links, windows=windows) -> None:
                schedule(acts, links, CALENDAR, START, None, windows, trusted=True)

            budget = BUDGET_MS.get(n) if shape == "deep" else None
            print(
                f"| {shape} | {n:,} | {len(links):,} | {levels:,} "
                f"| {median_ms(full, repeat)} | {median_ms(trusted, repeat)} "
                f"| {median_ms(sched.recompute, repeat)} "
                f"| {f'≤ {budget:g} ms' if budget else '—'} |"
            )
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
