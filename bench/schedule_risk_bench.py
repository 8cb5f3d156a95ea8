"""Schedule risk analysis: Monte Carlo over deep and shallow plans (budgets from issue #25).

10,000 iterations on 2,000 items ≤ 2 s and ≤ 500 MB; 1,000 iterations on 10,000 items ≤ 3 s.
Every item gets a PERT range (−10 %/+40 %), one correlation group per workstream (0.5) and
ten risk events on random items, so what is measured is the whole analysis (drawing,
forward and backward passes over all iterations, percentiles, drivers).
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.deep_plan import CALENDAR, START, deep_network  # noqa: E402
from bench.schedule_bench import network  # noqa: E402
from planner.domain.schedule_risk import (  # noqa: E402
    CorrelationGroup,
    DurationRange,
    Network,
    RiskEvent,
    simulate,
)


def case(n: int, deep: bool) -> tuple[Network, dict[str, DurationRange], tuple, tuple]:  # type: ignore[type-arg]
    if deep:
        acts, links, windows = deep_network(n)
    else:
        acts, links = network(n, 100)
        windows = []
    ranges = {a.key: DurationRange.around(a.duration, -10, 40, "pert") for a in acts if a.duration}
    streams: dict[str, list[str]] = {}
    for a in acts:
        streams.setdefault(a.key.split("-")[0], []).append(a.key)
    groups = tuple(CorrelationGroup(name, tuple(keys), 0.5) for name, keys in streams.items())
    rng = random.Random(3)
    events = tuple(
        RiskEvent(f"R-{i}", 0.3, tuple(rng.sample([a.key for a in acts], 3)), delay_days=5)
        for i in range(10)
    )
    return Network(acts, links, CALENDAR, START, None, tuple(windows)), ranges, groups, events


def main() -> None:
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    print("| plan | items | iterations | wall (median) | CPU (median) | budget |")
    print("|---|---|---|---|---|---|")
    for n, iterations, budget in ((2_000, 10_000, "2 s"), (10_000, 1_000, "3 s")):
        for deep in (True, False):
            net, ranges, groups, events = case(n, deep)
            wall, cpu = [], []
            for _ in range(3):
                t0, c0 = time.perf_counter(), time.process_time()
                simulate(net, ranges, events=events, groups=groups, iterations=iterations, seed=1)
                wall.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
            shape = "deep" if deep else "shallow"
            print(
                f"| {shape} | {n:,} | {iterations:,} | {statistics.median(wall):.2f} s "
                f"| {statistics.median(cpu):.2f} s | {budget} |"
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak:.0f} MB (budget 500 MB)")


if __name__ == "__main__":
    main()
