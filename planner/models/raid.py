"""The rest of the RAID log: issues (with their links), decisions and change requests.

Actions live in :mod:`planner.models.risk` (``Action``, the program's one action list).
An issue may come from a risk that occurred (``source_risk``; the risk lists it in
``issues``). A decision may be linked from an issue, a steering review, a change request or
a phase's gate; the decision log also shows the gate decisions (``GateDecision``) read as
decisions. A change request's impact is a what-if scenario (``scenario``); what it moved is
kept in ``impact`` when steering decides, so the record outlives the scenario.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import Model
from planner.models.audit import Audited
from planner.models.risk import RISK_LABEL_SEPARATOR, RiskAction

if TYPE_CHECKING:
    from planner.models.people import Person
    from planner.models.plan import Phase, WorkItem
    from planner.models.review import SteeringReview
    from planner.models.risk import Risk
    from planner.models.scenario import Scenario

ISSUE_STATUSES = ("open", "in_progress", "resolved", "closed")
SEVERITIES = ("low", "medium", "high", "critical")
CHANGE_KINDS = ("add_work", "remove_work", "resize_work", "move_milestone", "phase_scope")
CHANGE_STATUSES = ("pending", "approved", "rejected", "withdrawn")
_ONE_TARGET = (
    "(CASE WHEN work_item_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN phase_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN risk_id IS NULL THEN 0 ELSE 1 END) = 1"
)


class Issue(Audited, Model):
    __tablename__ = "issue"
    __audit_entity__ = "issue"
    __table_args__ = (
        UniqueConstraint("program_id", "key"),
        CheckConstraint("severity IN ('low', 'medium', 'high', 'critical')", name="severity_known"),
        CheckConstraint(
            "status IN ('open', 'in_progress', 'resolved', 'closed')", name="status_known"
        ),
        Index("ix_issue_source_risk", "source_risk_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    severity: Mapped[str] = mapped_column(String(20), default="medium")
    owner: Mapped[str | None] = mapped_column(String(120))
    # the owner as a person of the directory; ``owner`` keeps their name (services/owners)
    owner_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL")
    )
    due_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default="open")
    raised_on: Mapped[date]
    resolved_on: Mapped[date | None]
    resolution: Mapped[str] = mapped_column(Text, default="")
    source_risk_id: Mapped[int | None] = mapped_column(ForeignKey("risk.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    source_risk: Mapped[Risk | None] = relationship(back_populates="issues")
    owner_person: Mapped[Person | None] = relationship(foreign_keys=[owner_person_id])
    links: Mapped[list[IssueLink]] = relationship(
        back_populates="issue", cascade="all, delete-orphan", order_by="IssueLink.id"
    )
    actions: Mapped[list[RiskAction]] = relationship(
        back_populates="issue",
        cascade="all, delete-orphan",
        order_by="[RiskAction.done, RiskAction.due_date, RiskAction.id]",
    )

    @property
    def is_open(self) -> bool:
        return self.status in ("open", "in_progress")

    def is_overdue(self, as_of: date) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < as_of


class IssueLink(Audited, Model):
    """A work item, phase or risk an issue concerns (exactly one of them)."""

    __tablename__ = "issue_link"
    __audit_entity__ = "issue_link"
    __table_args__ = (
        CheckConstraint(_ONE_TARGET, name="one_target"),
        Index("ix_issue_link_issue", "issue_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issue.id", ondelete="CASCADE"))
    work_item_id: Mapped[int | None] = mapped_column(ForeignKey("work_item.id", ondelete="CASCADE"))
    phase_id: Mapped[int | None] = mapped_column(ForeignKey("phase.id", ondelete="CASCADE"))
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risk.id", ondelete="CASCADE"))

    issue: Mapped[Issue] = relationship(back_populates="links")
    work_item: Mapped[WorkItem | None] = relationship()
    phase: Mapped[Phase | None] = relationship()
    risk: Mapped[Risk | None] = relationship()

    @property
    def kind(self) -> str:
        return "item" if self.work_item_id else "phase" if self.phase_id else "risk"

    @property
    def target_key(self) -> str:
        target: Any = self.work_item or self.phase or self.risk
        return str(target.key) if target is not None else "?"

    @property
    def audit_label(self) -> str:
        key = self.issue.key if self.issue else "?"
        return f"{key}{RISK_LABEL_SEPARATOR}{self.target_key}"

    @property
    def audit_program_id(self) -> int | None:
        return self.issue.program_id if self.issue else None


class ChangeRequest(Audited, Model):
    __tablename__ = "change_request"
    __audit_entity__ = "change_request"
    __audit_exclude__ = frozenset({"impact"})
    __table_args__ = (
        UniqueConstraint("program_id", "key"),
        CheckConstraint(
            "kind IN ('add_work', 'remove_work', 'resize_work', 'move_milestone', 'phase_scope')",
            name="kind_known",
        ),
        CheckConstraint(
            "status IN ('pending', 'approved', 'rejected', 'withdrawn')", name="status_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    requester: Mapped[str] = mapped_column(String(120), default="")
    requester_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL")
    )
    justification: Mapped[str] = mapped_column(Text, default="")
    requested_on: Mapped[date]
    # what is changed: an item (its work in days, or a milestone's new date) or a phase
    work_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("work_item.id", ondelete="SET NULL")
    )
    phase_id: Mapped[int | None] = mapped_column(ForeignKey("phase.id", ondelete="SET NULL"))
    days: Mapped[int | None]
    new_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default="pending")
    scenario_id: Mapped[int | None] = mapped_column(ForeignKey("scenario.id", ondelete="SET NULL"))
    # the impact as it stood when steering decided (see services.change_requests.Impact)
    impact: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    work_item: Mapped[WorkItem | None] = relationship()
    phase: Mapped[Phase | None] = relationship()
    scenario: Mapped[Scenario | None] = relationship()
    requester_person: Mapped[Person | None] = relationship(foreign_keys=[requester_person_id])
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="change_request", order_by="Decision.id", passive_deletes=True
    )

    @property
    def is_pending(self) -> bool:
        return self.status == "pending"


class Decision(Audited, Model):
    """A decision of the program: who decided what, when, why, and which options were weighed."""

    __tablename__ = "decision"
    __audit_entity__ = "decision"
    __table_args__ = (
        UniqueConstraint("program_id", "key"),
        Index("ix_decision_program_on", "program_id", "decided_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    rationale: Mapped[str] = mapped_column(Text, default="")
    options: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_by_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL")
    )
    decided_on: Mapped[date]
    issue_id: Mapped[int | None] = mapped_column(ForeignKey("issue.id", ondelete="SET NULL"))
    review_id: Mapped[int | None] = mapped_column(
        ForeignKey("steering_review.id", ondelete="SET NULL")
    )
    change_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("change_request.id", ondelete="SET NULL")
    )
    gate_phase_id: Mapped[int | None] = mapped_column(ForeignKey("phase.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    issue: Mapped[Issue | None] = relationship()
    review: Mapped[SteeringReview | None] = relationship()
    change_request: Mapped[ChangeRequest | None] = relationship(back_populates="decisions")
    gate_phase: Mapped[Phase | None] = relationship()
    decided_by_person: Mapped[Person | None] = relationship(foreign_keys=[decided_by_person_id])

    @property
    def option_list(self) -> list[str]:
        return [o.strip() for o in self.options.splitlines() if o.strip()]
