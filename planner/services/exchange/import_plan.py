"""A plan file imported as a new program (phases, items, links, calendar, baseline, optionally
a playbook's risks, metrics and gate criteria) or into one phase of an existing program."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Final

from sqlalchemy import func, select

import planner.models.baseline  # noqa: F401  (registers the baseline tables)
from planner.domain.errors import ImportFormatError, Problem, ValidationError
from planner.domain.playbook import GateCriterion as PlaybookGateCriterion
from planner.domain.playbook import (
    MetricTargetCriterion,
    MilestonesDoneCriterion,
    Playbook,
)
from planner.domain.playbook_rows import criterion_row, en_column, zh_column
from planner.domain.text_fields import text_problems
from planner.extensions import db
from planner.interop.plandata import (
    CalendarData,
    ItemData,
    LinkData,
    PhaseData,
    PlanData,
)
from planner.models import (
    CalendarException,
    Dependency,
    GateCriterion,
    Membership,
    Phase,
    Program,
    User,
    WorkItem,
)
from planner.models.baseline import Baseline
from planner.services.exchange.formats import (
    DEFAULT_BASELINE_NAME,
    IMPORTED_PLAYBOOK_ID,
    IMPORTED_PLAYBOOK_VERSION,
    PlanFile,
    rekey,
)
from planner.services.plan import record_baseline
from planner.services.programs import metric_from_playbook, risk_from_playbook
from planner.services.scheduling import (
    Outcome,
    reschedule,
)

# --------------------------------------------------------------------------- import

#: The longest program name or client (the columns hold 200 characters).
MAX_NAME_LENGTH: Final = 200


@dataclass(frozen=True)
class ImportOutcome:
    """What an import made."""

    program: Program
    items: int
    links: int
    renamed: dict[str, str] = field(default_factory=dict)
    baseline: Baseline | None = None
    schedule: Outcome | None = None
    notes: tuple[str, ...] = ()


def _english_and_chinese(data: ItemData | PhaseData, language: str) -> tuple[str, str | None]:
    """A row's ``name`` and ``name_zh`` from a file's name and its other-language name."""
    if language == "zh":
        return (data.alt_name or data.name), data.name
    return data.name, data.alt_name


def new_work_item(
    program: Program, item: ItemData, position: int, language: str = "en"
) -> WorkItem:
    if item.name_en is not None or item.name_zh is not None:
        # a table for round-trip editing holds the name in each language
        name, name_zh = item.name_en or item.name, item.name_zh
    else:
        name, name_zh = _english_and_chinese(item, language)
    return WorkItem(
        program_id=program.id,
        key=item.key,
        kind=item.kind,
        name=name,
        name_zh=name_zh,
        workstream=item.workstream,
        duration_days=0 if item.kind == "milestone" else item.duration,
        owner=item.owner,
        percent_complete=item.percent_complete,
        actual_start=item.actual_start,
        actual_finish=item.actual_finish,
        constraint_type=item.constraint_type,
        constraint_date=item.constraint_date,
        position=position,
    )


def add_links(program: Program, links: tuple[LinkData, ...], rows: dict[str, WorkItem]) -> None:
    for link in links:
        db.session.add(
            Dependency(
                program_id=program.id,
                predecessor_id=rows[link.predecessor].id,
                successor_id=rows[link.successor].id,
                type=link.type,
                lag_days=link.lag,
                lag_unit=link.lag_unit if link.lag_amount is not None else "d",
                lag_amount=link.lag_amount if link.lag_unit != "d" else None,
            )
        )


def _add_playbook_parts(program: Program, playbook: Playbook, phases: dict[str, Phase]) -> None:
    """The playbook's risks and metrics, and the gate criteria of its phases that the file
    also has (by key) whose references the program holds."""
    for rank, pb_risk in enumerate(playbook.risks, start=1):
        program.risks.append(risk_from_playbook(pb_risk, rank))
    for pb_metric in playbook.metrics:
        program.metrics.append(metric_from_playbook(pb_metric))
    item_keys = set(
        db.session.scalars(select(WorkItem.key).where(WorkItem.program_id == program.id))
    )
    metric_keys = {m.key for m in playbook.metrics}
    for pb_phase in playbook.phases:
        phase = phases.get(pb_phase.key)
        if phase is None:
            continue
        position = 0
        for criterion in pb_phase.gate:
            if not _program_holds(criterion, metric_keys, item_keys):
                continue
            reference, text = criterion_row(criterion)
            phase.gate_criteria.append(
                GateCriterion(
                    position=position,
                    kind=criterion.kind,
                    reference=reference,
                    text=en_column(text),
                    text_zh=zh_column(text),
                )
            )
            position += 1


def _program_holds(
    criterion: PlaybookGateCriterion, metric_keys: set[str], item_keys: set[str]
) -> bool:
    """Whether the program has what the criterion names (its metric, its milestones)."""
    if isinstance(criterion, MetricTargetCriterion):
        return criterion.metric in metric_keys
    if isinstance(criterion, MilestonesDoneCriterion):
        return set(criterion.milestones) <= item_keys
    return True


def _baseline_dates(plan: PlanData) -> dict[str, tuple[date, date, int]]:
    dates = {}
    for item in plan.items:
        start, finish = item.baseline_start, item.baseline_finish
        if start is None and finish is None:
            continue
        start = start or finish
        finish = finish or start
        assert start is not None and finish is not None
        if finish < start:
            continue
        dates[item.key] = (start, finish, 0 if item.kind == "milestone" else item.duration)
    return dates


def import_new_program(
    planfile: PlanFile,
    *,
    name: str | None,
    client: str,
    lead: User | None = None,
    playbook: Playbook | None = None,
    baseline_name: str = DEFAULT_BASELINE_NAME,
    today: date | None = None,
) -> ImportOutcome:
    """A new program made of the file's plan (see the module notes); the caller commits."""
    plan, renamed = rekey(planfile.plan, set())
    name = (name or "").strip() or plan.name
    client = (client or "").strip()
    problems = text_problems((("name", name), ("client", client)), MAX_NAME_LENGTH)
    if not plan.phases:
        problems.append(Problem("file", "exchange.nothing_to_import"))
    if problems:
        raise ValidationError(problems=problems)
    program = Program(
        name=name,
        client=client,
        start_date=plan.start,
        # the file's status date: its actuals and the dates it shows hold as of that day
        status_date=plan.status_date,
        status="planning",
        workdays="".join(str(day + 1) for day in sorted(plan.calendar.workdays)),
        playbook_id=playbook.id if playbook else IMPORTED_PLAYBOOK_ID,
        playbook_version=playbook.version if playbook else IMPORTED_PLAYBOOK_VERSION,
    )
    db.session.add(program)
    db.session.flush()
    if lead is not None:
        db.session.add(Membership(user_id=lead.id, program_id=program.id, role="lead"))
    _add_calendar_exceptions(program, plan.calendar)
    phases = _add_phases(program, plan)
    rows: dict[str, WorkItem] = {}
    for position, item in enumerate(plan.items):
        row = new_work_item(program, item, position, plan.language)
        phases[item.phase_key].work_items.append(row)
        rows[item.key] = row
    db.session.flush()
    add_links(program, plan.links, rows)
    if playbook is not None:
        _add_playbook_parts(program, playbook, phases)
    db.session.flush()
    outcome = reschedule(program, today)
    baseline = None
    dates = _baseline_dates(plan)
    if dates:
        baseline = record_baseline(program, baseline_name, dates, status_date=today)
    return ImportOutcome(
        program, len(plan.items), len(plan.links), renamed, baseline, outcome, planfile.notes
    )


