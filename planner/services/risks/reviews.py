"""Steering reviews: the register's snapshot, decisions, what changed and the trend."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from planner.charts.risks import TrendPoint
from planner.domain.errors import NotFoundError, Problem
from planner.domain.ids import as_id
from planner.domain.risk import (
    ActionSnapshot,
    ReviewDiff,
    RiskSnapshot,
    changed_since,
    exposure_trend,
    top_risks,
)
from planner.domain.risk_fields import MAX_LENGTHS
from planner.extensions import db
from planner.models.program import Program
from planner.models.review import (
    REVIEW_DECISIONS,
    ReviewDecision,
    RiskReviewEntry,
    SteeringReview,
)
from planner.models.risk import (
    Risk,
)
from planner.services import risk_cadence
from planner.services.concurrency import check_version
from planner.services.review_pulse import PlanSinceReview, plan_since, record_pulse
from planner.services.risks.common import TOP_RISKS, assign, refuse
from planner.services.risks.loading import load_risks, snapshot_of
from planner.services.risks.scale import ScaleInfo

# --------------------------------------------------------------------------- reviews


def _entry_from(risk: Risk) -> RiskReviewEntry:
    snap = snapshot_of(risk)
    return RiskReviewEntry(
        risk_id=risk.id,
        key=risk.key,
        title=risk.title,
        title_zh=risk.title_zh,
        status=risk.status,
        category=snap.category,
        owner=snap.owner,
        phase=snap.phase,
        threatened_phases=" ".join(snap.threatened_phases),
        inherent_likelihood=risk.likelihood,
        inherent_impact=risk.impact,
        residual_likelihood=risk.residual_likelihood,
        residual_impact=risk.residual_impact,
        review_date=risk.review_date,
        actions=[
            {
                "title": a.title,
                "owner": a.owner,
                "due": a.due_date.isoformat() if a.due_date else None,
                "done": a.done,
            }
            for a in risk.actions
        ],
    )


def entry_snapshot(entry: RiskReviewEntry) -> RiskSnapshot:
    """The domain view of a risk as the review's snapshot holds it."""
    return RiskSnapshot(
        key=entry.key,
        title=entry.title,
        status=entry.status,
        category=entry.category,
        owner=entry.owner,
        inherent_likelihood=entry.inherent_likelihood,
        inherent_impact=entry.inherent_impact,
        residual_likelihood=entry.residual_likelihood,
        residual_impact=entry.residual_impact,
        review_date=entry.review_date,
        actions=tuple(
            ActionSnapshot(
                a["title"],
                a.get("owner"),
                date.fromisoformat(a["due"]) if a.get("due") else None,
                bool(a.get("done")),
            )
            for a in entry.actions or []
        ),
        phase=entry.phase,
        threatened_phases=tuple(entry.threatened_phases.split()),
    )


def list_reviews(program_id: int) -> list[SteeringReview]:
    """The program's reviews, newest first, with their snapshots."""
    return list(
        db.session.scalars(
            select(SteeringReview)
            .where(SteeringReview.program_id == program_id)
            .options(selectinload(SteeringReview.entries))
            .order_by(SteeringReview.held_on.desc())
        )
    )


def get_review(program_id: int, review_id: int) -> SteeringReview:
    review = db.session.scalars(
        select(SteeringReview)
        .where(SteeringReview.program_id == program_id, SteeringReview.id == review_id)
        .options(
            selectinload(SteeringReview.entries),
            selectinload(SteeringReview.decisions).joinedload(ReviewDecision.risk),
        )
    ).first()
    if review is None:
        raise NotFoundError(problems=[Problem("", "row.not_found")])
    return review


def _clean_review(program_id: int, data: Mapping[str, Any], review_id: int | None) -> dict:
    errors: list[Problem] = []
    held_on = data.get("held_on")
    if not isinstance(held_on, date):
        errors.append(Problem("held_on", "risk.review.date_required"))
    else:
        clash = db.session.scalar(
            select(SteeringReview.id).where(
                SteeringReview.program_id == program_id,
                SteeringReview.held_on == held_on,
                SteeringReview.id != (review_id or 0),
            )
        )
        if clash is not None:
            errors.append(
                Problem("held_on", "risk.review.date_taken", {"day": held_on.isoformat()})
            )
    title = (data.get("title") or "").strip()
    if len(title) > MAX_LENGTHS["review_title"]:
        errors.append(Problem("title", "field.too_long", {"max": str(MAX_LENGTHS["review_title"])}))
    refuse(errors)
    return {
        "held_on": held_on,
        "title": title,
        "attendees": (data.get("attendees") or "").strip(),
        "notes": data.get("notes") or "",
    }


def take_snapshot(review: SteeringReview) -> None:
    """Copy the register as it stands now into the review (replacing any earlier copy)."""
    review.entries.clear()
    db.session.flush()
    for risk in load_risks(review.program_id):
        review.entries.append(_entry_from(risk))
    review.snapshot_taken_at = datetime.now(UTC).replace(tzinfo=None)
    record_pulse(review, min(review.held_on, date.today()))
    db.session.flush()


def open_review(program: Program, data: Mapping[str, Any]) -> SteeringReview:
    """Open a steering review: record the meeting and snapshot the register."""
    clean = _clean_review(program.id, data, None)
    # a new review has neither: snapshotting it and deciding at it need not ask the database
    review = SteeringReview(program_id=program.id, **clean, entries=[], decisions=[])
    db.session.add(review)
    db.session.flush()
    take_snapshot(review)
    return review


def update_review(review: SteeringReview, data: Mapping[str, Any], version: Any) -> None:
    check_version(review, version)
    assign(review, _clean_review(review.program_id, data, review.id))
    db.session.flush()


