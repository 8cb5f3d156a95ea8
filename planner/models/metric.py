"""Adoption and benefit metrics, their per-phase targets and their readings."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import db
from planner.models.audit import Audited

if TYPE_CHECKING:
    from planner.models.program import Program


class Metric(Audited, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "metric"
    __table_args__ = (
        UniqueConstraint("program_id", "key"),
        CheckConstraint("direction IN ('higher', 'lower')", name="direction_known"),
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
    data_source: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    program: Mapped[Program] = relationship(back_populates="metrics")
    targets: Mapped[list[MetricTarget]] = relationship(
        back_populates="metric", cascade="all, delete-orphan", order_by="MetricTarget.phase_ordinal"
    )
    readings: Mapped[list[MetricReading]] = relationship(
        back_populates="metric", cascade="all, delete-orphan", order_by="MetricReading.day"
    )


class MetricTarget(Audited, db.Model):  # type: ignore[name-defined,misc]
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


class MetricReading(Audited, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "metric_reading"
    __table_args__ = (UniqueConstraint("metric_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    metric_id: Mapped[int] = mapped_column(ForeignKey("metric.id", ondelete="CASCADE"))
    day: Mapped[date]
    value: Mapped[float]
    note: Mapped[str] = mapped_column(Text, default="")

    metric: Mapped[Metric] = relationship(back_populates="readings")

    @property
    def audit_label(self) -> str:
        return f"{self.metric.key if self.metric else ''} {self.day.isoformat()}"

    @property
    def audit_program_id(self) -> int | None:
        return self.metric.program_id if self.metric else None
