"""Maturity assessments: the indicator settings, the interviews, their scores, the actions.

An assessment snapshots its playbook's maturity model when it starts (one
``AssessmentIndicator`` per indicator: key, category, weight, criticality), so that weights,
targets and benchmarks can be edited per assessment without touching the playbook.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import Model
from planner.models.audit import Audited

if TYPE_CHECKING:
    from planner.models.plan import WorkItem
    from planner.models.program import Program

ASSESSMENT_KINDS = ("diagnosis", "reassessment")
ASSESSMENT_STATUSES = ("planned", "in_progress", "completed")
INTERVIEW_LEVELS = ("senior", "middle", "front_line")
ACTION_HORIZONS = ("tactical", "strategic")
ACTION_STATUSES = ("proposed", "accepted", "dropped")
DURATION_MIN, DURATION_MAX = 15, 240  # minutes; the source suggests 60-90


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _score_range(column: str) -> str:
    return f"{column} IS NULL OR ({column} >= 0 AND {column} <= 5)"


class Assessment(Audited, Model):
    """One maturity assessment of a program: the diagnosis, or a re-assessment at a gate."""

    __tablename__ = "assessment"
    __table_args__ = (
        CheckConstraint(_in("kind", ASSESSMENT_KINDS), name="kind_known"),
        CheckConstraint(_in("status", ASSESSMENT_STATUSES), name="status_known"),
        CheckConstraint("phase_ordinal >= 0", name="phase_not_negative"),
        CheckConstraint(
            "completed_on IS NULL OR completed_on >= started_on", name="completed_after_start"
        ),
        CheckConstraint(
            "status <> 'completed' OR completed_on IS NOT NULL", name="completed_has_date"
        ),
        Index("ix_assessment_program", "program_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="diagnosis")
    # the phase the assessment belongs to: 0 = the diagnosis, n = at the gate of phase n
    phase_ordinal: Mapped[int] = mapped_column(default=0)
    started_on: Mapped[date]
    completed_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default="in_progress")
    # where the indicator snapshot came from: "<playbook id>@<version>"
    model_ref: Mapped[str] = mapped_column(String(100), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    program: Mapped[Program] = relationship()
    indicators: Mapped[list[AssessmentIndicator]] = relationship(
        back_populates="assessment",
        cascade="all, delete-orphan",
        order_by="AssessmentIndicator.position",
    )
    interviews: Mapped[list[Interview]] = relationship(
        back_populates="assessment",
        cascade="all, delete-orphan",
        order_by="Interview.id",
    )
    actions: Mapped[list[ActionItem]] = relationship(
        back_populates="assessment",
        cascade="all, delete-orphan",
        order_by="(ActionItem.priority, ActionItem.position, ActionItem.id)",
    )

    @property
    def audit_label(self) -> str:
        return self.title

    @property
    def is_completed(self) -> bool:
        return self.status == "completed"


class AssessmentIndicator(Audited, Model):
    """One indicator's settings in one assessment: weight, target, benchmark, competitor."""

    __tablename__ = "assessment_indicator"
    __audit_entity__ = "assessment_indicator"
    __audit_exclude__ = frozenset({"position"})
    __table_args__ = (
        UniqueConstraint("assessment_id", "key"),
        CheckConstraint("weight >= 0", name="weight_not_negative"),
        CheckConstraint(_score_range("target"), name="target_range"),
        CheckConstraint(_score_range("benchmark"), name="benchmark_range"),
        CheckConstraint(_score_range("competitor"), name="competitor_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(default=0)
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    critical: Mapped[bool] = mapped_column(default=False)
    target: Mapped[float | None] = mapped_column(Float)
    benchmark: Mapped[float | None] = mapped_column(Float)
    competitor: Mapped[float | None] = mapped_column(Float)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    assessment: Mapped[Assessment] = relationship(back_populates="indicators")


class Interview(Audited, Model):
    """An interview at one level (senior, middle, front line) and the scores it gave."""

    __tablename__ = "interview"
    __table_args__ = (
        CheckConstraint(_in("level", INTERVIEW_LEVELS), name="level_known"),
        CheckConstraint(
            f"duration_minutes >= {DURATION_MIN} AND duration_minutes <= {DURATION_MAX}",
            name="duration_range",
        ),
        Index("ix_interview_assessment", "assessment_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(20))
    interviewee: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    held_on: Mapped[date | None]
    duration_minutes: Mapped[int] = mapped_column(default=75)
    # space-separated category keys the interview covers; empty = every category
    categories: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # bumped whenever the interview's scores are saved, so a stale scoring page is caught
    updated_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    assessment: Mapped[Assessment] = relationship(back_populates="interviews")
    scores: Mapped[list[InterviewScore]] = relationship(
        back_populates="interview", cascade="all, delete-orphan", order_by="InterviewScore.id"
    )

    @property
    def audit_label(self) -> str:
        return f"{self.interviewee} ({self.level})"

    @property
    def category_keys(self) -> list[str]:
        return self.categories.split()

    def covers(self, category: str) -> bool:
        return not self.categories.strip() or category in self.categories.split()


class InterviewScore(Audited, Model):
    """One interview's score of one indicator: 0-5, or NULL for "not scored"."""

    __tablename__ = "interview_score"
    __audit_entity__ = "interview_score"
    __table_args__ = (
        UniqueConstraint("interview_id", "indicator_key"),
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= 5)", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interview.id", ondelete="CASCADE"))
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    indicator_key: Mapped[str] = mapped_column(String(64))
    score: Mapped[int | None]

    interview: Mapped[Interview] = relationship(back_populates="scores")

    @property
    def audit_label(self) -> str:
        return f"interview {self.interview_id} · {self.indicator_key}"


class ActionItem(Audited, Model):
    """An action proposed from a gap; once accepted it can become a work item of the plan."""

    __tablename__ = "action_item"
    __audit_entity__ = "action_item"
    __audit_exclude__ = frozenset({"position", "weighted_gap"})
    __table_args__ = (
        UniqueConstraint("assessment_id", "indicator_key"),
        CheckConstraint(_in("horizon", ACTION_HORIZONS), name="horizon_known"),
        CheckConstraint("priority >= 1 AND priority <= 3", name="priority_range"),
        CheckConstraint(_in("status", ACTION_STATUSES), name="status_known"),
        Index("ix_action_item_work_item", "work_item_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    indicator_key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    title_zh: Mapped[str | None] = mapped_column(String(300))
    horizon: Mapped[str] = mapped_column(String(20), default="tactical")
    priority: Mapped[int] = mapped_column(default=2)
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    position: Mapped[int] = mapped_column(default=0)
    weighted_gap: Mapped[float | None] = mapped_column(Float)
    work_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("work_item.id", ondelete="SET NULL")
    )
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    assessment: Mapped[Assessment] = relationship(back_populates="actions")
    work_item: Mapped[WorkItem | None] = relationship()

    @property
    def audit_label(self) -> str:
        return f"{self.indicator_key}: {self.title}"
