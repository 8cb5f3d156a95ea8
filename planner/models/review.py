"""Steering-committee reviews of the risk register: the meeting, its snapshot, its decisions.

When a review is opened, the register as it stands is copied into ``risk_review_entry`` rows
(one per risk): the next review compares against them ("what changed since the previous
review") and the exposure trend is drawn from them. Snapshot rows are bookkeeping, never
edited, so they are not audited; the review itself and the per-risk decisions are.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import Model
from planner.models.audit import Audited
from planner.models.risk import RISK_LABEL_SEPARATOR

if TYPE_CHECKING:
    from planner.models.program import Program
    from planner.models.risk import Risk

REVIEW_DECISIONS = (
    "noted",
    "continue",
    "more_actions",
    "reassess",
    "escalate",
    "accept",
    "close",
)


class SteeringReview(Audited, Model):
    __tablename__ = "steering_review"
    __audit_entity__ = "steering_review"
    __audit_exclude__ = frozenset({"snapshot_taken_at", "plan_pulse"})
    __table_args__ = (UniqueConstraint("program_id", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    held_on: Mapped[date]
    title: Mapped[str] = mapped_column(String(200), default="")
    attendees: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    snapshot_taken_at: Mapped[datetime | None]
    # the program's pulse (finish, milestones, gates, critical items, metrics) taken with the
    # snapshot: planner.domain.review_pulse compares it with the previous review's
    plan_pulse: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    program: Mapped[Program] = relationship()
    entries: Mapped[list[RiskReviewEntry]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="RiskReviewEntry.id"
    )
    decisions: Mapped[list[ReviewDecision]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="ReviewDecision.id"
    )

    @property
    def audit_label(self) -> str:
        return f"review {self.held_on.isoformat() if self.held_on else '?'}"

    @property
    def attendee_list(self) -> list[str]:
        return [a.strip() for a in self.attendees.replace(";", "\n").splitlines() if a.strip()]


class RiskReviewEntry(Model):
    """One risk as it stood when the review's snapshot was taken (never edited)."""

    __tablename__ = "risk_review_entry"
    __table_args__ = (
        UniqueConstraint("review_id", "key"),
        CheckConstraint("inherent_likelihood BETWEEN 1 AND 5", name="inherent_likelihood_range"),
        CheckConstraint("inherent_impact BETWEEN 1 AND 5", name="inherent_impact_range"),
        CheckConstraint(
            "residual_likelihood IS NULL OR residual_likelihood BETWEEN 1 AND 5",
            name="residual_likelihood_range",
        ),
        CheckConstraint(
            "residual_impact IS NULL OR residual_impact BETWEEN 1 AND 5",
            name="residual_impact_range",
        ),
        CheckConstraint(
            "status IN ('open', 'mitigating', 'closed', 'occurred')", name="status_known"
        ),
        Index("ix_risk_review_entry_risk", "risk_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("steering_review.id", ondelete="CASCADE"))
    # the live risk, while it exists (the key and values below keep the snapshot meaningful)
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risk.id", ondelete="SET NULL"))
    key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    title_zh: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20))
    category: Mapped[str | None] = mapped_column(String(64))
    owner: Mapped[str | None] = mapped_column(String(120))
    phase: Mapped[str | None] = mapped_column(String(64))
    threatened_phases: Mapped[str] = mapped_column(String(1000), default="")
    inherent_likelihood: Mapped[int]
    inherent_impact: Mapped[int]
    residual_likelihood: Mapped[int | None]
    residual_impact: Mapped[int | None]
    review_date: Mapped[date | None]
    # mitigation actions then: [{"title", "owner", "due" (ISO date or null), "done"}]
    actions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    review: Mapped[SteeringReview] = relationship(back_populates="entries")


class ReviewDecision(Audited, Model):
    """What the steering committee decided about one risk at one review, and why."""

    __tablename__ = "review_decision"
    __audit_entity__ = "review_decision"
    __table_args__ = (
        UniqueConstraint("review_id", "risk_id"),
        CheckConstraint(
            "decision IN ('noted', 'continue', 'more_actions', 'reassess', 'escalate', "
            "'accept', 'close')",
            name="decision_known",
        ),
        Index("ix_review_decision_risk", "risk_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("steering_review.id", ondelete="CASCADE"))
    risk_id: Mapped[int] = mapped_column(ForeignKey("risk.id", ondelete="CASCADE"))
    decision: Mapped[str] = mapped_column(String(20), default="noted")
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    review: Mapped[SteeringReview] = relationship(back_populates="decisions")
    risk: Mapped[Risk] = relationship()

    @property
    def audit_label(self) -> str:
        key = self.risk.key if self.risk else "?"
        held = self.review.held_on.isoformat() if self.review and self.review.held_on else "?"
        return f"{key}{RISK_LABEL_SEPARATOR}review {held}"

    @property
    def audit_program_id(self) -> int | None:
        return self.review.program_id if self.review else None
