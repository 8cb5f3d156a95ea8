"""A program: one client's CRM rollout, and its working calendar."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import Model
from planner.models.audit import Audited

if TYPE_CHECKING:
    from planner.models.metric import Metric
    from planner.models.plan import Phase, WorkItem
    from planner.models.risk import Risk

PROGRAM_STATUSES = ("planning", "active", "on_hold", "closed")


class Program(Audited, Model):
    __tablename__ = "program"
    __table_args__ = (
        CheckConstraint(
            "status IN ('planning', 'active', 'on_hold', 'closed')", name="status_known"
        ),
        CheckConstraint("length(workdays) >= 1", name="has_workdays"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    client: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date]
    status_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default="planning")
    # ISO weekday digits that are working days, Monday=1: "12345" is Monday to Friday
    workdays: Mapped[str] = mapped_column(String(7), default="12345")
    playbook_id: Mapped[str] = mapped_column(String(64))
    playbook_version: Mapped[str] = mapped_column(String(32))
    # the public-holiday set applied to the calendar (see domain/holiday_sets.py); None: none
    holiday_set: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    phases: Mapped[list[Phase]] = relationship(
        back_populates="program", cascade="all, delete-orphan", order_by="Phase.ordinal"
    )
    work_items: Mapped[list[WorkItem]] = relationship(viewonly=True, order_by="WorkItem.position")
    risks: Mapped[list[Risk]] = relationship(
        back_populates="program", cascade="all, delete-orphan", order_by="Risk.id"
    )
    metrics: Mapped[list[Metric]] = relationship(
        back_populates="program", cascade="all, delete-orphan", order_by="Metric.id"
    )
    calendar_exceptions: Mapped[list[CalendarException]] = relationship(
        back_populates="program", cascade="all, delete-orphan", order_by="CalendarException.day"
    )

    @property
    def audit_program_id(self) -> int | None:
        return self.id


class CalendarException(Audited, Model):
    """A holiday (working=False) or an extra working day (working=True) of a program."""

    __tablename__ = "calendar_exception"
    __audit_entity__ = "calendar_day"
    __table_args__ = (UniqueConstraint("program_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    day: Mapped[date]
    working: Mapped[bool] = mapped_column(default=False)
    name: Mapped[str] = mapped_column(String(200), default="")

    program: Mapped[Program] = relationship(back_populates="calendar_exceptions")

    @property
    def audit_label(self) -> str:
        return self.day.isoformat()
