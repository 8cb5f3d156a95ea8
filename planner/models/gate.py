"""A phase's gate: its exit criteria (decisions come with the gates issue)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import db
from planner.models.audit import Audited

if TYPE_CHECKING:
    from planner.models.plan import Phase

CRITERION_KINDS = ("metric_target", "milestones_done", "max_risk_band", "manual")


class GateCriterion(Audited, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "gate_criterion"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('metric_target', 'milestones_done', 'max_risk_band', 'manual')",
            name="kind_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    phase_id: Mapped[int] = mapped_column(ForeignKey("phase.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(20))
    # metric key, space-separated milestone keys, or band name, depending on kind
    reference: Mapped[str] = mapped_column(String(1000), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    text_zh: Mapped[str | None] = mapped_column(Text)

    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    phase: Mapped[Phase] = relationship(back_populates="gate_criteria")

    @property
    def audit_label(self) -> str:
        return f"{self.kind} {self.reference}".strip()

    @property
    def audit_program_id(self) -> int | None:
        return self.phase.program_id if self.phase else None
