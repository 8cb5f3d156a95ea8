"""The plan: phases (the diagnosis stage and the 100-day phases), work items, dependencies."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import (
    DDL,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from planner.domain.limits import MAX_TASK_DAYS
from planner.domain.schedule_fields import SCHEDULE_FIELDS
from planner.extensions import Model
from planner.models.audit import Audited

if TYPE_CHECKING:
    from planner.models.gate import GateCriterion
    from planner.models.people import Person
    from planner.models.program import Program

DEPENDENCY_TYPES = ("FS", "SS", "FF", "SF")


class Phase(Audited, Model):
    __tablename__ = "phase"
    __table_args__ = (
        UniqueConstraint("program_id", "ordinal"),
        UniqueConstraint("program_id", "key"),
        CheckConstraint("ordinal >= 0", name="ordinal_not_negative"),
        CheckConstraint("window_end >= window_start", name="window_ordered"),
        CheckConstraint("kind IN ('diagnosis', 'phase')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    ordinal: Mapped[int]
    key: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20), default="phase")
    name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str | None] = mapped_column(String(200))
    goal: Mapped[str] = mapped_column(Text, default="")
    goal_zh: Mapped[str | None] = mapped_column(Text)
    result: Mapped[str] = mapped_column(Text, default="")
    result_zh: Mapped[str | None] = mapped_column(Text)
    length_days: Mapped[int] = mapped_column(default=100)
    window_start: Mapped[date]
    window_end: Mapped[date]

    program: Mapped[Program] = relationship(back_populates="phases")
    work_items: Mapped[list[WorkItem]] = relationship(
        back_populates="phase", cascade="all, delete-orphan", order_by="WorkItem.position"
    )
    gate_criteria: Mapped[list[GateCriterion]] = relationship(
        back_populates="phase", cascade="all, delete-orphan", order_by="GateCriterion.position"
    )

    @property
    def is_diagnosis(self) -> bool:
        return self.kind == "diagnosis"


class WorkItem(Audited, Model):
    """A task, or a milestone (kind 'milestone', zero duration), in one phase."""

    __tablename__ = "work_item"
    __audit_exclude__ = frozenset({*SCHEDULE_FIELDS, "position"})
    __table_args__ = (
        UniqueConstraint("program_id", "key"),
        CheckConstraint("kind IN ('task', 'milestone')", name="kind_known"),
        CheckConstraint(
            f"duration_days >= 0 AND duration_days <= {MAX_TASK_DAYS}", name="duration_range"
        ),
        CheckConstraint(
            "(kind = 'milestone' AND duration_days = 0) OR (kind = 'task' AND duration_days > 0)",
            name="milestone_zero_duration",
        ),
        CheckConstraint("percent_complete >= 0 AND percent_complete <= 100", name="percent_range"),
        CheckConstraint(
            "constraint_type IS NULL OR constraint_type IN ('SNET', 'FNLT')",
            name="constraint_known",
        ),
        CheckConstraint(
            "(constraint_type IS NULL) = (constraint_date IS NULL)", name="constraint_has_date"
        ),
        CheckConstraint(
            "actual_finish IS NULL OR actual_start IS NOT NULL", name="finish_needs_start"
        ),
        Index("ix_work_item_phase", "phase_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    phase_id: Mapped[int] = mapped_column(ForeignKey("phase.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20), default="task")
    name: Mapped[str] = mapped_column(String(300))
    name_zh: Mapped[str | None] = mapped_column(String(300))
    workstream: Mapped[str | None] = mapped_column(String(64))
    duration_days: Mapped[int] = mapped_column(default=1)
    owner: Mapped[str | None] = mapped_column(String(120))
    # the owner as a person of the directory; ``owner`` keeps their name (see services/people)
    owner_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL")
    )
    owner_role: Mapped[str | None] = mapped_column(String(120))
    deliverable: Mapped[str | None] = mapped_column(Text)
    deliverable_zh: Mapped[str | None] = mapped_column(Text)
    percent_complete: Mapped[int] = mapped_column(default=0)
    actual_start: Mapped[date | None]
    actual_finish: Mapped[date | None]
    constraint_type: Mapped[str | None] = mapped_column(String(4))
    constraint_date: Mapped[date | None]
    position: Mapped[int] = mapped_column(default=0)
    # three-point duration for the schedule risk analysis (None: the quick ranges apply)
    duration_optimistic: Mapped[int | None] = mapped_column(default=None)
    duration_pessimistic: Mapped[int | None] = mapped_column(default=None)
    duration_shape: Mapped[str | None] = mapped_column(String(12), default=None)
    # Computed by the scheduler (one source of truth); never typed by a person.
    early_start: Mapped[date | None]
    early_finish: Mapped[date | None]
    late_start: Mapped[date | None]
    late_finish: Mapped[date | None]
    total_float: Mapped[int | None]
    free_float: Mapped[int | None]
    is_critical: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    program: Mapped[Program] = relationship(viewonly=True)
    phase: Mapped[Phase] = relationship(back_populates="work_items")
    owner_person: Mapped[Person | None] = relationship(foreign_keys=[owner_person_id])

    @property
    def is_milestone(self) -> bool:
        return self.kind == "milestone"


class Dependency(Audited, Model):
    """Predecessor → successor, of type FS/SS/FF/SF, with a lag in working days.

    ``lag_unit`` keeps the unit the lag was given in (``d`` working days, ``w`` weeks of the
    calendar's working days, ``pct`` percent of the predecessor's duration, ``ed`` elapsed
    calendar days) with ``lag_amount`` in that unit; ``lag_days`` is always its working-day
    equivalent, refreshed on every reschedule (a percent lag follows the predecessor's
    duration), so everything that reads working days keeps working.
    """

    __tablename__ = "dependency"
    __table_args__ = (
        UniqueConstraint("predecessor_id", "successor_id"),
        CheckConstraint("predecessor_id <> successor_id", name="not_self"),
        CheckConstraint("type IN ('FS', 'SS', 'FF', 'SF')", name="type_known"),
        CheckConstraint("lag_days >= -2000 AND lag_days <= 2000", name="lag_range"),
        CheckConstraint("lag_unit IN ('d', 'w', 'pct', 'ed')", name="lag_unit_known"),
        Index("ix_dependency_program", "program_id"),
        Index("ix_dependency_successor", "successor_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    predecessor_id: Mapped[int] = mapped_column(ForeignKey("work_item.id", ondelete="CASCADE"))
    successor_id: Mapped[int] = mapped_column(ForeignKey("work_item.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(2), default="FS")
    lag_days: Mapped[int] = mapped_column(default=0)
    lag_unit: Mapped[str] = mapped_column(String(3), default="d", server_default="d")
    lag_amount: Mapped[int | None] = mapped_column(default=None)
    converting_lag = False  # set while a reschedule refreshes lag_days (not a column)

    @validates("lag_days")
    def _edited_in_working_days(self, _key: str, days: int) -> int:
        """A stored link whose lag is edited in working days keeps working days from then
        on (else the next reschedule would convert its old unit over the edit); the
        reschedule's own refresh of a converted lag sets ``converting_lag``."""
        state = inspect(self)
        if (
            state.persistent
            and not getattr(self, "converting_lag", False)
            and days != self.lag_days
            and self.lag_unit != "d"
        ):
            self.lag_unit, self.lag_amount = "d", None
        return days

    predecessor: Mapped[WorkItem] = relationship(foreign_keys=[predecessor_id])
    successor: Mapped[WorkItem] = relationship(foreign_keys=[successor_id])

    @property
    def audit_label(self) -> str:
        lag = f"{self.lag_days:+d}" if self.lag_days else ""
        pred = self.predecessor.key if self.predecessor else self.predecessor_id
        succ = self.successor.key if self.successor else self.successor_id
        return f"{pred} → {succ} {self.type}{lag}"


class PlanRecord(Model):
    """A program's plan rows as one compact record per part, written with every reschedule.

    ``numbers``: every item's scheduling columns and stored computed columns and every
    dependency, as arrays; ``texts``: the items' keys and names (rewritten only when one
    changes). A record is used only while ``revision`` is the program's plan revision (its
    newest plan audit event): an edit made by any other path leaves it unused, never wrong.
    Not audited: it is derived from the audited rows (:mod:`planner.services.plan_record`).
    """

    __tablename__ = "plan_record"

    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), primary_key=True
    )
    part: Mapped[str] = mapped_column(String(16), primary_key=True)
    revision: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)


# PostgreSQL would compress each record (a megabyte of packed numbers) on every save, for
# little: store it as it is (the migration does the same)
event.listen(
    PlanRecord.__table__,
    "after_create",
    DDL("ALTER TABLE plan_record ALTER COLUMN data SET STORAGE EXTERNAL").execute_if(
        dialect="postgresql"
    ),
)
