"""Lessons from a program back into its playbook: the outcome read, lessons proposed and chosen, a
new version written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import select

import planner.models.library  # noqa: F401  (registers the library tables)
from planner.domain.calendar import WorkCalendar
from planner.domain.errors import Problem, ValidationError
from planner.domain.playbook import (
    Playbook,
    parse_playbook,
)
from planner.domain.playbook_diff import (
    split_link_key,
)
from planner.domain.playbook_lessons import (
    AddedTask,
    Lesson,
    MissedMetric,
    OccurredRisk,
    ProgramOutcome,
    apply_lessons,
    missed_targets,
    propose_lessons,
)
from planner.domain.playbook_writer import dump_playbook
from planner.extensions import db
from planner.models import (
    Metric,
    MetricReading,
    Program,
)
from planner.services.library.provenance import ProgramRows, load_rows
from planner.services.library.upgrade import _current_playbook
from planner.services.playbooks import (
    installed_playbooks,
    version_key,
)
from planner.services.scheduling import program_calendar

# --------------------------------------------------------------------------- lessons


def _inclusive_workdays(calendar: WorkCalendar, start: date, finish: date) -> int:
    """Working days from ``start`` to ``finish``, both counted (a Mon–Fri task takes 5)."""
    return calendar.workdays_between(start, finish + timedelta(days=1))


def outcome(program: Program, playbook: Playbook, today: date) -> ProgramOutcome:
    """What happened in the program, as the lessons module reads it.

    * tasks added: work items whose key the playbook version does not have;
    * actual durations: of tasks with an actual start and finish, the working days from the
      one to the other, both counted (the convention of planned durations);
    * risks that occurred: status "occurred" (or an occurred date);
    * metrics that missed: for each phase whose window has ended, the last reading on or
      before the window's end against the program's target for that phase.
    """
    rows = load_rows(program)
    calendar = program_calendar(program)
    return ProgramOutcome(
        added_tasks=_added_tasks(rows, playbook),
        actual_durations={
            item.key: float(_inclusive_workdays(calendar, item.actual_start, item.actual_finish))
            for item in rows.items.values()
            if item.kind == "task" and item.actual_start and item.actual_finish
        },
        occurred_risks=[
            OccurredRisk(
                key=risk.key,
                title=risk.title,
                title_zh=risk.title_zh,
                likelihood=risk.likelihood,
                impact=risk.impact,
                category=risk.category,
                mitigation=risk.mitigation or None,
                mitigation_zh=risk.mitigation_zh,
            )
            for risk in rows.risks.values()
            if risk.status == "occurred" or risk.occurred_on is not None
        ],
        missed_metrics=_missed_metrics(program, rows, today),
    )


def _added_tasks(rows: ProgramRows, playbook: Playbook) -> list[AddedTask]:
    """The program's work items whose key the playbook version does not have, with their
    links (a plain finish-to-start one as the predecessor's key alone)."""
    phase_key_of = {p.id: p.key for p in rows.phases.values()}
    known = {item.key for _phase, item in playbook.work_items()}
    preds: dict[str, list[tuple[str, str, int]]] = {}
    for key, dep in rows.links.items():
        pred, succ = split_link_key(key)
        preds.setdefault(succ, []).append((pred, dep.type, dep.lag_days))
    return [
        AddedTask(
            key=item.key,
            name=item.name,
            name_zh=item.name_zh,
            phase_key=phase_key_of[item.phase_id],
            duration=0 if item.kind == "milestone" else item.duration_days,
            workstream=item.workstream,
            owner_role=item.owner_role,
            depends_on=tuple(
                p if (t, lag) == ("FS", 0) else (p, t, lag) for p, t, lag in preds.get(item.key, [])
            ),
        )
        for item in rows.items.values()
        if item.key not in known
    ]


def _missed_metrics(program: Program, rows: ProgramRows, today: date) -> list[MissedMetric]:
    """The metric targets of the phases ended before ``today`` that the readings missed."""
    ended = {p.ordinal: p.window_end for p in rows.phases.values() if p.window_end < today}
    readings = db.session.execute(
        select(MetricReading.metric_id, MetricReading.day, MetricReading.value)
        .join(Metric)
        .where(Metric.program_id == program.id)
        .order_by(MetricReading.metric_id, MetricReading.day)
    ).all()
    by_metric: dict[int, list[tuple[date, float]]] = {}
    for metric_id, day, value in readings:
        by_metric.setdefault(metric_id, []).append((day, value))
    return [
        miss
        for metric in rows.metrics.values()
        for miss in missed_targets(
            metric.key,
            metric.direction,
            [(target.phase_ordinal, target.target) for target in metric.targets],
            by_metric.get(metric.id, []),
            ended,
        )
    ]


#: The patch value a consultant may edit on each kind of lesson, and its bounds.
EDITABLE: dict[str, tuple[str, float, float, bool]] = {
    "add_task": ("duration", 0, 1000, True),
    "lengthen_task": ("duration", 1, 1000, True),
    "raise_risk": ("likelihood", 1, 5, True),
    "add_risk": ("likelihood", 1, 5, True),
    "adjust_target": ("target", -1e12, 1e12, False),
}


def lesson_token(lesson: Lesson) -> str:
    return "l_" + hashlib.sha1(lesson.id.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]


def editable_value(lesson: Lesson) -> object:
    name = EDITABLE[lesson.kind][0]
    return lesson.patch.get(name)


@dataclass(frozen=True)
class LessonsContext:
    program: Program
    playbook: Playbook
    lessons: list[Lesson]
    suggested_version: str


def suggest_version(playbook_id: str, base: str) -> str:
    """The next version number after every installed one of this playbook (and ``base``)."""
    versions = [
        i.playbook.version for i in installed_playbooks()[0] if i.playbook.id == playbook_id
    ]
    newest = max([base, *versions], key=version_key)
    parts = newest.split(".")
    if len(parts) == 1:
        return f"{parts[0]}.1"
    parts[-1] = str(int(parts[-1]) + 1)
    return ".".join(parts)


def lessons_context(program: Program, today: date) -> LessonsContext:
    playbook = _current_playbook(program)
    lessons = propose_lessons(playbook, outcome(program, playbook, today))
    return LessonsContext(
        program, playbook, lessons, suggest_version(playbook.id, playbook.version)
    )


def chosen_lessons(
    lessons: Sequence[Lesson], chosen: Mapping[str, bool], values: Mapping[str, str]
) -> list[Lesson]:
    """The lessons the consultant kept, with the edited values (by :func:`lesson_token`)."""
    out: list[Lesson] = []
    problems: list[Problem] = []
    for lesson in lessons:
        token = lesson_token(lesson)
        if not chosen.get(token):
            continue
        raw = (values.get(token) or "").strip()
        name, low, high, whole = EDITABLE[lesson.kind]
        if raw:
            try:
                number = float(raw)
            except ValueError:
                problems.append(Problem(token, "field.not_a_number"))
                continue
            if whole and not number.is_integer():
                problems.append(Problem(token, "library.whole_number"))
                continue
            if not low <= number <= high:
                problems.append(Problem(token, "field.out_of_range", {"min": low, "max": high}))
                continue
            lesson = replace(lesson, patch={**lesson.patch, name: int(number) if whole else number})
        out.append(lesson)
    if problems:
        raise ValidationError(problems=problems)
    return out


def lessons_playbook(
    context: LessonsContext, lessons: Sequence[Lesson], new_version: str
) -> tuple[Playbook, str]:
    """The new version with the lessons applied, and its YAML (which loads back equal)."""
    new = apply_lessons(context.playbook, lessons, new_version.strip())
    header = (
        f"{new.id} {new.version}: {context.playbook.version} with {len(lessons)} lesson(s) "
        f"carried back from program #{context.program.id}.\n"
        "Review it, edit it, then upload it to the library."
    )
    text = dump_playbook(new, header=header)
    parse_playbook(text, source=f"{new.id}-{new.version}.yaml")  # what the library will load
    return new, text