def _add_calendar_exceptions(program: Program, calendar: CalendarData) -> None:
    for day in sorted(calendar.holidays):
        name = calendar.name_of(day)
        program.calendar_exceptions.append(CalendarException(day=day, working=False, name=name))
    for day in sorted(calendar.extra_workdays):
        name = calendar.name_of(day)
        program.calendar_exceptions.append(CalendarException(day=day, working=True, name=name))


def _add_phases(program: Program, plan: PlanData) -> dict[str, Phase]:
    """The file's phases added to ``program``, by key."""
    phases: dict[str, Phase] = {}
    # a table exported in Chinese names its phases in Chinese (and its items in both languages)
    chinese = any(i.name_zh is not None and i.name == i.name_zh for i in plan.items)
    for data in plan.phases:
        if chinese:
            phase_name, phase_name_zh = data.name, data.name  # type: str, str | None
        else:
            phase_name, phase_name_zh = _english_and_chinese(data, plan.language)
        phase = Phase(
            ordinal=data.ordinal,
            key=data.key,
            kind="diagnosis" if data.ordinal == 0 else "phase",
            name=phase_name,
            name_zh=phase_name_zh,
            goal="",
            result="",
            length_days=(data.end - data.start).days + 1,
            window_start=data.start,
            window_end=data.end,
        )
        program.phases.append(phase)
        phases[data.key] = phase
    return phases


def import_into_phase(
    program: Program, phase_id: int, planfile: PlanFile, today: date | None = None
) -> ImportOutcome:
    """Add the file's work items and links to one phase of ``program``; the caller commits."""
    phase = next((p for p in program.phases if p.id == phase_id), None)
    if phase is None:
        raise ValidationError.of("phase", "exchange.choose_phase")
    if not planfile.plan.items:
        raise ImportFormatError.of("file", "exchange.no_items")
    taken = set(db.session.scalars(select(WorkItem.key).where(WorkItem.program_id == program.id)))
    plan, renamed = rekey(planfile.plan, taken)
    last = db.session.scalar(
        select(func.coalesce(func.max(WorkItem.position), -1)).where(
            WorkItem.program_id == program.id
        )
    )
    rows: dict[str, WorkItem] = {}
    for offset, item in enumerate(plan.items, start=1):
        row = new_work_item(
            program, item, int(last if last is not None else -1) + offset, plan.language
        )
        phase.work_items.append(row)
        rows[item.key] = row
    db.session.flush()
    add_links(program, plan.links, rows)
    db.session.flush()
    outcome = reschedule(program, today)
    notes = list(planfile.notes)
    return ImportOutcome(
        program, len(plan.items), len(plan.links), renamed, None, outcome, tuple(notes)
    )
