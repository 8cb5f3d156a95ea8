"""Maturity assessments: start one from the playbook's model, record interviews and scores,
compute the results with :mod:`planner.domain.maturity`, turn gaps into actions and work items.

The playbook's maturity model (pydantic, bilingual) is converted here into the domain's frozen
``MaturityModel`` in one language; the assessment's own indicator settings (weight and
criticality, snapshotted when it starts and editable) replace the playbook's weights.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

import planner.models.assessment  # noqa: F401  (registers the tables until models/__init__ does)
from planner.domain import maturity as m
from planner.domain.errors import NotFoundError, Problem, ValidationError
from planner.domain.explain import Explanation
from planner.domain.playbook import MaturityModel as PlaybookMaturity
from planner.domain.playbook import Text
from planner.extensions import db
from planner.models.assessment import (
    ACTION_HORIZONS,
    ACTION_STATUSES,
    ASSESSMENT_KINDS,
    ASSESSMENT_STATUSES,
    DURATION_MAX,
    DURATION_MIN,
    INTERVIEW_LEVELS,
    ActionItem,
    Assessment,
    AssessmentIndicator,
    Interview,
    InterviewScore,
)
from planner.models.plan import Phase, WorkItem
from planner.models.program import Program
from planner.services.concurrency import check_version
from planner.services.playbooks import get_playbook

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


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class ModelView:
    """The maturity model in one language, with what the domain model does not carry."""

    model: m.MaturityModel
    lang: str
    descriptions: Mapping[str, str]
    scale_labels: Mapping[int, str]
    level_weights: Mapping[str, float]

    @property
    def categories(self) -> tuple[m.Category, ...]:
        return self.model.categories

    def category(self, key: str) -> m.Category:
        for category in self.model.categories:
            if category.key == key:
                return category
        raise NotFoundError.of("", "row.not_found")

    def category_name(self, key: str) -> str:
        for category in self.model.categories:
            if category.key == key:
                return category.name
        return key

    def name(self, key: str) -> str:
        if self.model.has_indicator(key):
            return self.model.indicator(key).name
        return key


def playbook_maturity(program: Program) -> PlaybookMaturity:
    """The maturity model of the program's playbook; ValidationError when it has none."""
    playbook = get_playbook(program.playbook_id, program.playbook_version)
    if playbook.maturity is None:
        raise ValidationError.of("playbook", "assessment.no_model")
    return playbook.maturity


def _text(text: Text | None, lang: str) -> str | None:
    return text.get(lang) if text is not None else None


@dataclass(frozen=True)
class IndicatorSetting:
    """An indicator's settings in one assessment (what the settings page edits)."""

    weight: float
    critical: bool
    target: float | None = None
    benchmark: float | None = None
    competitor: float | None = None


def domain_model(
    pb: PlaybookMaturity,
    lang: str,
    settings: Sequence[AssessmentIndicator] | None = None,
) -> ModelView:
    """Convert the playbook's model to the domain's in ``lang`` ("en" or "zh").

    With ``settings`` (an assessment's snapshot, in position order) the indicators, their
    weights and criticality come from the snapshot; names and actions from the playbook.
    """
    names: dict[str, tuple[str, str | None, str | None, str | None]] = {}
    category_names: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    playbook_indicators: dict[str, tuple[str, float, bool]] = {}
    for pb_category in pb.categories:
        category_names[pb_category.key] = pb_category.name.get(lang)
        for ind in pb_category.indicators:
            names[ind.key] = (
                ind.name.get(lang),
                _text(ind.suggested_action, lang),
                ind.horizon,
                _text(ind.description, lang),
            )
            playbook_indicators[ind.key] = (pb_category.key, ind.weight, ind.critical)
            if ind.description is not None:
                descriptions[ind.key] = ind.description.get(lang)

    rows: list[tuple[str, str, float, bool]]
    if settings is None:
        rows = [(k, c, w, crit) for k, (c, w, crit) in playbook_indicators.items()]
    else:
        rows = [(s.key, s.category, s.weight, s.critical) for s in settings]
    by_category: dict[str, list[m.Indicator]] = {}
    for key, category, weight, critical in rows:
        name, action, horizon, _desc = names.get(key, (key, None, None, None))
        by_category.setdefault(category, []).append(
            m.Indicator(
                key=key,
                category=category,
                name=name,
                weight=weight,
                critical=critical,
                suggested_action=action,
                horizon=horizon,  # type: ignore[arg-type]  # the horizon values come from the model's Literal
            )
        )
    order = [c.key for c in pb.categories] + [c for c in by_category if c not in category_names]
    categories = tuple(
        m.Category(key, category_names.get(key, key), tuple(by_category[key]))
        for key in order
        if key in by_category
    )
    scale = {int(score): label.get(lang) for score, label in pb.scale.items()}
    weights: dict[str, float] = {level: w for level, w in pb.level_weights.items()}
    model = m.MaturityModel(
        categories=categories,
        levels=tuple(m.MaturityLevel(lv.name.get(lang), lv.min_score) for lv in pb.levels),
        scale_labels=scale,
        level_weights=weights,
    )
    return ModelView(model, lang, descriptions, scale, dict(weights))


