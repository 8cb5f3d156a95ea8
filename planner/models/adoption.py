"""Adoption by team, region and CRM module: the program's dimension values, per-cell readings
and targets of a metric, the user → team lookup, usage-log imports (their saved column
mapping and the per user-week-module activity they leave), training sessions, and the
answers of an interview to the question bank.

A *cell* is one combination of ``team``, ``region`` and ``module`` keys; an empty key means
"all" along that dimension, so ``("", "", "")`` is the program figure and ``("north", "",
"contacts")`` is the north team's use of contact management.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import Model
from planner.models.audit import Audited

if TYPE_CHECKING:
    from planner.models.metric import Metric

DIMENSION_KINDS = ("team", "region", "module")
CELL_SEPARATOR = " · "


class DimensionValue(Audited, Model):
    """One value of a dimension of the program (a team, a region or a CRM module)."""

    __tablename__ = "dimension_value"
    __table_args__ = (
        UniqueConstraint("program_id", "kind", "key"),
        CheckConstraint("kind IN ('team', 'region', 'module')", name="kind_known"),
        CheckConstraint("users IS NULL OR users >= 0", name="users_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    key: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(200))
    label_zh: Mapped[str | None] = mapped_column(String(200))
    # CRM users in this team or region (the roll-up weight); None counts the mapped users
    users: Mapped[int | None]
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    @property
    def audit_label(self) -> str:
        return f"{self.kind} {self.key}"


class UserTeam(Audited, Model):
    """The small, replaceable lookup from a CRM user name (as usage logs write it) to a team
    and region of the program."""

    __tablename__ = "user_team"
    __table_args__ = (UniqueConstraint("program_id", "user_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    user_name: Mapped[str] = mapped_column(String(254))
    team: Mapped[str] = mapped_column(String(64))
    region: Mapped[str] = mapped_column(String(64), default="")

    @property
    def audit_label(self) -> str:
        return f"{self.user_name} → {self.team}"


class CellReading(Audited, Model):
    """A metric's value for one cell on one day, with the users it speaks for (the weight
    of the roll-up)."""

    __tablename__ = "cell_reading"
    __table_args__ = (
        UniqueConstraint("metric_id", "day", "team", "region", "module"),
        CheckConstraint("users >= 0", name="users_not_negative"),
    )
    __audit_exclude__ = frozenset({"usage_import_id"})

    id: Mapped[int] = mapped_column(primary_key=True)
    metric_id: Mapped[int] = mapped_column(ForeignKey("metric.id", ondelete="CASCADE"))
    day: Mapped[date]
    team: Mapped[str] = mapped_column(String(64), default="")
    region: Mapped[str] = mapped_column(String(64), default="")
    module: Mapped[str] = mapped_column(String(64), default="")
    value: Mapped[float]
    users: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    usage_import_id: Mapped[int | None] = mapped_column(
        ForeignKey("usage_import.id", ondelete="SET NULL")
    )
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    metric: Mapped[Metric] = relationship()

    @property
    def audit_label(self) -> str:
        cell = CELL_SEPARATOR.join(k for k in (self.team, self.region, self.module) if k)
        key = self.metric.key if self.metric else ""
        return f"{key} {cell} {self.day.isoformat()}"

    @property
    def audit_program_id(self) -> int | None:
        return self.metric.program_id if self.metric else None


class CellTarget(Audited, Model):
    """A phase target of one cell; a cell without one inherits the metric's target."""

    __tablename__ = "cell_target"
    __table_args__ = (UniqueConstraint("metric_id", "team", "region", "module", "phase_ordinal"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    metric_id: Mapped[int] = mapped_column(ForeignKey("metric.id", ondelete="CASCADE"))
    team: Mapped[str] = mapped_column(String(64), default="")
    region: Mapped[str] = mapped_column(String(64), default="")
    module: Mapped[str] = mapped_column(String(64), default="")
    phase_ordinal: Mapped[int]
    target: Mapped[float]

    metric: Mapped[Metric] = relationship()

    @property
    def audit_label(self) -> str:
        cell = CELL_SEPARATOR.join(k for k in (self.team, self.region, self.module) if k)
        return f"{self.metric.key if self.metric else ''} {cell} phase {self.phase_ordinal}"

    @property
    def audit_program_id(self) -> int | None:
        return self.metric.program_id if self.metric else None


class UsageMapping(Audited, Model):
    """The program's saved column mapping for usage-log imports."""

    __tablename__ = "usage_mapping"
    __table_args__ = (UniqueConstraint("program_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    preset: Mapped[str] = mapped_column(String(40), default="generic")
    user_column: Mapped[str] = mapped_column(String(120))
    date_column: Mapped[str] = mapped_column(String(120))
    object_column: Mapped[str] = mapped_column(String(120), default="")
    action_column: Mapped[str] = mapped_column(String(120), default="")
    date_order: Mapped[str] = mapped_column(String(10), default="ymd")
    login_actions: Mapped[str] = mapped_column(String(300), default="login")
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    @property
    def audit_label(self) -> str:
        return "usage-log mapping"


class UsageImport(Audited, Model):
    """One imported usage file; its checksum makes importing the same file twice a no-op."""

    __tablename__ = "usage_import"
    __table_args__ = (UniqueConstraint("program_id", "checksum"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    checksum: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255), default="")
    preset: Mapped[str] = mapped_column(String(40), default="generic")
    rows: Mapped[int] = mapped_column(default=0)
    users: Mapped[int] = mapped_column(default=0)
    unmapped_users: Mapped[int] = mapped_column(default=0)
    first_day: Mapped[date | None]
    last_day: Mapped[date | None]
    imported_at: Mapped[datetime] = mapped_column(server_default=func.now())

    @property
    def audit_label(self) -> str:
        return self.filename or self.checksum[:12]


class UsageActivity(Model):
    """What one user did in one module in one week (module "" = logins), summed from the
    usage files; (program, week, user, module) identifies a row, so overlapping exports keep
    the larger count and never add twice. Not audited row by row: the import is."""

    __tablename__ = "usage_activity"
    __table_args__ = (UniqueConstraint("program_id", "week", "user_name", "module"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    week: Mapped[date]  # the Monday
    user_name: Mapped[str] = mapped_column(String(254))
    module: Mapped[str] = mapped_column(String(64), default="")
    events: Mapped[int] = mapped_column(default=0)


class TrainingSession(Audited, Model):
    """A training session for one team on one module, with its attendance."""

    __tablename__ = "training_session"
    __table_args__ = (
        CheckConstraint("invited >= 0 AND attended >= 0", name="counts_not_negative"),
        CheckConstraint("attended <= invited", name="attended_within_invited"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    team: Mapped[str] = mapped_column(String(64))
    module: Mapped[str] = mapped_column(String(64), default="")
    held_on: Mapped[date]
    title: Mapped[str] = mapped_column(String(200), default="")
    trainer: Mapped[str] = mapped_column(String(120), default="")
    invited: Mapped[int] = mapped_column(default=0)
    attended: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    @property
    def audit_label(self) -> str:
        return f"{self.team} {self.module} {self.held_on.isoformat()}"


class InterviewAnswer(Audited, Model):
    """What an interviewee answered to one indicator's questions, and the interviewer's note,
    kept with the score of the same interview and indicator."""

    __tablename__ = "interview_answer"
    __table_args__ = (UniqueConstraint("interview_id", "indicator_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interview.id", ondelete="CASCADE"))
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    indicator_key: Mapped[str] = mapped_column(String(64))
    answer: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    @property
    def audit_label(self) -> str:
        return self.indicator_key
