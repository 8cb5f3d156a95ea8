"""Generated programs of any size: project-like plans for benchmarks, tests and screenshots.

A program of ``n`` items has about ``n / 50`` workstreams; each workstream is a chain of
items through the diagnosis and the four phases (mostly finish-to-start, some SS/FF/SF, lags
and leads), and about ``n / 2`` more links go forward from an item to one listed shortly
before it in any workstream: about 1.5 dependencies per item. Rows are written with bulk
inserts (one statement per table), so the items themselves are not in the audit trail; the
program and its phases are.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy import bindparam, insert, select, update

import planner.models.baseline  # noqa: F401  (registers the baseline tables)
from planner.extensions import db
from planner.models import Dependency, Phase, Program, WorkItem
from planner.services.scheduling import compute, load_network, reschedule

PHASES = (
    ("diagnosis", "diagnosis", "CRM diagnosis", 28),
    ("foundation", "phase", "Phase 1 — sales automation foundation", 100),
    ("second-capability", "phase", "Phase 2 — configurator and quoting", 100),
    ("integration", "phase", "Phase 3 — integrated system", 100),
    ("full-rollout", "phase", "Phase 4 — full rollout", 100),
)
STREAMS = (
    "sales-automation",
    "data-migration",
    "integration",
    "training",
    "change-management",
    "reporting",
    "service",
    "marketing",
    "quoting",
    "mobile",
    "security",
    "governance",
)
VERBS = (
    "Design",
    "Configure",
    "Build",
    "Test",
    "Review",
    "Migrate",
    "Document",
    "Pilot",
    "Train",
    "Tune",
    "Validate",
    "Sign off",
)
OBJECTS = (
    "lead capture",
    "account hierarchy",
    "opportunity stages",
    "price books",
    "quote templates",
    "approval rules",
    "customer master",
    "duplicate rules",
    "ERP interface",
    "dashboards",
    "case routing",
    "campaign lists",
    "mobile layouts",
    "role model",
    "data extracts",
    "user guides",
)
OWNERS = (
    "Li Wei",
    "Zhang Min",
    "Wang Fang",
    "Chen Jie",
    "Liu Yang",
    "Anna Schmidt",
    "Tom Baker",
    "Sara Lopez",
)
TYPES = ("FS", "SS", "FF", "SF")


def generate_program(
    n_items: int = 2000,
    *,
    start_date: date,
    seed: int = 1,
    name: str | None = None,
    progress_until: date | None = None,
    baseline_name: str | None = None,
    items_per_stream: int = 50,
) -> Program:
    """Create a generated program of ``n_items`` work items and schedule it.

    With ``baseline_name`` the planned dates are kept as a baseline; with ``progress_until``
    the items planned to finish before that date are done (some a few days late) and those
    spanning it are in progress. The caller commits.
    """
    rng = random.Random(seed)
    program = Program(
        name=name or f"Generated plan ({n_items} items)",
        client="Generated client",
        start_date=start_date,
        status="active",
        workdays="12345",
        playbook_id="generated",
        playbook_version="1",
    )
    db.session.add(program)
    db.session.flush()
    phases = _add_phases(program, start_date)
    db.session.flush()

    # long workstreams make a deep network (a chain of 1,000 items is 1,000 levels)
    n_streams = max(1, n_items // max(1, items_per_stream))
    rows = _item_rows(rng, program, phases, n_items, n_streams)
    db.session.execute(insert(WorkItem), rows)
    ids = dict(
        db.session.execute(
            select(WorkItem.position, WorkItem.id).where(WorkItem.program_id == program.id)
        ).all()
    )
    links = _link_rows(rng, program, ids, n_items, n_streams)
    if links:
        db.session.execute(insert(Dependency), links)
    db.session.expire(program, ["phases"])

    if baseline_name is not None or progress_until is not None:
        program.status_date = start_date
        planned = compute(load_network(program)).items
        program.status_date = None
        if baseline_name is not None:
            _record_plan(program, baseline_name, rows, planned, start_date)
        if progress_until is not None:
            _progress(rng, program, rows, planned, ids, progress_until)
    reschedule(program)
    return program


def _add_phases(program: Program, start_date: date) -> list[Phase]:
    """The diagnosis and the four phases, back to back from ``start_date``."""
    cursor = start_date
    phases = []
    for ordinal, (key, kind, title, length) in enumerate(PHASES):
        end = cursor + timedelta(days=length - 1)
        phase = Phase(
            ordinal=ordinal,
            key=key,
            kind=kind,
            name=title,
            goal=f"Generated goal of {title.lower()}.",
            length_days=length,
            window_start=cursor,
            window_end=end,
        )
        program.phases.append(phase)
        phases.append(phase)
        cursor = end + timedelta(days=1)
    return phases


def _item_rows(
    rng: random.Random, program: Program, phases: list[Phase], n_items: int, n_streams: int
) -> list[dict[str, Any]]:
    """The work items' rows: position i belongs to stream i % n_streams, step
    i // n_streams of that stream's chain; the first steps are the diagnosis's, the others
    shared out over the four phases."""
    streams = [
        STREAMS[i % len(STREAMS)] + (f"-{i // len(STREAMS) + 1}" if i >= len(STREAMS) else "")
        for i in range(n_streams)
    ]
    steps = (n_items + n_streams - 1) // n_streams
    diagnosis_steps = max(1, steps // 20)
    rows = []
    for i in range(n_items):
        stream, step = i % n_streams, i // n_streams
        if step < diagnosis_steps:
            phase = phases[0]
        else:
            share = (step - diagnosis_steps) * 4 // max(1, steps - diagnosis_steps)
            phase = phases[1 + min(3, share)]
        milestone = rng.random() < 0.05
        rows.append(
            {
                "program_id": program.id,
                "phase_id": phase.id,
                "key": f"{streams[stream][:3]}{stream:02d}-{step:03d}",
                "kind": "milestone" if milestone else "task",
                "name": (
                    f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}"
                    if not milestone
                    else f"{rng.choice(OBJECTS).capitalize()} ready"
                ),
                "workstream": streams[stream],
                "duration_days": 0 if milestone else rng.randint(1, 6),
                "owner": rng.choice(OWNERS),
                "percent_complete": 0,
                "position": i,
                "is_critical": False,
                "version": 1,
            }
        )
    return rows


def _link_rows(
    rng: random.Random, program: Program, ids: dict[int, int], n_items: int, n_streams: int
) -> list[dict[str, object]]:
    """The dependencies' rows: each workstream's chain, and about ``n_items / 2`` links
    forward from an item listed shortly before, in any workstream (``ids``: by position)."""
    links: dict[tuple[int, int], dict[str, object]] = {}

    def link(p: int, s: int) -> None:
        if (p, s) in links:
            return
        kind = rng.choices(TYPES, weights=[70, 15, 10, 5])[0]
        lag = rng.choice([0] * 6 + [-2, -1, 1, 2, 3, 5])
        links[(p, s)] = {
            "program_id": program.id,
            "predecessor_id": ids[p],
            "successor_id": ids[s],
            "type": kind,
            "lag_days": lag,
        }

    for i in range(n_streams, n_items):
        link(i - n_streams, i)  # the chain of the workstream
    window = 3 * n_streams
    for _ in range(n_items // 2):
        s = rng.randrange(n_streams, n_items)
        link(rng.randrange(max(0, s - window), max(1, s - n_streams // 2)), s)
    return list(links.values())


def _record_plan(
    program: Program,
    baseline_name: str,
    rows: list[dict[str, Any]],
    planned: Mapping[str, Any],
    start_date: date,
) -> None:
    """The planned dates kept as baseline ``baseline_name``."""
    from planner.services.plan import record_baseline

    by_key = {r["key"]: r for r in rows}
    record_baseline(
        program,
        baseline_name,
        {
            key: (s.early_start, s.early_finish, int(by_key[key]["duration_days"]))
            for key, s in planned.items()
        },
        taken_by="generator",
        status_date=start_date,
    )


def _progress(rng, program, rows, planned, ids, until: date) -> None:
    updates = []
    last = until - timedelta(days=1)
    for row in rows:
        s = planned[row["key"]]
        slip = rng.choice((0, 0, 0, 1, 2, 3))
        if s.early_finish + timedelta(days=slip) <= last:
            updates.append(
                {
                    "item_id": ids[row["position"]],
                    "percent_complete": 100,
                    "actual_start": s.early_start,
                    "actual_finish": s.early_finish + timedelta(days=slip),
                }
            )
        elif s.early_start <= last and row["kind"] == "task":
            updates.append(
                {
                    "item_id": ids[row["position"]],
                    "percent_complete": rng.choice((20, 40, 50, 60)),
                    "actual_start": s.early_start,
                    "actual_finish": None,
                }
            )
    if updates:
        table = WorkItem.__table__
        db.session.connection().execute(
            update(table)  # type: ignore[arg-type]  # a mapped class's __table__ is a Table
            .where(table.c.id == bindparam("item_id"))
            .values(
                percent_complete=bindparam("percent_complete"),
                actual_start=bindparam("actual_start"),
                actual_finish=bindparam("actual_finish"),
            ),
            updates,
        )
    program.status_date = None
