"""Actions from an assessment's gaps: proposed, edited, accepted into the plan as work items."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from sqlalchemy import func, select

import planner.models.assessment  # noqa: F401  (registers the tables until models/__init__ does)
from planner.domain import maturity as m
from planner.domain.errors import Problem, ValidationError
from planner.extensions import db
from planner.models.assessment import (
    ACTION_HORIZONS,
    ACTION_STATUSES,
    ActionItem,
    Assessment,
)
from planner.models.plan import Phase, WorkItem
from planner.models.program import Program
from planner.services.assessment.model import model_for
from planner.services.assessment.results import assessment_results
from planner.services.concurrency import check_version

# Where the work item made from an action goes, by the indicator's category.
CATEGORY_WORKSTREAMS = {
    "customer-strategy": "governance",
    "customer-processes": "sales-automation",
    "people-organisation": "training-change",
    "information-technology": "integration",
    "customer-data": "data-migration",
    "customer-management": "sales-automation",
    "customer-experience": "governance",
    "customer-performance": "governance",
}
ACTION_DURATION_DAYS = {"tactical": 10, "strategic": 20}  # working days, a first estimate
ZH_RAISE = "把“{name}”从 {current} 提升到 {target}"
DEFAULT_PROPOSALS = 12


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


# --------------------------------------------------------------------------- actions


def propose_actions(assessment: Assessment, limit: int = DEFAULT_PROPOSALS) -> list[ActionItem]:
    """Add proposals for the largest weighted gaps not yet covered by an action.

    Titles in English and Chinese come from the playbook's suggested actions (else "Raise
    <indicator> from X to Y"). Returns the new actions; an empty list when no indicator is
    below its target. ValidationError when the assessment has no interviews.
    """
    results_en = assessment_results(assessment, "en")
    view_zh = model_for(assessment, "zh")
    taken = {a.indicator_key for a in assessment.actions}
    open_gaps = [g for g in results_en.gaps if g.indicator not in taken]
    proposals = m.propose_actions(results_en.model, open_gaps, limit=limit)
    position = max((a.position for a in assessment.actions), default=-1) + 1
    created = []
    for proposal in proposals:
        zh_indicator = view_zh.model.indicator(proposal.indicator)
        title_zh = zh_indicator.suggested_action or ZH_RAISE.format(
            name=zh_indicator.name,
            current=_fmt(proposal.current),
            target=_fmt(proposal.target),
        )
        action = ActionItem(
            program_id=assessment.program_id,
            indicator_key=proposal.indicator,
            title=proposal.title[:300],
            title_zh=title_zh[:300],
            horizon=proposal.horizon,
            priority=proposal.priority,
            status="proposed",
            position=position,
            weighted_gap=proposal.weighted_gap,
        )
        position += 1
        assessment.actions.append(action)
        created.append(action)
    db.session.flush()
    return created


@dataclass(frozen=True)
class ActionData:
    title: str
    title_zh: str | None
    horizon: str
    priority: int
    status: str


def _check_action_data(data: ActionData) -> None:
    problems: list[Problem] = []
    if not data.title.strip():
        problems.append(Problem("title", "field.required"))
    if len(data.title) > 300 or len(data.title_zh or "") > 300:
        problems.append(Problem("title", "field.too_long", {"max": 300}))
    if data.horizon not in ACTION_HORIZONS:
        problems.append(Problem("horizon", "field.not_a_choice", {"value": data.horizon}))
    if isinstance(data.priority, bool) or data.priority not in (1, 2, 3):
        problems.append(Problem("priority", "field.not_a_choice", {"value": data.priority}))
    if data.status not in ACTION_STATUSES:
        problems.append(Problem("status", "field.not_a_choice", {"value": data.status}))
    if problems:
        raise ValidationError(problems=problems)


def update_action(action: ActionItem, version: int | str | None, data: ActionData) -> None:
    check_version(action, version)
    _check_action_data(data)
    if action.work_item_id is not None and data.status != "accepted":
        raise ValidationError.of("status", "assessment.action_in_plan")
    action.title = data.title.strip()
    action.title_zh = (data.title_zh or "").strip() or None
    action.horizon = data.horizon
    action.priority = data.priority
    action.status = data.status
    db.session.flush()


def set_action_status(action: ActionItem, version: int | str | None, status: str) -> None:
    update_action(
        action,
        version,
        ActionData(action.title, action.title_zh, action.horizon, action.priority, status),
    )


def _unique_key(base: str, taken: set[str]) -> str:
    base = base[:64]
    if base not in taken:
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = base[: 64 - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        n += 1


def reschedule_if_available(program: Program) -> bool:
    """Recompute the program's dates when the scheduling service exists; tell whether it ran."""
    try:
        scheduling = importlib.import_module("planner.services.scheduling")
    except ModuleNotFoundError as exc:
        if exc.name != "planner.services.scheduling":
            raise
        return False
    reschedule = getattr(scheduling, "reschedule", None)
    if reschedule is None:
        return False
    reschedule(program)
    return True


def add_accepted_to_plan(
    assessment: Assessment, phase_ordinal: int, lang: str = "en"
) -> list[WorkItem]:
    """Make every accepted action that is not yet in the plan a work item of the phase.

    The work item's key is ``act-<indicator>`` (made unique in the program), its name the
    action's title; it may not start before the phase window. The plan is rescheduled.
    """
    program = assessment.program
    phase = db.session.scalars(
        select(Phase).where(Phase.program_id == program.id, Phase.ordinal == phase_ordinal)
    ).first()
    if phase is None:
        raise ValidationError.of("phase", "assessment.no_phase", phase=phase_ordinal)
    todo = [a for a in assessment.actions if a.status == "accepted" and a.work_item_id is None]
    if not todo:
        raise ValidationError.of("phase", "assessment.accept_first")
    view = model_for(assessment, lang)
    taken = set(db.session.scalars(select(WorkItem.key).where(WorkItem.program_id == program.id)))
    position = (
        db.session.scalar(
            select(func.max(WorkItem.position)).where(WorkItem.program_id == program.id)
        )
        or 0
    ) + 1
    categories = {s.key: s.category for s in assessment.indicators}
    created: list[WorkItem] = []
    for action in sorted(todo, key=lambda a: (a.priority, a.position, a.id)):
        key = _unique_key(f"act-{action.indicator_key}", taken)
        taken.add(key)
        item = WorkItem(
            program_id=program.id,
            phase_id=phase.id,
            key=key,
            kind="task",
            name=(action.title or action.title_zh or key)[:300],
            name_zh=action.title_zh,
            workstream=CATEGORY_WORKSTREAMS.get(
                categories.get(action.indicator_key, ""), "governance"
            ),
            duration_days=ACTION_DURATION_DAYS.get(action.horizon, 10),
            owner_role="project lead",
            deliverable=(
                f"Maturity action for indicator {action.indicator_key} "
                f"({view.name(action.indicator_key)}), from “{assessment.title}”"
            ),
            position=position,
            constraint_type="SNET",
            constraint_date=phase.window_start,
        )
        position += 1
        db.session.add(item)
        created.append(item)
        action.work_item = item
    db.session.flush()
    reschedule_if_available(program)
    db.session.flush()
    return created
