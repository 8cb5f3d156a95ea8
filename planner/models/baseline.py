"""Baselines: a named snapshot of every work item's dates, to measure the plan's variance."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import Model
from planner.models.audit import Audited

if TYPE_CHECKING:
    from planner.models.program import Program


class Baseline(Audited, Model):
    """A named snapshot of the whole plan, taken by someone at some moment."""

    __tablename__ = "baseline"
    __table_args__ = (
        UniqueConstraint("program_id", "name"),
        CheckConstraint("length(name) >= 1", name="has_name"),
        Index("ix_baseline_program_taken", "program_id", "taken_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    taken_at: Mapped[datetime]
    taken_by: Mapped[str] = mapped_column(String(200))
    # the status date the snapshot was scheduled with (what "today" was for the plan)
    status_date: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    program: Mapped[Program] = relationship()
    items: Mapped[list[BaselineItem]] = relationship(
        back_populates="baseline", cascade="all, delete-orphan", passive_deletes=True
    )


class BaselineItem(Model):
    """One work item's dates in a baseline; immutable, so not audited (the baseline is).

    ``work_item_id`` becomes NULL when the item is deleted later; ``key`` keeps its name so
    the variance report can still say what was removed.
    """

    __tablename__ = "baseline_item"
    __table_args__ = (
        UniqueConstraint("baseline_id", "key"),
        CheckConstraint("finish >= start", name="dates_ordered"),
        CheckConstraint("duration_days >= 0", name="duration_not_negative"),
        Index("ix_baseline_item_work_item", "work_item_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    baseline_id: Mapped[int] = mapped_column(ForeignKey("baseline.id", ondelete="CASCADE"))
    work_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("work_item.id", ondelete="SET NULL")
    )
    key: Mapped[str] = mapped_column(String(64))
    start: Mapped[date]
    finish: Mapped[date]
    duration_days: Mapped[int]

    baseline: Mapped[Baseline] = relationship(back_populates="items")
