"""Deep plans for the scheduler benchmarks: long dependency chains across workstreams.

A real rollout is a handful of workstreams that each run for the whole program, one task
after another, handing work to each other: its longest path runs through most of the plan.
``deep_network(n)`` makes ``streams`` such workstreams (each a chain of ``n / streams``
items, mostly FS with some SS/FF/SF, lags and leads) and about ``n / 2`` hand-over links
from an item to an item a little further on in another workstream. With 6 workstreams the
longest path is more than ``n / 6`` links: 1,700+ dependency levels at 10,000 items.

Activities carry phases (``P0`` … ``P3``) whose windows come with the network, so the gate
deadlines are part of what is measured.
"""

from __future__ import annotations

import datetime as dt
import random

from planner.domain.calendar import WorkCalendar
from planner.domain.schedule import Activity, Link, LinkType, PhaseWindow

START = dt.date(2025, 1, 6)
CALENDAR = WorkCalendar(
    holidays=frozenset(
        {dt.date(2025, 1, 1), dt.date(2025, 5, 1), dt.date(2025, 10, 1), dt.date(2025, 10, 2)}
    ),
    extra_workdays=frozenset({dt.date(2025, 9, 28)}),
)
TYPES: list[LinkType] = ["FS", "SS", "FF", "SF"]
PHASES = 4


def deep_network(
    n: int, streams: int = 6, seed: int = 1
) -> tuple[list[Activity], list[Link], list[PhaseWindow]]:
    """``n`` items in ``streams`` long chains plus n / 2 forward hand-overs between them."""
    rng = random.Random(seed)
    per_stream = max(1, n // streams)
    acts = []
    for i in range(n):
        stream, step = divmod(i, per_stream)
        duration = 0 if rng.random() < 0.05 else rng.randint(1, 10)
        snet = START + dt.timedelta(days=rng.randint(0, 400)) if rng.random() < 0.01 else None
        phase = f"P{min(PHASES - 1, step * PHASES // per_stream)}"
        acts.append(Activity(f"S{stream}-{step}", duration, phase, snet))
    links: list[Link] = []
    seen: set[tuple[int, int]] = set()

    def link(p: int, s: int) -> None:
        if p == s or (p, s) in seen:
            return
        seen.add((p, s))
        kind = rng.choices(TYPES, weights=[80, 10, 7, 3])[0]
        lag = rng.choice([0] * 8 + [-2, -1, 1, 2, 3])
        links.append(Link(acts[p].key, acts[s].key, kind, lag))

    for i in range(1, n):
        if i % per_stream:
            link(i - 1, i)  # the workstream's own chain
    for _ in range(n // 2):  # hand-overs: step k of one stream → step k + 1…4 of another
        a, b = rng.sample(range(min(streams, n)), 2) if streams > 1 else (0, 0)
        k = rng.randrange(per_stream)
        target = min(per_stream - 1, k + rng.randint(1, 4))
        p, s = a * per_stream + k, b * per_stream + target
        if p < n and s < n:
            link(p, s)
    # phase windows: the program cut in four, each gate a little after its items' plan
    span_days = int(per_stream * 5.5 * 7 / 5)
    windows = [
        PhaseWindow(
            f"P{k}",
            START + dt.timedelta(days=k * span_days // PHASES),
            START + dt.timedelta(days=(k + 1) * span_days // PHASES),
        )
        for k in range(PHASES)
    ]
    return acts, links, windows
