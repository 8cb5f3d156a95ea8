"""Replan a program: move its start and/or change its diagnosis length (audited, locked).

The rules are in :mod:`planner.domain.replan`; this loads the rows, applies the result (the
program's start, its phases' windows, the constraint dates of work not started), re-applies
the program's holiday set for years it now reaches, and reschedules, returning what moved.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm.attributes import flag_modified

from planner.domain.replan import ItemState, Replan, Window, diagnosis_weeks_of, replan
from planner.models import Program
from planner.services.concurrency import check_version
from planner.services.holiday_sets import apply_holiday_set
from planner.services.scheduling import Outcome, load_network, reschedule


def windows_of(program: Program) -> list[Window]:
    return [Window(p.key, p.ordinal, p.kind, p.window_start, p.window_end) for p in program.phases]


def diagnosis_weeks(program: Program) -> int | None:
    """The program's diagnosis length in whole weeks (None without a diagnosis stage)."""
    return diagnosis_weeks_of(windows_of(program))


def replan_program(
    program: Program,
    *,
    start_date: date | None,
    diagnosis_weeks: int | None,
    version: int | str | None,
) -> Outcome:
    """Move the program's start to ``start_date`` and/or make its diagnosis
    ``diagnosis_weeks`` long; refuse a stale ``version`` (the program row's)."""
    check_version(program, version)
    network = load_network(program)
    phase_keys = {p.id: p.key for p in program.phases}
    items = [
        ItemState(i.key, phase_keys[i.phase_id], i.actual_start, i.constraint_date)
        for i in network.items
    ]
    result = replan(
        program.start_date, windows_of(program), items, Replan(start_date, diagnosis_weeks)
    )
    windows = {w.key: w for w in result.windows}
    for phase in program.phases:
        window = windows[phase.key]
        phase.window_start, phase.window_end = window.start, window.end
        phase.length_days = window.length_days
    for item in network.items:
        if item.key in result.constraint_dates:
            item.constraint_date = result.constraint_dates[item.key]
    program.start_date = result.start
    # the program row is the lock: a replan that leaves the row itself unchanged (only the
    # diagnosis length) still takes a new version, so a concurrent replan is refused
    flag_modified(program, "start_date")
    if program.holiday_set:
        apply_holiday_set(program, program.holiday_set)
    return reschedule(program)
