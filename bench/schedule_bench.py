"""Benchmark of the scheduling engine on random project-like networks; prints figures.

Run: ``.venv/bin/python bench/schedule_bench.py [--sizes 10000 100000] [--chain 100]``

A network of n items has n / chain workstreams; each workstream is a chain of ``chain`` items
(mostly FS, some SS/FF/SF, lags and leads), and about n / 2 more links go forward from an
item to one of the few hundred items listed just before it, in any workstream. That gives
about 1.5 links per item and a longest path of a few hundred links.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
from collections.abc import Callable

from planner.domain.calendar import WorkCalendar
from planner.domain.errors import DependencyCycleError
from planner.domain.schedule import Activity, Link, LinkType, Scheduler

START = dt.date(2025, 1, 6)
CALENDAR = WorkCalendar(
    holidays=frozenset(
        {dt.date(2025, 1, 1), dt.date(2025, 5, 1), dt.date(2025, 10, 1), dt.date(2025, 10, 2)}
    ),
    extra_workdays=frozenset({dt.date(2025, 9, 28)}),
)
TYPES: list[LinkType] = ["FS", "SS", "FF", "SF"]


def network(n: int, chain: int, seed: int = 1) -> tuple[list[Activity], list[Link]]:
    """Random project-like network: chains within workstreams plus forward cross-links."""
    rng = random.Random(seed)
    streams = max(1, n // chain)
    acts = []
    for i in range(n):
        duration = 0 if rng.random() < 0.05 else rng.randint(1, 20)
        snet = START + dt.timedelta(days=rng.randint(0, 400)) if rng.random() < 0.01 else None
        fnl = START + dt.timedelta(days=rng.randint(200, 900)) if rng.random() < 0.005 else None
        acts.append(Activity(f"T{i}", duration, f"P{i * 4 // n}", snet, fnl))
    links: list[Link] = []
    seen: set[tuple[int, int]] = set()

    def link(p: int, s: int) -> None:
        if (p, s) in seen:
            return
        seen.add((p, s))
        kind = rng.choices(TYPES, weights=[70, 15, 10, 5])[0]
        lag = rng.choice([0] * 6 + [-2, -1, 1, 2, 3, 5])
        links.append(Link(f"T{p}", f"T{s}", kind, lag))

    for i in range(streams, n):
        link(i - streams, i)  # the chain of workstream i % streams
    window = 3 * streams
    for _ in range(n // 2):
        s = rng.randrange(1, n)
        link(rng.randrange(max(0, s - window), s), s)
    return acts, links


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def describe(times: list[float]) -> str:
    times = sorted(times)
    p90 = times[int(0.9 * (len(times) - 1))]
    return f"median {statistics.median(times):7.3f} ms  p90 {p90:7.3f}  max {times[-1]:7.3f}"


def run(n: int, chain: int, changes: int) -> None:
    acts, links = network(n, chain)
    t0 = time.perf_counter()
    sched = Scheduler(acts, links, CALENDAR, START)
    build = (time.perf_counter() - t0) * 1000
    depth = sched._compile().level_starts.size
    print(f"\n== {n} items, {len(links)} links, {depth} levels (chains of {chain}) ==")
    print(f"load (validate, levels, compile, first pass): {build:8.1f} ms")
    print(
        f"full pass (forward + backward + float + critical): {describe(timed(sched.recompute, 30))}"
    )

    def fresh_result() -> None:
        sched._invalidate()
        sched.result()

    print(f"ScheduleResult with dates and critical paths:      {describe(timed(fresh_result, 5))}")
    print(f"points() dict:                                     {describe(timed(sched.points, 5))}")

    rng = random.Random(2)
    keys = [a.key for a in acts]
    durations: list[float] = []
    moved: list[int] = []
    for _ in range(changes):
        key = rng.choice(keys)
        days = rng.randint(0, 25)
        t0 = time.perf_counter()
        moved.append(len(sched.set_duration(key, days)))
        durations.append((time.perf_counter() - t0) * 1000)
    print(f"set_duration (returns moved keys):                 {describe(durations)}")
    print(f"   items moved per change: median {statistics.median(moved)}, max {max(moved)}")
    with_float = timed(
        lambda: (sched.set_duration(rng.choice(keys), rng.randint(0, 25)), sched._derive()),
        changes,
    )
    print(f"set_duration + float/critical arrays:              {describe(with_float)}")

    checks: list[float] = []
    for _ in range(changes):
        p, s = rng.sample(range(n), 2)
        t0 = time.perf_counter()
        sched._find_path(s, p)  # the cycle check add_link does: is p reachable from s?
        checks.append((time.perf_counter() - t0) * 1000)
    print(f"cycle check alone (path successor → predecessor): {describe(checks)}")

    adds: list[float] = []
    results: list[float] = []
    removes: list[float] = []
    refused = 0
    for _ in range(changes):
        p, s = rng.sample(range(n), 2)
        link = Link(keys[p], keys[s], rng.choice(TYPES), rng.randint(-3, 5))
        if (p, s) in sched._pair or (s, p) in sched._pair:
            continue
        t0 = time.perf_counter()
        try:
            sched.add_link(link)
        except DependencyCycleError:
            refused += 1
            adds.append((time.perf_counter() - t0) * 1000)
            continue
        adds.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        sched._derive()
        results.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        sched.remove_link(link.predecessor, link.successor)
        removes.append((time.perf_counter() - t0) * 1000)
    print(f"add_link incl. cycle check ({refused:3} refused):     {describe(adds)}")
    print(f"   then float/critical arrays (recompiles):        {describe(results)}")
    print(f"remove_link:                                       {describe(removes)}")

    full = Scheduler(sched.activities, sched.links, CALENDAR, START)
    same = full.points() == sched.points()
    print(f"incremental state equals a fresh full schedule: {same}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--chain", type=int, default=100)
    parser.add_argument("--changes", type=int, default=200)
    args = parser.parse_args()
    for n in args.sizes:
        run(n, args.chain, args.changes)


if __name__ == "__main__":
    main()
