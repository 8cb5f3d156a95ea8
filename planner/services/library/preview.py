"""A playbook previewed before anyone uses it: its plan scheduled from a start date, its gates and
criteria in words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import planner.models.library  # noqa: F401  (registers the library tables)
from planner.domain.calendar import WorkCalendar
from planner.domain.explain import Explanation, Term
from planner.domain.playbook import (
    WEEKDAYS,
    ManualCriterion,
    MaxRiskBandCriterion,
    MetricTargetCriterion,
    MilestonesDoneCriterion,
    Playbook,
    Task,
)
from planner.domain.playbook import GateCriterion as PlaybookCriterion
from planner.domain.playbook import Phase as PlaybookPhase
from planner.domain.schedule import Activity, Link, PhaseWindow, ScheduleResult, schedule
from planner.services.library.browse import text_of
from planner.services.programs import phase_windows

# --------------------------------------------------------------------------- preview


@dataclass(slots=True)
class PreviewRow:
    """A playbook work item scheduled from a start date (a row of the Gantt's columns)."""

    id: int
    key: str
    name: str
    kind: str
    phase_key: str
    workstream: str | None
    owner: str | None
    duration: int
    early_start: date | None
    early_finish: date | None
    total_float: int | None
    free_float: int | None
    critical: bool
    predecessors: list[str]
    percent: int = 0
    status: str = "not_started"
    baseline_start: date | None = None
    baseline_finish: date | None = None
    finish_variance: int | None = None
    constraint_type: str | None = None
    constraint_date: date | None = None
    ordinal: int = 0
    position: int = 0


@dataclass(frozen=True, slots=True)
class PreviewLink:
    predecessor_id: int
    successor_id: int
    type: str
    lag: int
    critical: bool


@dataclass(frozen=True)
class CriterionView:
    kind: str
    text: Explanation  # what it checks (worded by the page, names in the chosen language)


@dataclass
class PreviewPhase:
    key: str
    name: str
    kind: str
    ordinal: int
    window_start: date
    window_end: date
    length_days: int
    goal: str
    result: str
    gate: list[CriterionView]
    tasks: int
    milestones: int
    finish: date | None = None
    overrun_days: int = 0


@dataclass(frozen=True)
class Preview:
    playbook: Playbook
    start: date
    finish: date
    phases: list[PreviewPhase]
    rows: list[PreviewRow]
    links: list[PreviewLink]
    critical_count: int


def next_monday(today: date) -> date:
    """The Monday after ``today`` (a week on when today is a Monday)."""
    return today + timedelta(days=7 - today.weekday())


def playbook_calendar(playbook: Playbook) -> WorkCalendar:
    return WorkCalendar(workdays=frozenset(WEEKDAYS.index(d) for d in playbook.calendar.workdays))


def criterion_text(
    criterion: PlaybookCriterion,
    lang: str,
    metric_names: Mapping[str, str],
    item_names: Mapping[str, str] | None = None,
) -> Explanation:
    """What a gate criterion checks, with names (in ``lang``) rather than keys, as a code the
    page words (planner/messages/library.py)."""
    if isinstance(criterion, MetricTargetCriterion):
        name = metric_names.get(criterion.metric, criterion.metric)
        return Explanation("library.criterion.metric_target", {"name": name})
    if isinstance(criterion, MilestonesDoneCriterion):
        names = tuple((item_names or {}).get(key, key) for key in criterion.milestones)
        return Explanation("library.criterion.milestones_done", {"names": names})
    if isinstance(criterion, MaxRiskBandCriterion):
        band = Term("band", criterion.band)  # the scale's label in the reader's language
        return Explanation("library.criterion.max_risk_band", {"band": band})
    assert isinstance(criterion, ManualCriterion)
    if criterion.source == "benefits_case":
        return Explanation("library.criterion.benefits", {"text": criterion.text.get(lang)})
    return Explanation("library.criterion.manual", {"text": criterion.text.get(lang)})


def preview(playbook: Playbook, start: date, lang: str) -> Preview:
    """The playbook's plan scheduled from ``start`` with the programs' scheduler (no rows)."""
    windows = phase_windows(playbook, start)
    result, links = _schedule(playbook, start, windows)
    overruns = {o.phase: o.days_over for o in result.overruns}
    metric_names = {m.key: text_of(m.name, lang) for m in playbook.metrics}
    item_names = {item.key: text_of(item.name, lang) for _phase, item in playbook.work_items()}
    ids: dict[str, int] = {}
    rows: list[PreviewRow] = []
    phases: list[PreviewPhase] = []
    for phase, (window_start, window_end) in zip(playbook.phases, windows, strict=True):
        phase_rows = _phase_rows(phase, result, ids, lang)
        phase_rows.sort(key=lambda r: (r.workstream or "", r.early_start or start, r.position))
        rows.extend(phase_rows)
        finishes = [r.early_finish for r in phase_rows if r.early_finish]
        phases.append(
            PreviewPhase(
                key=phase.key,
                name=text_of(phase.name, lang),
                kind=phase.kind,
                ordinal=phase.ordinal,
                window_start=window_start,
                window_end=window_end,
                length_days=phase.length_days,
                goal=text_of(phase.goal, lang),
                result=text_of(phase.result, lang),
                gate=[
                    CriterionView(c.kind, criterion_text(c, lang, metric_names, item_names))
                    for c in phase.gate
                ],
                tasks=len(phase.tasks),
                milestones=len(phase.milestones),
                finish=max(finishes) if finishes else None,
                overrun_days=overruns.get(phase.key, 0),
            )
        )
    by_key = {row.key: row for row in rows}
    preview_links = [
        PreviewLink(
            ids[link.predecessor],
            ids[link.successor],
            link.type,
            link.lag,
            by_key[link.predecessor].critical and by_key[link.successor].critical,
        )
        for link in links
    ]
    critical = sum(1 for r in rows if r.critical)
    return Preview(playbook, start, result.finish, phases, rows, preview_links, critical)


def _schedule(
    playbook: Playbook, start: date, windows: list[tuple[date, date]]
) -> tuple[ScheduleResult, list[Link]]:
    """The playbook's items and links through the scheduler, each phase in its window."""
    activities: list[Activity] = []
    links: list[Link] = []
    for phase, (window_start, _end) in zip(playbook.phases, windows, strict=True):
        for item in [*phase.tasks, *phase.milestones]:
            duration = item.duration if isinstance(item, Task) else 0
            activities.append(Activity(item.key, duration, phase.key, window_start))
            links.extend(Link(d.key, item.key, d.type, d.lag) for d in item.depends_on)
    result = schedule(
        activities,
        links,
        playbook_calendar(playbook),
        start=start,
        phase_windows=[
            PhaseWindow(p.key, s, e) for p, (s, e) in zip(playbook.phases, windows, strict=True)
        ],
    )
    return result, links


def _phase_rows(
    phase: PlaybookPhase, result: ScheduleResult, ids: dict[str, int], lang: str
) -> list[PreviewRow]:
    """A phase's tasks and milestones as scheduled, numbered on from ``ids`` (filled in)."""
    rows = []
    for item in [*phase.tasks, *phase.milestones]:
        computed = result.items[item.key]
        position = ids[item.key] = len(ids) + 1
        is_task = isinstance(item, Task)
        rows.append(
            PreviewRow(
                id=position,
                key=item.key,
                name=text_of(item.name, lang),
                kind="task" if is_task else "milestone",
                phase_key=phase.key,
                workstream=item.workstream,
                owner=item.owner_role,
                duration=item.duration if isinstance(item, Task) else 0,
                early_start=computed.early_start,
                early_finish=computed.early_finish,
                total_float=computed.total_float,
                free_float=computed.free_float,
                critical=computed.critical,
                predecessors=[
                    d.key + ("" if d.type == "FS" and not d.lag else f" {d.type}{d.lag:+d}")
                    for d in item.depends_on
                ],
                ordinal=phase.ordinal,
                position=position,
            )
        )
    return rows