def refresh_snapshot(review: SteeringReview, version: Any) -> None:
    check_version(review, version)
    take_snapshot(review)


def record_decision(
    review: SteeringReview, risk_id: Any, decision: str, note: str, version: Any = None
) -> ReviewDecision:
    """Record (or change) the committee's decision about one risk at this review."""
    return record_decisions(review, [(risk_id, decision, note, version)])[0]


def record_decisions(
    review: SteeringReview, entries: Sequence[tuple[Any, str, str, Any]]
) -> list[ReviewDecision]:
    """:func:`record_decision` for several ``(risk_id, decision, note, version)`` entries, in
    one write: every entry is checked first, and nothing is recorded unless all pass (the
    first refusal is raised). A risk named twice ends with its last entry's decision."""
    checked = []
    for risk_id, decision, note, version in entries:
        risk = _risk_to_decide(review, risk_id, decision)
        existing = _decision_on(review, risk)
        if existing is not None:
            check_version(existing, version)
        checked.append((risk, decision, note))
    made = [
        _decide(review, risk, _decision_on(review, risk), decision, note)
        for risk, decision, note in checked
    ]
    db.session.flush()
    return made


def _risk_to_decide(review: SteeringReview, risk_id: Any, decision: str) -> Risk:
    """The risk of the review's program a decision is about, or the refusal."""
    errors: list[Problem] = []
    rid = as_id(risk_id)
    risk = db.session.get(Risk, rid) if rid is not None else None
    if risk is None or risk.program_id != review.program_id:
        errors.append(Problem("risk_id", "risk.decision.risk_of_program"))
    if decision not in REVIEW_DECISIONS:
        errors.append(
            Problem(
                "decision",
                "risk.decision.unknown",
                {"value": decision, "known": ", ".join(REVIEW_DECISIONS)},
            )
        )
    refuse(errors)
    assert risk is not None
    return risk


def _decision_on(review: SteeringReview, risk: Risk) -> ReviewDecision | None:
    """The review's decision about the risk, stored or made in this write (no id yet)."""
    return next(
        (
            d
            for d in review.decisions
            if d.risk_id == risk.id or (d.risk_id is None and d.risk is risk)
        ),
        None,
    )


def _decide(
    review: SteeringReview,
    risk: Risk,
    existing: ReviewDecision | None,
    decision: str,
    note: str,
) -> ReviewDecision:
    """Change the existing decision (the caller checked its version), or add one and mark
    the risk reviewed on the review's day; the caller flushes."""
    if existing is not None:
        assign(existing, {"decision": decision, "note": (note or "").strip()})
        return existing
    made = ReviewDecision(risk=risk, decision=decision, note=(note or "").strip())
    review.decisions.append(made)
    risk_cadence.mark_reviewed(risk, review.held_on, keep_later=True)
    return made


def risk_decisions(risk: Risk) -> list[ReviewDecision]:
    """The steering committee's decisions about one risk, newest review first."""
    return list(
        db.session.scalars(
            select(ReviewDecision)
            .join(ReviewDecision.review)
            .where(ReviewDecision.risk_id == risk.id)
            .options(joinedload(ReviewDecision.review))
            .order_by(SteeringReview.held_on.desc())
        )
    )


@dataclass
class ReviewView:
    review: SteeringReview
    previous: SteeringReview | None
    diff: ReviewDiff
    snapshots: list[RiskSnapshot]
    top: list[RiskSnapshot]
    decisions: dict[str, ReviewDecision]
    risk_ids: dict[str, int | None]
    trend: list[TrendPoint]
    entries: dict[str, RiskReviewEntry]
    plan: PlanSinceReview


def _trend(
    reviews: Sequence[SteeringReview],
    info: ScaleInfo,
    extra: Iterable[tuple[date, list[RiskSnapshot]]] = (),
) -> list[TrendPoint]:
    by_date: dict[date, list[RiskSnapshot]] = {
        r.held_on: [entry_snapshot(e) for e in r.entries] for r in reviews
    }
    for day, snaps in extra:
        by_date.setdefault(day, snaps)
    points = exposure_trend(by_date, info.scale)
    return [TrendPoint(p.date.isoformat(), dict(p.counts_by_band), p.total_score) for p in points]


def review_view(review: SteeringReview, info: ScaleInfo) -> ReviewView:
    """What changed since the previous review, the top risks and the trend up to this one."""
    reviews = list_reviews(review.program_id)
    earlier = [r for r in reviews if r.held_on < review.held_on]
    previous = earlier[0] if earlier else None
    snaps = [entry_snapshot(e) for e in review.entries]
    before = [entry_snapshot(e) for e in previous.entries] if previous else []
    diff = changed_since(before, snaps, review.held_on, info.scale)
    upto = [r for r in reviews if r.held_on <= review.held_on]
    return ReviewView(
        review=review,
        previous=previous,
        diff=diff,
        snapshots=snaps,
        top=top_risks(snaps, TOP_RISKS, "residual"),
        decisions={d.risk.key: d for d in review.decisions if d.risk is not None},
        risk_ids={e.key: e.risk_id for e in review.entries},
        trend=_trend(upto, info),
        entries={e.key: e for e in [*(previous.entries if previous else []), *review.entries]},
        plan=plan_since(review, previous),
    )


def reviews_trend(
    program_id: int, reviews: Sequence[SteeringReview], info: ScaleInfo, today: date
) -> list[TrendPoint]:
    """Exposure at every review, plus today's register when it is newer than the last one."""
    extra: list[tuple[date, list[RiskSnapshot]]] = []
    if not reviews or max(r.held_on for r in reviews) < today:
        extra.append((today, [snapshot_of(r) for r in load_risks(program_id)]))
    return _trend(reviews, info, extra)
