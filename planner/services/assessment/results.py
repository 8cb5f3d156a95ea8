"""An assessment's results (levels, gaps, categories), two compared, the latest level of
each program (portfolio)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import planner.models.assessment  # noqa: F401  (registers the tables until models/__init__ does)
from planner.domain import maturity as m
from planner.domain.errors import NotFoundError, ValidationError
from planner.domain.explain import Explanation
from planner.extensions import db
from planner.models.assessment import (
    INTERVIEW_LEVELS,
    Assessment,
)
from planner.models.program import Program
from planner.services.assessment.model import ModelView, model_for
from planner.services.assessment.records import assessment_query

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
            first = exc.problems[0] if len(exc.problems) == 1 else None
            words = (
                Explanation(first.code, first.params)
                if first is not None  # worded when the page is, in the reader's language
                else Explanation("assessment.as_given", {"text": str(exc)})
            )
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
            assessment_query()
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
