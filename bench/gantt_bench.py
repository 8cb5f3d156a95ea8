"""Benchmark of the Gantt figure builder on generated plans; prints figures.

Run: ``.venv/bin/python -m bench.gantt_bench [--sizes 2000 10000] [--repeat 30]``

Each plan is project-like (chains within workstreams plus forward cross-links, about 1.5
dependencies per item, mixed types and lags), scheduled with the real scheduler, with a
baseline a few days off for some items, progress up to a status date and critical-path
arrows: what the Gantt page sends. Timed: building the figure dict and its JSON text.
Budgets (issue 3): 2,000 items ≤ 30 ms and ≤ 300 KB; 10,000 items ≤ 100 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time

from planner.charts.gantt import GanttOptions, build_gantt, figure_json
from planner.domain.calendar import WorkCalendar
from planner.domain.schedule import Activity, Link, PhaseWindow, schedule
from planner.services.generate import OBJECTS, OWNERS, PHASES, STREAMS, TYPES, VERBS
from planner.services.plan_view import LinkRow, PhaseInfo, PlanRow

START = dt.date(2026, 3, 2)


def plan(n: int, seed: int = 1) -> tuple[list[PlanRow], list[LinkRow], list[PhaseInfo]]:
    rng = random.Random(seed)
    phases = []
    cursor = START
    for ordinal, (key, kind, title, length) in enumerate(PHASES):
        end = cursor + dt.timedelta(days=length - 1)
        phases.append(PhaseInfo(ordinal, key, ordinal, kind, title, "", cursor, end))
        cursor = end + dt.timedelta(days=1)
    streams = max(1, n // 50)
    steps = (n + streams - 1) // streams
    acts = []
    meta = []
    for i in range(n):
        stream, step = i % streams, i // streams
        phase = phases[0] if step < max(1, steps // 20) else phases[1 + min(3, step * 4 // steps)]
        milestone = rng.random() < 0.05
        duration = 0 if milestone else rng.randint(1, 6)
        key = f"{STREAMS[stream % len(STREAMS)][:3]}{stream:02d}-{step:03d}"
        acts.append(Activity(key, duration, phase.key, start_no_earlier=phase.window_start))
        name = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}"
        meta.append((key, name, phase, f"{STREAMS[stream % len(STREAMS)]}-{stream}", duration))
    links: dict[tuple[int, int], Link] = {}
    for i in range(streams, n):
        links[(i - streams, i)] = Link(acts[i - streams].key, acts[i].key)
    for _ in range(n // 2):
        s = rng.randrange(streams, n)
        p = rng.randrange(max(0, s - 3 * streams), max(1, s - streams // 2))
        kind = rng.choices(TYPES, weights=[70, 15, 10, 5])[0]
        lag = rng.choice([0] * 6 + [-2, -1, 1, 2, 3, 5])
        links.setdefault((p, s), Link(acts[p].key, acts[s].key, kind, lag))
    windows = [PhaseWindow(p.key, p.window_start, p.window_end) for p in phases]
    result = schedule(acts, links.values(), WorkCalendar(), START, None, windows)
    status = START + dt.timedelta(days=150)
    rows = []
    preds: dict[int, list[str]] = {}
    for p, s in links:
        preds.setdefault(s, []).append(acts[p].key)
    for i, (key, name, phase, stream, duration) in enumerate(meta):
        item = result.items[key]
        done = item.early_finish < status
        started = item.early_start < status
        slip = rng.choice((0, 0, 0, 1, 2, 3))
        row = PlanRow(
            i,
            key,
            name,
            "milestone" if duration == 0 else "task",
            phase.id,
            phase.key,
            phase.ordinal,
            stream,
            rng.choice(OWNERS),
            duration,
            100 if done else (50 if started else 0),
            item.early_start if started else None,
            item.early_finish if done else None,
            None,
            None,
            item.early_start,
            item.early_finish + dt.timedelta(days=slip),
            item.late_start,
            item.late_finish,
            item.total_float,
            item.free_float,
            item.critical,
            i,
            status="done"
            if done
            else ("late" if slip else "in_progress" if started else "not_started"),
            baseline_start=item.early_start,
            baseline_finish=item.early_finish,
            finish_variance=slip,
            predecessors=preds.get(i, []),
        )
        rows.append(row)
    link_rows = [
        LinkRow(p, s, link.type, link.lag, rows[p].critical and rows[s].critical)
        for (p, s), link in links.items()
    ]
    rows.sort(key=lambda r: (r.phase_ordinal, r.workstream or "", r.early_start, r.position))
    return rows, link_rows, phases


def measure(n: int, repeat: int) -> None:
    rows, links, phases = plan(n)
    options = GanttOptions(
        baseline_name="Plan of record", today=START + dt.timedelta(days=150), arrows="critical"
    )
    times = []
    cpu = []
    size = 0
    figure: dict = {}
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        figure = build_gantt(rows, links, phases, options)
        text = figure_json(figure)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        size = len(text.encode("utf-8"))
    times.sort()
    p90 = times[int(0.9 * (len(times) - 1))]
    meta = figure["layout"]["meta"]
    mode = "workstream summaries" if meta["summary"] else "every item"
    print(
        f"{n:>6} items, {len(links):>6} links ({mode}, {len(figure['data'])} traces): "
        f"build+JSON median {statistics.median(times):6.1f} ms "
        f"(CPU {statistics.median(cpu):6.1f} ms), p90 {p90:6.1f} ms, "
        f"JSON {size / 1024:6.1f} KB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    print("Gantt figure (baseline ghosts, critical-path arrows); budgets: 2,000 items")
    print("≤ 30 ms and ≤ 300 KB, 10,000 items ≤ 100 ms")
    for n in args.sizes:
        measure(n, args.repeat)


if __name__ == "__main__":
    main()