def model_for(assessment: Assessment, lang: str) -> ModelView:
    """The assessment's model (its indicator snapshot) in ``lang``."""
    return domain_model(playbook_maturity(assessment.program), lang, assessment.indicators)


# --------------------------------------------------------------------------- reading


def _assessment_query():
    return select(Assessment).options(
        selectinload(Assessment.indicators),
        selectinload(Assessment.interviews).selectinload(Interview.scores),
        selectinload(Assessment.actions).selectinload(ActionItem.work_item),
    )


def list_assessments(program: Program, full: bool = False) -> list[Assessment]:
    """The program's assessments, oldest first, with their interviews (fixed query count).

    ``full`` loads everything each holds (settings, scores, actions) for computing results.
    """
    base = (
        _assessment_query()
        if full
        else select(Assessment).options(selectinload(Assessment.interviews))
    )
    query = base.where(Assessment.program_id == program.id).order_by(
        Assessment.started_on, Assessment.id
    )
    return list(db.session.scalars(query))


def get_assessment(program: Program, assessment_id: int) -> Assessment:
    """One assessment of this program, everything it holds loaded; NotFoundError otherwise."""
    found = db.session.scalars(
        _assessment_query().where(
            Assessment.id == assessment_id, Assessment.program_id == program.id
        )
    ).first()
    if found is None:
        raise NotFoundError.of("", "row.not_found")
    return found


def get_interview(assessment: Assessment, interview_id: int) -> Interview:
    for interview in assessment.interviews:
        if interview.id == interview_id:
            return interview
    raise NotFoundError.of("", "row.not_found")


def get_action(assessment: Assessment, action_id: int) -> ActionItem:
    for action in assessment.actions:
        if action.id == action_id:
            return action
    raise NotFoundError.of("", "row.not_found")


def sorted_interviews(assessment: Assessment) -> list[Interview]:
    """Interviews by level (senior first), then date (undated last), then id."""
    rank = {level: i for i, level in enumerate(INTERVIEW_LEVELS)}
    return sorted(
        assessment.interviews,
        key=lambda iv: (rank.get(iv.level, 9), iv.held_on or date.max, iv.id or 0),
    )


# --------------------------------------------------------------------------- starting


@dataclass(frozen=True)
class AssessmentData:
    title: str
    kind: str
    phase_ordinal: int
    started_on: date
    status: str = "in_progress"
    completed_on: date | None = None
    notes: str = ""


