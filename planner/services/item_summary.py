"""A program's work items as the portfolio reads them: per-phase aggregates from SQL.

The portfolio judges every program's phases on their schedule: each milestone that
finishes after its window (by name), the latest finish of the phase's items, and the
phase's progress. None of that needs an object per item: two queries give, per phase, the
latest finish of its tasks and the sums its progress is made of, and every milestone as a
plain row. The result is kept per program revision in the shared cache
(:mod:`planner.ops.cache`), so a portfolio of large programs reads it once per change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlalchemy import Boolean, Date, case, func, select, type_coerce

from planner.domain.gates import ItemFinish, MilestoneFact
from planner.extensions import db
from planner.models.plan import WorkItem
from planner.ops.cache import derived_many
from planner.services.gates import display_name


class MilestoneRow(NamedTuple):
    """One milestone: what a gate and a phase's schedule read of it."""

    key: str
    name: str | None
    name_zh: str | None
    phase_id: int
    done: bool
    early_finish: date | None
    finish: date | None  # the actual finish when done, else the forecast


@dataclass(frozen=True)
class PhaseSums:
    """A phase's items summed: tasks' latest finish, and the parts of its progress."""

    task_finish: date | None = None
    duration: float = 0.0
    weighted: float = 0.0  # sum of duration × percent complete (100 when done)
    percent: float = 0.0  # sum of percent complete
    count: int = 0

    @property
    def progress(self) -> float:
        """As :func:`planner.domain.gates.phase_progress` over the phase's items."""
        if not self.count:
            return 0.0
        if self.duration == 0:
            return self.percent / self.count
        return self.weighted / self.duration


@dataclass(frozen=True)
class ItemSummary:
    """A program's items: per phase id the sums, and every milestone in plan order."""

    phases: dict[int, PhaseSums] = field(default_factory=dict)
    milestones: tuple[MilestoneRow, ...] = ()

    def finishes(self, phase_id: int, lang: str = "en") -> list[ItemFinish]:
        """What ``window_slips`` needs of a phase: its milestones by name (in ``lang``) and
        one entry for the latest finish of its tasks."""
        out = [
            ItemFinish(display_name(m, lang=lang), True, m.finish)
            for m in self.milestones
            if m.phase_id == phase_id
        ]
        sums = self.phases.get(phase_id)
        if sums is not None and sums.task_finish is not None:
            out.append(ItemFinish("", False, sums.task_finish))
        return out

    def milestone_facts(self, lang: str = "en") -> dict[str, MilestoneFact]:
        """The program's milestones as gates judge them (as ``program_facts`` makes them),
        named in ``lang``."""
        return {
            m.key: MilestoneFact(m.key, display_name(m, lang=lang), m.done, m.early_finish)
            for m in self.milestones
        }


def _columns():
    done = (WorkItem.actual_finish.is_not(None)) | (WorkItem.percent_complete >= 100)
    finish = case(
        (done, func.coalesce(WorkItem.actual_finish, WorkItem.early_finish)),
        else_=WorkItem.early_finish,
    )
    percent = case((done, 100.0), else_=WorkItem.percent_complete)
    return done, finish, percent


def compute_summaries(program_ids: list[int]) -> dict[int, ItemSummary]:
    """The summaries of these programs from the rows (two queries, no objects)."""
    done, finish, percent = _columns()
    # type_coerce, not CAST: SQLite keeps dates as ISO text, and CAST(… AS DATE) is a number
    task_finish = type_coerce(func.max(case((WorkItem.kind != "milestone", finish))), Date)
    phases: dict[int, dict[int, PhaseSums]] = {pid: {} for pid in program_ids}
    for row in db.session.execute(
        select(
            WorkItem.program_id,
            WorkItem.phase_id,
            task_finish,
            func.sum(WorkItem.duration_days),
            func.sum(WorkItem.duration_days * percent),
            func.sum(percent),
            func.count(),
        )
        .where(WorkItem.program_id.in_(program_ids))
        .group_by(WorkItem.program_id, WorkItem.phase_id)
    ):
        sums = PhaseSums(row[2], float(row[3]), float(row[4]), float(row[5]), int(row[6]))
        phases[row[0]][row[1]] = sums
    milestones: dict[int, list[MilestoneRow]] = {pid: [] for pid in program_ids}
    for row in db.session.execute(
        select(
            WorkItem.program_id,
            WorkItem.key,
            WorkItem.name,
            WorkItem.name_zh,
            WorkItem.phase_id,
            type_coerce(done, Boolean),
            WorkItem.early_finish,
            type_coerce(finish, Date),
        )
        .where(WorkItem.program_id.in_(program_ids), WorkItem.kind == "milestone")
        .order_by(WorkItem.program_id, WorkItem.position, WorkItem.id)
    ):
        milestones[row[0]].append(
            MilestoneRow(row[1], row[2], row[3], row[4], bool(row[5]), row[6], row[7])
        )
    return {pid: ItemSummary(phases[pid], tuple(milestones[pid])) for pid in program_ids}


def item_summaries(program_ids: list[int]) -> dict[int, ItemSummary]:
    """The summary of each program's revision, from the shared cache when it is there
    (the number of queries does not grow with the programs)."""
    return derived_many("item-summary", program_ids, compute_summaries)
