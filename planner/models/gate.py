"""A phase's gate: its exit criteria, and the steering committee's decisions (history kept)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import Model
from planner.models.audit import Audited

if TYPE_CHECKING:
    from planner.models.plan import Phase

DECISION_KINDS = ("go", "conditional_go", "no_go")


class GateCriterion(Audited, Model):
    __tablename__ = "gate_criterion"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('metric_target', 'milestones_done', 'max_risk_band', 'manual')",
            name="kind_known",
        ),
        # only a manual criterion is judged by a person
        CheckConstraint("kind = 'manual' OR met IS NULL", name="met_only_manual"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    phase_id: Mapped[int] = mapped_column(ForeignKey("phase.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(20))
    # metric key, space-separated milestone keys, or band name, depending on kind; for a
    # manual criterion "" (a person judges it) or "benefits_case" (the benefits case does)
    reference: Mapped[str] = mapped_column(String(1000), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    text_zh: Mapped[str | None] = mapped_column(Text)
    # manual criteria: None pending, True met, False not met; with the evidence for it
    met: Mapped[bool | None]
    evidence: Mapped[str] = mapped_column(Text, default="")
    evidence_url: Mapped[str | None] = mapped_column(String(1000))

    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    phase: Mapped[Phase] = relationship(back_populates="gate_criteria")

    @property
    def audit_label(self) -> str:
        return f"{self.kind} {self.reference}".strip()

    @property
    def audit_program_id(self) -> int | None:
        return self.phase.program_id if self.phase else None

    @property
    def source(self) -> str:
        """Who judges a manual criterion: "person" or "benefits_case" ("" for other kinds)."""
        if self.kind != "manual":
            return ""
        return self.reference.strip() or "person"

    @property
    def milestone_keys(self) -> list[str]:
        return self.reference.split() if self.kind == "milestones_done" else []


class GateDecision(Audited, Model):
    """A steering committee's decision at a phase's gate; never edited, the latest counts."""

    __tablename__ = "gate_decision"
    __table_args__ = (
        CheckConstraint("kind IN ('go', 'conditional_go', 'no_go')", name="kind_known"),
        CheckConstraint("kind <> 'conditional_go' OR due IS NOT NULL", name="conditional_has_due"),
        CheckConstraint("due IS NULL OR due >= decided_on", name="due_after_decision"),
        CheckConstraint("overall_at_decision IN ('pass', 'at_risk', 'fail')", name="overall_known"),
        Index("ix_gate_decision_phase", "phase_id", "decided_on"),
        Index("ix_gate_decision_program", "program_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    phase_id: Mapped[int] = mapped_column(ForeignKey("phase.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_on: Mapped[date]
    notes: Mapped[str] = mapped_column(Text, default="")
    conditions: Mapped[str] = mapped_column(Text, default="")
    due: Mapped[date | None]
    justification: Mapped[str] = mapped_column(Text, default="")
    replan: Mapped[str] = mapped_column(Text, default="")
    # what the gate evaluation said when the decision was taken (the evidence of record)
    overall_at_decision: Mapped[str] = mapped_column(String(10))
    summary_at_decision: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[datetime] = mapped_column(server_default=func.now())

    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    phase: Mapped[Phase] = relationship()

    @property
    def audit_label(self) -> str:
        ordinal = self.phase.ordinal if self.phase else "?"
        return f"gate {ordinal}: {self.kind} {self.decided_on.isoformat()}"
