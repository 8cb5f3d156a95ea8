"""Create programs from playbooks and read them back."""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm.attributes import set_committed_value

from planner.domain.errors import NotFoundError, Problem, ValidationError
from planner.domain.playbook import WEEKDAYS, Milestone, Playbook, Task
from planner.domain.playbook import GateCriterion as PlaybookGateCriterion
from planner.domain.playbook import Metric as PlaybookMetric
from planner.domain.playbook import Phase as PlaybookPhase
from planner.domain.playbook import Risk as PlaybookRisk
from planner.domain.playbook_rows import criterion_row, en_column, zh_column
from planner.domain.replan import ReplanError, diagnosis_weeks_problems
from planner.extensions import db
from planner.models import (
    Dependency,
    GateCriterion,
    Membership,
    Metric,
    MetricTarget,
    Phase,
    Program,
    Risk,
    User,
    WorkItem,
)
from planner.services.holiday_sets import apply_holiday_set
from planner.services.people import seed_roles
from planner.services.scheduling import reschedule

WEEKDAY_DIGITS = {name: str(n) for n, name in enumerate(WEEKDAYS, start=1)}


def risk_from_playbook(pb_risk: PlaybookRisk, rank: int) -> Risk:
    """A new open risk from the playbook's checklist (one way for every path that adds
    playbook risks: a new program, an imported plan, a playbook upgrade)."""
    return Risk(
        key=pb_risk.key,
        rank=rank,
        title=en_column(pb_risk.title) or pb_risk.key,
        title_zh=zh_column(pb_risk.title),
        description=en_column(pb_risk.description),
        description_zh=zh_column(pb_risk.description),
        category=pb_risk.category,
        cause=en_column(pb_risk.cause),
        cause_zh=zh_column(pb_risk.cause),
        effect=en_column(pb_risk.effect),
        effect_zh=zh_column(pb_risk.effect),
        likelihood=pb_risk.likelihood,
        impact=pb_risk.impact,
        response=pb_risk.response,
        mitigation=en_column(pb_risk.mitigation),
        mitigation_zh=zh_column(pb_risk.mitigation),
        status="open",
    )


def metric_from_playbook(pb_metric: PlaybookMetric) -> Metric:
    """A new metric with its phase targets from the playbook."""
    return Metric(
        key=pb_metric.key,
        name=en_column(pb_metric.name) or pb_metric.key,
        name_zh=zh_column(pb_metric.name),
        unit=pb_metric.unit,
        direction=pb_metric.direction,
        baseline=pb_metric.baseline,
        glide=pb_metric.glide_text,
        amber_tolerance=pb_metric.amber_tolerance,
        owner=pb_metric.owner_role,
        data_source=pb_metric.data_source,
        description=en_column(pb_metric.description) or None,
        description_zh=zh_column(pb_metric.description),
        targets=[
            MetricTarget(phase_ordinal=ordinal, target=value)
            for ordinal, value in sorted(pb_metric.targets.items())
        ],
    )


def phase_windows(
    playbook: Playbook, start: date, diagnosis_weeks: int | None = None
) -> list[tuple[date, date]]:
    """Back-to-back windows: each phase starts the day after the previous one ends (the
    diagnosis ``diagnosis_weeks`` long when given, else as long as the playbook says)."""
    windows = []
    cursor = start
    for phase in playbook.phases:
        end = cursor + timedelta(days=_length_days(phase, diagnosis_weeks) - 1)
        windows.append((cursor, end))
        cursor = end + timedelta(days=1)
    return windows


def _length_days(phase: PlaybookPhase, diagnosis_weeks: int | None) -> int:
    if phase.kind == "diagnosis" and diagnosis_weeks is not None:
        return diagnosis_weeks * 7
    return phase.length_days


def _check_diagnosis_weeks(playbook: Playbook, weeks: int | None) -> None:
    has_diagnosis = any(p.kind == "diagnosis" for p in playbook.phases)
    problems = diagnosis_weeks_problems(weeks, has_diagnosis)
    if problems:
        raise ReplanError(problems)


def create_program(
    playbook: Playbook,
    *,
    name: str,
    client: str,
    start_date: date,
    lead: User | None = None,
    diagnosis_weeks: int | None = None,
    holiday_set: str | None = None,
) -> Program:
    """Instantiate ``playbook`` as a new program; all rows in the caller's transaction.

    ``diagnosis_weeks`` (1–8) overrides the playbook's diagnosis length; ``holiday_set``
    (see :mod:`planner.domain.holiday_sets`) fills the program's calendar."""
    _check_diagnosis_weeks(playbook, diagnosis_weeks)
    given = (("name", name), ("client", client))
    problems = [Problem(f, "field.required") for f, v in given if not v.strip()]
    if problems:
        raise ValidationError(problems=problems)

    program = Program(
        name=name.strip(),
        client=client.strip(),
        start_date=start_date,
        status="planning",
        workdays="".join(sorted(WEEKDAY_DIGITS[d] for d in playbook.calendar.workdays)),
        playbook_id=playbook.id,
        playbook_version=playbook.version,
    )
    db.session.add(program)
    db.session.flush()  # work items carry program_id directly: it must exist first
    # a program just inserted has none of these rows: known empty rather than read (each
    # read is a query, and an autoflush that splits the rows below over more flushes)
    for collection in ("phases", "risks", "metrics", "calendar_exceptions"):
        set_committed_value(program, collection, [])
    if lead is not None:
        db.session.add(Membership(user_id=lead.id, program_id=program.id, role="lead"))
    items_by_key = _add_phases(program, playbook, start_date, diagnosis_weeks)
    # playbook owner roles become people to name (issue 23), inserted with their items
    seed_roles(program, [m.owner_role or "" for m in playbook.metrics])
    db.session.flush()
    for _phase, pb_item in playbook.work_items():
        for dep in pb_item.depends_on:
            db.session.add(
                Dependency(
                    program_id=program.id,
                    predecessor_id=items_by_key[dep.key].id,
                    successor_id=items_by_key[pb_item.key].id,
                    type=dep.type,
                    lag_days=dep.lag,
                )
            )
    for rank, pb_risk in enumerate(playbook.risks, start=1):
        program.risks.append(risk_from_playbook(pb_risk, rank))
    for pb_metric in playbook.metrics:
        program.metrics.append(metric_from_playbook(pb_metric))
    apply_holiday_set(program, holiday_set)
    db.session.flush()
    reschedule(program)
    return program