def _check_assessment_data(program: Program, data: AssessmentData) -> None:
    problems: list[Problem] = []
    if not data.title.strip():
        problems.append(Problem("title", "field.required"))
    if len(data.title.strip()) > 200:
        problems.append(Problem("title", "field.too_long", {"max": 200}))
    if data.kind not in ASSESSMENT_KINDS:
        problems.append(Problem("kind", "field.not_a_choice", {"value": data.kind}))
    if data.status not in ASSESSMENT_STATUSES:
        problems.append(Problem("status", "field.not_a_choice", {"value": data.status}))
    ordinals = {p.ordinal for p in program.phases}
    if data.phase_ordinal not in ordinals:
        no_phase = {"phase": data.phase_ordinal}
        problems.append(Problem("phase_ordinal", "assessment.no_phase", no_phase))
    if data.status == "completed" and data.completed_on is None:
        problems.append(Problem("completed_on", "assessment.completed_needs_date"))
    if data.completed_on is not None and data.completed_on < data.started_on:
        problems.append(Problem("completed_on", "assessment.completed_before_start"))
    if problems:
        raise ValidationError(problems=problems)


def start_assessment(
    program: Program, data: AssessmentData, copy_settings_from: Assessment | None = None
) -> Assessment:
    """Create an assessment with a snapshot of the playbook's indicators (keys, weights).

    With ``copy_settings_from`` (an earlier assessment of the program), weights, targets,
    benchmarks and competitor scores are carried over for the indicators both share.
    """
    _check_assessment_data(program, data)
    if copy_settings_from is not None and copy_settings_from.program_id != program.id:
        raise ValidationError.of("copy_from", "assessment.other_program")
    pb = playbook_maturity(program)
    view = domain_model(pb, "en")  # validates the playbook's model with the domain's rules
    previous = {s.key: s for s in (copy_settings_from.indicators if copy_settings_from else [])}
    assessment = Assessment(
        program_id=program.id,
        title=data.title.strip(),
        kind=data.kind,
        phase_ordinal=data.phase_ordinal,
        started_on=data.started_on,
        completed_on=data.completed_on,
        status=data.status,
        notes=data.notes,
        model_ref=f"{program.playbook_id}@{program.playbook_version}",
    )
    for position, indicator in enumerate(view.model.indicators):
        old = previous.get(indicator.key)
        assessment.indicators.append(
            AssessmentIndicator(
                program_id=program.id,
                key=indicator.key,
                category=indicator.category,
                position=position,
                weight=old.weight if old else indicator.weight,
                critical=old.critical if old else indicator.critical,
                target=old.target if old else None,
                benchmark=old.benchmark if old else None,
                competitor=old.competitor if old else None,
            )
        )
    db.session.add(assessment)
    db.session.flush()
    return assessment


def update_assessment(
    assessment: Assessment, version: int | str | None, data: AssessmentData
) -> None:
    """Change title, kind, phase, dates, status or notes (optimistic lock on ``version``)."""
    check_version(assessment, version)
    _check_assessment_data(assessment.program, data)
    assessment.title = data.title.strip()
    assessment.kind = data.kind
    assessment.phase_ordinal = data.phase_ordinal
    assessment.started_on = data.started_on
    assessment.completed_on = data.completed_on
    assessment.status = data.status
    assessment.notes = data.notes
    db.session.flush()


def delete_assessment(assessment: Assessment, version: int | str | None) -> None:
    check_version(assessment, version)
    db.session.delete(assessment)
    db.session.flush()


# --------------------------------------------------------------------------- settings


