"""Risk review cadence: how often each risk is reviewed, when next, and which are overdue.

The cadence is the risk's own (``review_cadence_days``) or its band's: the playbook's
``review_every_days`` on the band, else :data:`planner.domain.raid.DEFAULT_BAND_CADENCE`.
A review (a steering decision about the risk, or "mark reviewed") sets ``last_reviewed_on``
and the next review date from the cadence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from planner.domain.errors import NotFoundError, ValidationError
from planner.domain.ids import as_id
from planner.domain.raid import (
    ReviewDue,
    cadence_for,
    check_cadence,
    next_review,
    residual_reason_needed,
    review_due,
)
from planner.domain.risk import band_for
from planner.extensions import db
from planner.models.program import Program
from planner.models.risk import Risk
from planner.services.concurrency import check_version
from planner.services.playbooks import get_playbook


def clean_cadence(value: Any) -> int | None:
    """A cadence typed in a form, file or request: days (1–365), or empty for the band's."""
    if value in (None, "", 0, "0"):
        return None
    days = as_id(value) if not isinstance(value, bool) else None
    if days is None:
        raise ValidationError.of("review_cadence_days", "field.not_a_number")
    problems = check_cadence(days)
    if problems:
        raise ValidationError(problems=problems)
    return days


def check_residual(risk: Risk) -> None:
    """Refuse a residual score above the inherent one without a reason."""
    problems = residual_reason_needed(risk.score, risk.residual_score, risk.residual_reason or "")
    if problems:
        raise ValidationError(problems=problems)


def band_cadences(program: Program) -> dict[str, int]:
    """Days between reviews per band, as the program's playbook sets them (may be empty)."""
    try:
        playbook = get_playbook(program.playbook_id, program.playbook_version)
    except NotFoundError:
        return {}
    scale = playbook.risk_scale
    if scale is None:
        return {}
    return {b.name: b.review_every_days for b in scale.bands if b.review_every_days}


def cadence_of(risk: Risk, cadences: dict[str, int] | None = None) -> int:
    band = band_for(risk.residual_score)
    return cadence_for(risk.review_cadence_days, band, cadences)


def due_of(risk: Risk, today: date, cadences: dict[str, int] | None = None) -> ReviewDue:
    return review_due(
        is_open=risk.is_open,
        review_date=risk.review_date,
        last_reviewed=risk.last_reviewed_on,
        cadence_days=cadence_of(risk, cadences),
        today=today,
    )


def mark_reviewed(
    risk: Risk, on: date, cadences: dict[str, int] | None = None, *, keep_later: bool = False
) -> None:
    """The risk was reviewed ``on``: the next review follows from its cadence. With
    ``keep_later`` (a steering decision) a review date already set after ``on`` stands."""
    if cadences is None:
        cadences = band_cadences(risk.program)
    if risk.last_reviewed_on is None or risk.last_reviewed_on < on:
        risk.last_reviewed_on = on
    if keep_later and risk.review_date is not None and risk.review_date > on:
        return
    risk.review_date = next_review(on, cadence_of(risk, cadences)) if risk.is_open else None


def review_risk(risk: Risk, version: Any, today: date) -> None:
    """A person reviewed the risk today (outside a steering review)."""
    check_version(risk, version)
    mark_reviewed(risk, today)
    db.session.flush()


@dataclass(frozen=True)
class OverdueReview:
    risk: Risk
    due: ReviewDue


def overdue_reviews(program: Program, today: date) -> list[OverdueReview]:
    """Open risks whose next review is past, most overdue first."""
    cadences = band_cadences(program)
    rows = [OverdueReview(r, due_of(r, today, cadences)) for r in program.risks]
    return sorted((o for o in rows if o.due.overdue), key=lambda o: -o.due.overdue_days)
