"""Assessments, their settings and interviews as records: list, start, edit, delete, score."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

import planner.models.assessment  # noqa: F401  (registers the tables until models/__init__ does)
from planner.domain import maturity as m
from planner.domain.errors import NotFoundError, Problem, ValidationError
from planner.extensions import db
from planner.models.assessment import (
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
from planner.models.program import Program
from planner.services.assessment.model import IndicatorSetting, domain_model, playbook_maturity
from planner.services.concurrency import check_version


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# --------------------------------------------------------------------------- reading


def assessment_query():
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
        assessment_query()
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
        assessment_query().where(
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
        # a new assessment has neither: adding the first need not ask the database
        interviews=[],
        actions=[],
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
            problems.extend(Problem(f"{key}.weight", p.code, p.params) for p in exc.problems)
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


def _new_interview(assessment: Assessment, data: InterviewData) -> Interview:
    return Interview(
        program_id=assessment.program_id,
        level=data.level,
        interviewee=data.interviewee.strip(),
        role=data.role.strip(),
        held_on=data.held_on,
        duration_minutes=data.duration_minutes,
        categories=" ".join(data.categories),
        notes=data.notes,
        scores=[],  # a new interview has none: scoring it need not ask the database
    )


def add_interview(assessment: Assessment, data: InterviewData) -> Interview:
    """Plan or record an interview of this assessment."""
    return add_interviews(assessment, [data])[0]


def add_interviews(assessment: Assessment, data: Sequence[InterviewData]) -> list[Interview]:
    """Plan or record several interviews at once, in one write: all of them, or none when one
    is refused (its ValidationError, as :func:`add_interview` raises it)."""
    for one in data:
        _check_interview_data(assessment, one)
    interviews = [_new_interview(assessment, one) for one in data]
    assessment.interviews.extend(interviews)
    db.session.flush()
    return interviews


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
    return save_many_scores([(interview, version, scores)])


def save_many_scores(
    entries: Sequence[tuple[Interview, int | str | None, Mapping[str, int | None]]],
) -> int:
    """:func:`save_scores` for several interviews in one write: every entry is checked first,
    and nothing is saved unless all pass (the first refusal is raised). Returns how many
    scores changed in all."""
    for interview, version, scores in entries:
        _check_scores(interview, version, scores)
    changed = sum(_apply_scores(interview, scores) for interview, _version, scores in entries)
    db.session.flush()
    return changed


def _check_scores(
    interview: Interview, version: int | str | None, scores: Mapping[str, int | None]
) -> None:
    """Refuse a stale version, unknown indicators or scores outside 0-5 (nothing changed)."""
    check_version(interview, version)
    known = {s.key for s in interview.assessment.indicators}
    unknown = [k for k in scores if k not in known]
    if unknown:
        raise ValidationError(
            problems=[Problem(k, "assessment.unknown_indicator", {"key": k}) for k in unknown]
        )
    # the domain's rule: whole numbers 0-5, or None
    m.Interview(str(interview.id), interview.level, dict(scores))  # type: ignore[arg-type]  # the column's check constraint allows only the Literal's values


def _apply_scores(interview: Interview, scores: Mapping[str, int | None]) -> int:
    """Set the checked scores on the interview's rows; return how many changed."""
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
    return changed
