"""Money: a program's currency settings, cost rates per role, fixed costs and invoices,
budgets per phase and workstream, and the benefits case with its readings."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import Model
from planner.models.audit import Audited

COST_KINDS = ("planned", "invoice")
COST_CATEGORIES = ("licence", "hardware", "services", "training", "other")


class MoneySettings(Audited, Model):
    """One row a program: its currency, exchange rates into it, discount rate, horizon."""

    __tablename__ = "money_settings"
    __audit_entity__ = "money_settings"
    __table_args__ = (
        UniqueConstraint("program_id"),
        CheckConstraint("discount_rate >= 0 AND discount_rate <= 1", name="rate_range"),
        CheckConstraint("horizon_months >= 1 AND horizon_months <= 240", name="horizon_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    # units of the program's currency for one unit of another: {"EUR": 7.8}
    fx_rates: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    discount_rate: Mapped[float] = mapped_column(Float, default=0.08)
    horizon_months: Mapped[int] = mapped_column(default=36)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    @property
    def audit_label(self) -> str:
        return self.currency


class RoleRate(Audited, Model):
    __tablename__ = "role_rate"
    __audit_entity__ = "role_rate"
    __table_args__ = (
        UniqueConstraint("program_id", "role"),
        CheckConstraint("hourly_rate >= 0", name="rate_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(120))
    hourly_rate: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3))

    @property
    def audit_label(self) -> str:
        return self.role


class CostEntry(Audited, Model):
    """A fixed cost (``planned``: licences, hardware, services) or an ``invoice`` (actual),
    on an item, a phase or a workstream (or the program as a whole)."""

    __tablename__ = "cost_entry"
    __audit_entity__ = "cost_entry"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint("kind IN ('planned', 'invoice')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    phase_id: Mapped[int | None] = mapped_column(ForeignKey("phase.id", ondelete="SET NULL"))
    work_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("work_item.id", ondelete="SET NULL")
    )
    workstream: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(10), default="planned")
    category: Mapped[str] = mapped_column(String(20), default="other")
    amount: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3))
    day: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    @property
    def audit_label(self) -> str:
        return f"{self.kind} {self.category}"


class BudgetLine(Audited, Model):
    """The budget of a phase, of a workstream, or (both empty) of the program."""

    __tablename__ = "budget_line"
    __audit_entity__ = "budget_line"
    __table_args__ = (
        UniqueConstraint("program_id", "phase_id", "workstream"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    phase_id: Mapped[int | None] = mapped_column(ForeignKey("phase.id", ondelete="CASCADE"))
    workstream: Mapped[str | None] = mapped_column(String(64))
    amount: Mapped[float] = mapped_column(Float)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    @property
    def audit_label(self) -> str:
        return self.workstream or str(self.phase_id or "program")


class Benefit(Audited, Model):
    """One benefit of the case: measured by a metric or its own readings, worth
    ``annual_value`` a year once ``target`` is reached, ramping up after a phase's go-live."""

    __tablename__ = "benefit"
    __audit_entity__ = "benefit"
    __table_args__ = (
        UniqueConstraint("program_id", "key"),
        CheckConstraint("annual_value >= 0", name="value_not_negative"),
        CheckConstraint("ramp_months >= 0 AND ramp_months <= 120", name="ramp_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str | None] = mapped_column(String(200))
    metric_id: Mapped[int | None] = mapped_column(ForeignKey("metric.id", ondelete="SET NULL"))
    unit: Mapped[str] = mapped_column(String(32), default="")
    baseline: Mapped[float] = mapped_column(Float, default=0.0)
    target: Mapped[float] = mapped_column(Float, default=0.0)
    annual_value: Mapped[float] = mapped_column(Float, default=0.0)
    go_live_phase: Mapped[int] = mapped_column(default=1)
    ramp_months: Mapped[int] = mapped_column(default=6)
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    readings: Mapped[list[BenefitReading]] = relationship(
        back_populates="benefit", cascade="all, delete-orphan", order_by="BenefitReading.day"
    )


class BenefitReading(Audited, Model):
    __tablename__ = "benefit_reading"
    __audit_entity__ = "benefit_reading"
    __table_args__ = (UniqueConstraint("benefit_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    benefit_id: Mapped[int] = mapped_column(ForeignKey("benefit.id", ondelete="CASCADE"))
    day: Mapped[date]
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(String(300), default="")

    benefit: Mapped[Benefit] = relationship(back_populates="readings")

    @property
    def audit_program_id(self) -> int | None:
        return self.benefit.program_id if self.benefit else None