def _add_phases(
    program: Program, playbook: Playbook, start_date: date, diagnosis_weeks: int | None
) -> dict[str, WorkItem]:
    """The playbook's phases added to ``program`` with their work items and gate criteria;
    the work items by key."""
    items_by_key: dict[str, WorkItem] = {}
    position = 0
    for pb_phase, (window_start, window_end) in zip(
        playbook.phases, phase_windows(playbook, start_date, diagnosis_weeks), strict=True
    ):
        phase = Phase(
            ordinal=pb_phase.ordinal,
            key=pb_phase.key,
            kind=pb_phase.kind,
            name=en_column(pb_phase.name),
            name_zh=zh_column(pb_phase.name),
            goal=en_column(pb_phase.goal),
            goal_zh=zh_column(pb_phase.goal),
            result=en_column(pb_phase.result),
            result_zh=zh_column(pb_phase.result),
            length_days=_length_days(pb_phase, diagnosis_weeks),
            window_start=window_start,
            window_end=window_end,
        )
        program.phases.append(phase)
        work: list[Task | Milestone] = [*pb_phase.tasks, *pb_phase.milestones]
        for pb_item in work:
            item = _work_item(program, pb_item, position)
            position += 1
            phase.work_items.append(item)
            items_by_key[item.key] = item
        phase.gate_criteria.extend(
            _gate_criterion(index, criterion) for index, criterion in enumerate(pb_phase.gate)
        )
    return items_by_key


def _work_item(program: Program, pb_item: Task | Milestone, position: int) -> WorkItem:
    is_milestone = isinstance(pb_item, Milestone)
    duration = 0 if isinstance(pb_item, Milestone) else pb_item.duration
    return WorkItem(
        program_id=program.id,
        key=pb_item.key,
        kind="milestone" if is_milestone else "task",
        name=en_column(pb_item.name),
        name_zh=zh_column(pb_item.name),
        workstream=pb_item.workstream,
        duration_days=duration,
        owner_role=pb_item.owner_role,
        deliverable=en_column(pb_item.deliverable) or None,
        deliverable_zh=zh_column(pb_item.deliverable),
        position=position,
    )


def _gate_criterion(index: int, criterion: PlaybookGateCriterion) -> GateCriterion:
    reference, text = criterion_row(criterion)
    return GateCriterion(
        position=index,
        kind=criterion.kind,
        reference=reference,
        text=en_column(text),
        text_zh=zh_column(text),
    )


def get_program(program_id: int) -> Program:
    program = db.session.get(Program, program_id)
    if program is None:
        raise NotFoundError.of("", "row.not_found")
    return program


def list_programs() -> list[Program]:
    return list(db.session.scalars(select(Program).order_by(Program.start_date.desc(), Program.id)))


class MilestoneRow(NamedTuple):
    """A milestone as the overview lists it (plain columns, no ORM row)."""

    name: str
    name_zh: str | None
    early_finish: date | None


def milestones_by_phase(program_id: int) -> dict[int, list[MilestoneRow]]:
    """Per phase id: its milestones in plan order (one query of four columns, where the
    overview used to load every work item of every phase to pick them out)."""
    rows = db.session.execute(
        select(WorkItem.phase_id, WorkItem.name, WorkItem.name_zh, WorkItem.early_finish)
        .where(WorkItem.program_id == program_id, WorkItem.kind == "milestone")
        .order_by(WorkItem.position, WorkItem.id)
    )
    found: dict[int, list[MilestoneRow]] = {}
    for phase_id, name, name_zh, early_finish in rows:
        found.setdefault(phase_id, []).append(MilestoneRow(name, name_zh, early_finish))
    return found


def work_item_counts(program_id: int) -> dict[int, dict[str, int]]:
    """Per phase id: how many tasks and milestones it holds (one query)."""
    rows = db.session.execute(
        select(WorkItem.phase_id, WorkItem.kind, func.count())
        .where(WorkItem.program_id == program_id)
        .group_by(WorkItem.phase_id, WorkItem.kind)
    )
    counts: dict[int, dict[str, int]] = {}
    for phase_id, kind, count in rows:
        counts.setdefault(phase_id, {"task": 0, "milestone": 0})[kind] = count
    return counts
