"""Benchmark of the Gantt drawn in Python (the steering pack's slide and the playbook
preview: :mod:`planner.charts.gantt_scene` + :mod:`planner.charts.gantt_render`) on generated
plans; prints figures.

Run: ``.venv/bin/python -m bench.gantt_bench [--sizes 90 2000 10000] [--repeat 10]``

Each plan is project-like (chains within workstreams plus forward cross-links, about 1.5
dependencies per item, mixed types and lags), scheduled with the real scheduler, with a
baseline a few days off for some items and progress up to a status date. Timed: the rows as
the Gantt's columns, the scene (as the preview lays it out: every item up to 400 rows, else
the summaries) and its SVG text. A shipped playbook has about 90 items.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time

from planner.charts.gantt_data import DataCalendar, DataLink, gantt_columns
from planner.charts.gantt_render import to_svg
from planner.charts.gantt_scene import SceneTexts, gantt_scene
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
    data_links = [
        DataLink(k, link.predecessor_id, link.successor_id, link.type, link.lag, link.critical)
        for k, link in enumerate(links)
        if link.critical
    ]
    status = START + dt.timedelta(days=150)
    calendar = DataCalendar(frozenset(range(5)), (), ())
    times, cpu, parts = [], [], [0.0, 0.0, 0.0]
    svg, level = "", ""
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        data = gantt_columns(
            rows, data_links, phases, versions={}, driving=frozenset(), calendar=calendar,
            today=status, status_date=status, finish=None,
        )  # fmt: skip
        t1 = time.perf_counter()
        scene = gantt_scene(data, SceneTexts(), width=1280, max_rows=400)
        t2 = time.perf_counter()
        svg = to_svg(scene)
        t3 = time.perf_counter()
        times.append((t3 - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        for k, span in enumerate((t1 - t0, t2 - t1, t3 - t2)):
            parts[k] += span * 1000 / repeat
        level = scene.level
    print(
        f"{n:>6} items, {len(data_links):>5} critical links (rows: {level}): "
        f"median {statistics.median(times):6.1f} ms (CPU {statistics.median(cpu):6.1f} ms; "
        f"columns {parts[0]:.1f}, scene {parts[1]:.1f}, SVG {parts[2]:.1f}), "
        f"SVG {len(svg.encode('utf-8')) / 1024:6.1f} KB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[90, 2000, 10000])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    print("Gantt scene + SVG (the pack's slide, the playbook preview)")
    for n in args.sizes:
        measure(n, args.repeat)


if __name__ == "__main__":
    main()
