"""The people of a program: members with an account and named stakeholders without one;
their days off; who works on which item for how many hours, and the hours they logged."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import Model
from planner.models.audit import Audited

PERSON_KINDS = ("member", "stakeholder", "role")  # role: a playbook role not yet named


class Person(Audited, Model):
    """Someone who owns or does work in a program.

    The same human across programs is one row per program, joined by ``user_id`` (members)
    or ``email`` (stakeholders): the cross-program workload groups on :attr:`identity`.
    ``team`` is a plain string (department or team), simple to query (adoption maps CRM
    users to teams with it)."""

    __tablename__ = "person"
    __audit_entity__ = "person"
    __table_args__ = (
        UniqueConstraint("program_id", "name"),
        CheckConstraint("length(name) >= 1", name="has_name"),
        CheckConstraint("capacity_hours >= 0 AND capacity_hours <= 168", name="capacity_range"),
        CheckConstraint("hourly_rate IS NULL OR hourly_rate >= 0", name="rate_not_negative"),
        CheckConstraint("kind IN ('member', 'stakeholder', 'role')", name="kind_known"),
        Index("ix_person_team", "program_id", "team"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), default="stakeholder")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    email: Mapped[str | None] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(120), default="")
    team: Mapped[str] = mapped_column(String(120), default="")
    capacity_hours: Mapped[float] = mapped_column(Float, default=40.0)
    hourly_rate: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(3))
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    days_off: Mapped[list[PersonDayOff]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonDayOff.first_day"
    )

    @property
    def identity(self) -> str:
        """The key that joins this person's rows across programs."""
        if self.user_id is not None:
            return f"user:{self.user_id}"
        if self.email:
            return f"email:{self.email.strip().lower()}"
        return f"person:{self.id}"


class PersonDayOff(Audited, Model):
    __tablename__ = "person_day_off"
    __audit_entity__ = "person_day_off"
    __table_args__ = (CheckConstraint("last_day >= first_day", name="days_ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    first_day: Mapped[date]
    last_day: Mapped[date]
    note: Mapped[str] = mapped_column(String(200), default="")

    person: Mapped[Person] = relationship(back_populates="days_off")

    @property
    def audit_program_id(self) -> int | None:
        return self.person.program_id if self.person else None


class Assignment(Audited, Model):
    """A person on a work item with planned effort in hours (spread over its dates)."""

    __tablename__ = "assignment"
    __audit_entity__ = "assignment"
    __table_args__ = (
        UniqueConstraint("work_item_id", "person_id"),
        CheckConstraint("planned_hours >= 0 AND planned_hours <= 100000", name="hours_range"),
        Index("ix_assignment_person", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    work_item_id: Mapped[int] = mapped_column(ForeignKey("work_item.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    planned_hours: Mapped[float] = mapped_column(Float, default=0.0)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    person: Mapped[Person] = relationship()


class EffortLog(Audited, Model):
    """Hours a person worked on an item in one week (``week`` is its Monday)."""

    __tablename__ = "effort_log"
    __audit_entity__ = "effort_log"
    __table_args__ = (
        UniqueConstraint("person_id", "work_item_id", "week"),
        CheckConstraint("hours >= 0 AND hours <= 168", name="hours_range"),
        Index("ix_effort_log_program_week", "program_id", "week"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    work_item_id: Mapped[int] = mapped_column(ForeignKey("work_item.id", ondelete="CASCADE"))
    week: Mapped[date]
    hours: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")

    person: Mapped[Person] = relationship()
