"""The compiled engine (numba) gives the schedule the plain-Python engine gives, on a deep
plan large enough for ``engine="auto"`` to choose it: progress, gates, deadlines, lags."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from planner.domain.calendar import WorkCalendar
from planner.domain.errors import DependencyCycleError
from planner.domain.schedule import (
    COMPILED_MIN_ITEMS,
    LINK_TYPES,
    Activity,
    Link,
    PhaseWindow,
    Scheduler,
    _kernels,
)

pytest.importorskip("numba")

START = dt.date(2025, 1, 6)
STATUS = dt.date(2025, 3, 3)
CAL = WorkCalendar(holidays=frozenset({dt.date(2025, 1, 1), dt.date(2025, 5, 1)}))


def deep_plan(n: int, seed: int) -> tuple[list[Activity], list[Link], list[PhaseWindow]]:
    """Four workstreams, one task after another, with hand-overs; early items started."""
    rng = random.Random(seed)
    per = n // 4
    acts = []
    for i in range(n):
        step = i % per
        duration = 0 if rng.random() < 0.05 else rng.randint(1, 8)
        snet = START + dt.timedelta(days=rng.randint(0, 300)) if rng.random() < 0.02 else None
        fnl = START + dt.timedelta(days=rng.randint(100, 900)) if rng.random() < 0.02 else None
        actual_start = actual_finish = None
        if step < 8 and rng.random() < 0.7:
            actual_start = START + dt.timedelta(days=rng.randint(0, 30))
            if rng.random() < 0.5:
                actual_finish = actual_start + dt.timedelta(days=rng.randint(0, 10))
        acts.append(
            Activity(
                f"w{i // per}-{step}",
                duration,
                f"P{step * 3 // per}",
                snet,
                fnl,
                actual_start,
                actual_finish,
                rng.choice([0.0, 30.0, 80.0]),
            )
        )
    links = [Link(acts[i - 1].key, acts[i].key) for i in range(1, n) if i % per]
    pairs = {(x.predecessor, x.successor) for x in links}
    for _ in range(n // 2):
        a, b = rng.sample(range(4), 2)
        k = rng.randrange(per)
        p, s = acts[a * per + k].key, acts[b * per + min(per - 1, k + rng.randint(1, 3))].key
        if (p, s) not in pairs:
            pairs.add((p, s))
            links.append(Link(p, s, rng.choice(LINK_TYPES), rng.randint(-3, 3)))
    windows = [
        PhaseWindow(
            f"P{k}", START + dt.timedelta(days=120 * k), START + dt.timedelta(days=120 * k + 110)
        )
        for k in range(3)
    ]
    return acts, links, windows


@pytest.mark.parametrize("seed", [1, 2])
def test_auto_compiles_a_large_deep_plan_and_matches_the_loop(seed: int) -> None:
    acts, links, windows = deep_plan(COMPILED_MIN_ITEMS + 200, seed)
    auto = Scheduler(acts, links, CAL, START, STATUS, windows)
    loop = Scheduler(acts, links, CAL, START, STATUS, windows, engine="loop")
    assert auto._engine == "compiled" and _kernels() is not None
    assert auto.points() == loop.points()
    assert auto.result() == loop.result()
    assert auto.phase_drivers() == loop.phase_drivers()
    # edits that fall back to a full pass run compiled and still agree
    auto.incremental_limit = loop.incremental_limit = 0
    key = acts[len(acts) // 2].key
    assert auto.set_duration(key, 40) == loop.set_duration(key, 40)
    assert auto.result() == loop.result()
    extra = Link(acts[3].key, acts[-1].key, "SS", 2)
    assert auto.add_link(extra) == loop.add_link(extra)
    assert auto.result() == loop.result()


def test_a_cycle_is_named_by_the_compiled_levels() -> None:
    acts, links, windows = deep_plan(COMPILED_MIN_ITEMS + 40, 3)
    back = Link(links[5].successor, links[0].predecessor)
    with pytest.raises(DependencyCycleError):
        Scheduler(acts, [*links, back], CAL, START, None, windows, trusted=True)
