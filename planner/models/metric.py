"""Adoption and benefit metrics, their per-phase targets, their readings, and the program's
status rules (how far from target still counts as amber, how many days of slip as amber)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import Model
from planner.models.audit import Audited

if TYPE_CHECKING:
    from planner.models.people import Person
    from planner.models.program import Program


class Metric(Audited, Model):
    __tablename__ = "metric"
    __table_args__ = (
        UniqueConstraint("program_id", "key"),
        CheckConstraint("direction IN ('higher', 'lower')", name="direction_known"),
        CheckConstraint(
            "amber_tolerance IS NULL OR (amber_tolerance >= 0 AND amber_tolerance <= 1)",
            name="amber_tolerance_fraction",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str | None] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(40))
    direction: Mapped[str] = mapped_column(String(10))
    baseline: Mapped[float | None]
    owner: Mapped[str | None] = mapped_column(String(120))
    # the owner as a person of the directory; ``owner`` keeps their name (see services/people)
    owner_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL")
    )
    data_source: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    description_zh: Mapped[str | None] = mapped_column(Text)
    # this metric's own amber band (fraction, 0.10 = 10%); None uses the program's setting
    amber_tolerance: Mapped[float | None]
    # the glide path's shape, as ``planner.domain.metrics.Glide.text`` writes it
    glide: Mapped[str] = mapped_column(String(200), default="linear", server_default="linear")
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    program: Mapped[Program] = relationship(back_populates="metrics")
    owner_person: Mapped[Person | None] = relationship(foreign_keys=[owner_person_id])
    targets: Mapped[list[MetricTarget]] = relationship(
        back_populates="metric", cascade="all, delete-orphan", order_by="MetricTarget.phase_ordinal"
    )
    readings: Mapped[list[MetricReading]] = relationship(
        back_populates="metric", cascade="all, delete-orphan", order_by="MetricReading.day"
    )


class MetricTarget(Audited, Model):
    __tablename__ = "metric_target"
    __table_args__ = (UniqueConstraint("metric_id", "phase_ordinal"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    metric_id: Mapped[int] = mapped_column(ForeignKey("metric.id", ondelete="CASCADE"))
    phase_ordinal: Mapped[int]
    target: Mapped[float]

    metric: Mapped[Metric] = relationship(back_populates="targets")

    @property
    def audit_label(self) -> str:
        return f"{self.metric.key if self.metric else ''} phase {self.phase_ordinal}"

    @property
    def audit_program_id(self) -> int | None:
        return self.metric.program_id if self.metric else None


class MetricReading(Audited, Model):
    __tablename__ = "metric_reading"
    __table_args__ = (UniqueConstraint("metric_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    metric_id: Mapped[int] = mapped_column(ForeignKey("metric.id", ondelete="CASCADE"))
    day: Mapped[date]
    value: Mapped[float]
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    metric: Mapped[Metric] = relationship(back_populates="readings")

    @property
    def audit_label(self) -> str:
        return f"{self.metric.key if self.metric else ''} {self.day.isoformat()}"

    @property
    def audit_program_id(self) -> int | None:
        return self.metric.program_id if self.metric else None


DEFAULT_AMBER_TOLERANCE = 0.10
DEFAULT_SCHEDULE_TOLERANCE_DAYS = 5


class StatusSettings(Audited, Model):
    """A program's status rules; a program without a row uses the defaults."""

    __tablename__ = "status_settings"
    __table_args__ = (
        UniqueConstraint("program_id"),
        CheckConstraint(
            "amber_tolerance >= 0 AND amber_tolerance <= 1", name="amber_tolerance_fraction"
        ),
        CheckConstraint(
            "schedule_tolerance_days >= 0 AND schedule_tolerance_days <= 365",
            name="schedule_tolerance_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    # how far a metric may miss its target and still be amber (fraction, 0.10 = 10%)
    amber_tolerance: Mapped[float] = mapped_column(default=DEFAULT_AMBER_TOLERANCE)
    # how many days a milestone may slip (or a phase overrun) and still be amber
    schedule_tolerance_days: Mapped[int] = mapped_column(default=DEFAULT_SCHEDULE_TOLERANCE_DAYS)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    @property
    def audit_label(self) -> str:
        return "status rules"