def _real(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def save_settings(
    assessment: Assessment,
    version: int | str | None,
    values: Mapping[str, IndicatorSetting],
) -> int:
    """Save weights, criticality, targets, benchmarks and competitor scores; return changes.

    Every problem is listed in one ValidationError (paths ``<key>.weight``, ``<key>.target``
    ...); nothing is saved unless all values are valid.
    """
    check_version(assessment, version)
    by_key = {s.key: s for s in assessment.indicators}
    problems: list[Problem] = []
    scale = {"min": m.SCALE_MIN, "max": m.SCALE_MAX}
    for key, setting in values.items():
        if key not in by_key:
            problems.append(Problem(f"{key}.weight", "assessment.unknown_indicator", {"key": key}))
            continue
        try:
            m.Indicator(key, by_key[key].category, key, weight=setting.weight)
        except ValidationError as exc:
            problems.extend(
                Problem(f"{key}.weight", "assessment.as_given", {"text": message})
                for _path, message in exc.errors
            )
        for line in ("target", "benchmark", "competitor"):
            score = getattr(setting, line)
            if score is None:
                continue
            if not _real(score) or not m.SCALE_MIN <= score <= m.SCALE_MAX:
                problems.append(Problem(f"{key}.{line}", "field.out_of_range", scale))
    if problems:
        raise ValidationError(problems=problems)
    changed = 0
    for key, setting in values.items():
        row = by_key[key]
        new = {
            "weight": float(setting.weight),
            "critical": bool(setting.critical),
            "target": None if setting.target is None else float(setting.target),
            "benchmark": None if setting.benchmark is None else float(setting.benchmark),
            "competitor": None if setting.competitor is None else float(setting.competitor),
        }
        for attr, value in new.items():
            if getattr(row, attr) != value:
                setattr(row, attr, value)
                changed += 1
    assessment.updated_at = _now()  # moves the version on: another open settings page is stale
    db.session.flush()
    return changed


# --------------------------------------------------------------------------- interviews


@dataclass(frozen=True)
class InterviewData:
    level: str
    interviewee: str
    role: str = ""
    held_on: date | None = None
    duration_minutes: int = 75
    categories: Sequence[str] = field(default_factory=tuple)
    notes: str = ""


def _check_interview_data(assessment: Assessment, data: InterviewData) -> None:
    problems: list[Problem] = []
    if data.level not in INTERVIEW_LEVELS:
        problems.append(Problem("level", "field.not_a_choice", {"value": data.level}))
    if not data.interviewee.strip():
        problems.append(Problem("interviewee", "field.required"))
    if (
        isinstance(data.duration_minutes, bool)
        or not isinstance(data.duration_minutes, int)
        or not DURATION_MIN <= data.duration_minutes <= DURATION_MAX
    ):
        minutes = {"min": DURATION_MIN, "max": DURATION_MAX}
        problems.append(Problem("duration_minutes", "assessment.interview_minutes", minutes))
    known = {s.category for s in assessment.indicators}
    unknown = [c for c in data.categories if c not in known]
    if unknown:
        keys = ", ".join(unknown)
        problems.append(Problem("categories", "assessment.unknown_categories", {"keys": keys}))
    if problems:
        raise ValidationError(problems=problems)


def add_interview(assessment: Assessment, data: InterviewData) -> Interview:
    """Plan or record an interview of this assessment."""
    _check_interview_data(assessment, data)
    interview = Interview(
        program_id=assessment.program_id,
        level=data.level,
        interviewee=data.interviewee.strip(),
        role=data.role.strip(),
        held_on=data.held_on,
        duration_minutes=data.duration_minutes,
        categories=" ".join(data.categories),
        notes=data.notes,
    )
    assessment.interviews.append(interview)
    db.session.flush()
    return interview


def update_interview(interview: Interview, version: int | str | None, data: InterviewData) -> None:
    check_version(interview, version)
    _check_interview_data(interview.assessment, data)
    interview.level = data.level
    interview.interviewee = data.interviewee.strip()
    interview.role = data.role.strip()
    interview.held_on = data.held_on
    interview.duration_minutes = data.duration_minutes
    interview.categories = " ".join(data.categories)
    interview.notes = data.notes
    db.session.flush()


def delete_interview(interview: Interview, version: int | str | None) -> None:
    check_version(interview, version)
    interview.assessment.interviews.remove(interview)
    db.session.flush()


def stored_scores(interview: Interview) -> dict[str, int | None]:
    return {s.indicator_key: s.score for s in interview.scores}


def save_scores(
    interview: Interview, version: int | str | None, scores: Mapping[str, int | None]
) -> int:
    """Save some of an interview's scores (0-5 or None = not scored); return how many changed.

    A score outside 0-5 or an indicator the assessment does not have is refused with every
    problem listed, and nothing is saved.
    """
    check_version(interview, version)
    known = {s.key for s in interview.assessment.indicators}
    unknown = [k for k in scores if k not in known]
    if unknown:
        raise ValidationError(
            problems=[Problem(k, "assessment.unknown_indicator", {"key": k}) for k in unknown]
        )
    # the domain's rule: whole numbers 0-5, or None
    m.Interview(str(interview.id), interview.level, dict(scores))  # type: ignore[arg-type]  # the column's check constraint allows only the Literal's values
    existing = {s.indicator_key: s for s in interview.scores}
    changed = 0
    for key, score in scores.items():
        row = existing.get(key)
        if row is None:
            if score is None:
                continue  # nothing stored and nothing given: keep it absent
            interview.scores.append(
                InterviewScore(program_id=interview.program_id, indicator_key=key, score=score)
            )
            changed += 1
        elif row.score != score:
            row.score = score
            changed += 1
    if changed:
        interview.updated_at = _now()  # moves the version on: another open page is stale
    db.session.flush()
    return changed


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Results:
    """Everything the results, report and export show about one assessment."""

    view: ModelView
    current: dict[str, float | None]
    per_level: dict[str, dict[str, float | None]]
    target: dict[str, float | None]
    benchmark: dict[str, float | None]
    competitor: dict[str, float | None]
    categories: dict[str, float | None]
    category_levels: dict[str, m.MaturityLevel | None]
    target_categories: dict[str, float | None]
    benchmark_categories: dict[str, float | None]
    competitor_categories: dict[str, float | None]
    overall: float | None
    overall_target: float | None
    overall_benchmark: float | None
    overall_competitor: float | None
    level: m.MaturityLevel | None
    target_level: m.MaturityLevel | None
    coverage: float
    gaps: list[m.Gap]
    strongest_weakest: m.StrongestWeakest
    interview_counts: dict[str, int]

    @property
    def model(self) -> m.MaturityModel:
        return self.view.model

    @property
    def has_competitor(self) -> bool:
        return any(v is not None for v in self.competitor.values())

    @property
    def has_scores(self) -> bool:
        return self.overall is not None

    def gaps_of(self, category: str) -> list[m.Gap]:
        order = {i.key: n for n, i in enumerate(self.model.indicators)}
        return sorted(
            (g for g in self.gaps if g.category == category), key=lambda g: order[g.indicator]
        )


def _domain_interviews(assessment: Assessment, view: ModelView) -> list[m.Interview]:
    return [
        m.Interview(
            str(iv.id),
            iv.level,  # type: ignore[arg-type]  # the column's check constraint allows only the Literal's values
            {
                s.indicator_key: s.score
                for s in iv.scores
                if view.model.has_indicator(s.indicator_key)
            },
        )
        for iv in assessment.interviews
    ]


def _level_or_none(model: m.MaturityModel, score: float | None) -> m.MaturityLevel | None:
    return None if score is None else m.maturity_level(model, score)


def assessment_results(assessment: Assessment, lang: str) -> Results:
    """Compute the results; ValidationError("the assessment has no interviews") without any."""
    view = model_for(assessment, lang)
    model = view.model
    interviews = _domain_interviews(assessment, view)
    current = m.aggregate_current(model, interviews)  # raises when there are no interviews
    per_level: dict[str, dict[str, float | None]] = {
        key: {level: mean for level, mean in levels.items()}
        for key, levels in m.level_means(model, interviews).items()
    }
    target = {s.key: s.target for s in assessment.indicators}
    benchmark = {s.key: s.benchmark for s in assessment.indicators}
    competitor = {s.key: s.competitor for s in assessment.indicators}
    overall = m.overall_score(model, current)
    overall_target = m.overall_score(model, target)
    categories = m.category_scores(model, current)
    counts = {level: 0 for level in INTERVIEW_LEVELS}
    for iv in assessment.interviews:
        counts[iv.level] = counts.get(iv.level, 0) + 1
    return Results(
        view=view,
        current=current,
        per_level=per_level,
        target=target,
        benchmark=benchmark,
        competitor=competitor,
        categories=categories,
        category_levels={k: _level_or_none(model, v) for k, v in categories.items()},
        target_categories=m.category_scores(model, target),
        benchmark_categories=m.category_scores(model, benchmark),
        competitor_categories=m.category_scores(model, competitor),
        overall=overall,
        overall_target=overall_target,
        overall_benchmark=m.overall_score(model, benchmark),
        overall_competitor=m.overall_score(model, competitor),
        level=_level_or_none(model, overall),
        target_level=_level_or_none(model, overall_target),
        coverage=m.coverage(model, current),
        gaps=m.gaps(model, current, target, benchmark, competitor),
        strongest_weakest=m.strongest_weakest(model, current, n=5),
        interview_counts=counts,
    )


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


# --------------------------------------------------------------------------- comparison


@dataclass(frozen=True)
class Comparison:
    before: Assessment
    after: Assessment
    before_results: Results
    after_results: Results
    movements: list[m.Movement]
    category_movements: list[m.CategoryMovement]

    @property
    def view(self) -> ModelView:
        return self.after_results.view


def compare_assessments(before: Assessment, after: Assessment, lang: str) -> Comparison:
    """Movement per indicator and category from ``before`` to ``after`` (same program).

    The indicators compared are those of ``after``; ValidationError names an assessment
    without interviews.
    """
    if before.program_id != after.program_id:
        raise ValidationError.of("before", "assessment.other_program")
    if before.id == after.id:
        raise ValidationError.of("after", "assessment.same_twice")
    results: list[Results] = []
    for side, assessment in (("before", before), ("after", after)):
        try:
            results.append(assessment_results(assessment, lang))
        except ValidationError as exc:
            words = Explanation("assessment.as_given", {"text": str(exc)})
            titled = {"title": assessment.title, "problem": words}
            raise ValidationError.of(side, "assessment.of_title", **titled) from exc
    model = results[1].model
    old = {k: v for k, v in results[0].current.items() if model.has_indicator(k)}
    return Comparison(
        before=before,
        after=after,
        before_results=results[0],
        after_results=results[1],
        movements=m.compare(model, old, results[1].current),
        category_movements=m.compare_categories(model, old, results[1].current),
    )


# --------------------------------------------------------------------------- portfolio


def latest_maturity_levels(programs: Iterable[Program], lang: str = "en") -> dict[int, str | None]:
    """Per program id, the maturity level of its latest assessment that has scores.

    "Latest" is the newest completed assessment (by start date); an in-progress one counts
    only when no completed one has scores. None where nothing is scored yet. The query count
    does not grow with the number of programs.
    """
    programs = list(programs)
    result: dict[int, str | None] = {p.id: None for p in programs}
    if not programs:
        return result
    assessments = list(
        db.session.scalars(
            _assessment_query()
            .where(Assessment.program_id.in_(result.keys()))
            .order_by(Assessment.started_on.desc(), Assessment.id.desc())
        )
    )
    rank = {"completed": 0, "in_progress": 1, "planned": 2}
    by_program: dict[int, list[Assessment]] = {}
    for a in assessments:
        by_program.setdefault(a.program_id, []).append(a)
    for program in programs:
        candidates = sorted(
            by_program.get(program.id, []),
            key=lambda a: (rank.get(a.status, 3), -a.started_on.toordinal(), -a.id),
        )
        for assessment in candidates:
            if not assessment.interviews:
                continue
            try:
                results = assessment_results(assessment, lang)
            except (ValidationError, NotFoundError):
                continue
            if results.level is not None:
                result[program.id] = results.level.name
                break
    return result


def latest_maturity_level(program: Program, lang: str) -> str | None:
    """The maturity level (name, in ``lang``) of the program's latest assessment.

    None when no assessment of the program has scores yet.
    """
    return latest_maturity_levels([program], lang)[program.id]
