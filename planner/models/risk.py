"""A risk in a program's register, its mitigation actions and the things it threatens.

The inherent assessment is ``likelihood`` × ``impact`` (before any response); the residual
assessment (after the planned response) is ``residual_likelihood`` × ``residual_impact``;
either residual side left empty means "not reassessed" and the inherent value counts.
Steering reviews (with their snapshot of the register) live in :mod:`planner.models.review`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import Model
from planner.models.audit import Audited

if TYPE_CHECKING:
    from planner.models.people import Person
    from planner.models.plan import Phase, WorkItem
    from planner.models.program import Program
    from planner.models.raid import Issue
    from planner.models.review import SteeringReview

RISK_STATUSES = ("open", "mitigating", "closed", "occurred")
RISK_RESPONSES = ("avoid", "mitigate", "transfer", "accept", "escalate")

# Audit entities of the rows that belong to a risk; their labels start with the risk key
# followed by RISK_LABEL_SEPARATOR so the risk page can find their history (even deleted ones).
RISK_LABEL_SEPARATOR = " · "
RISK_CHILD_ENTITIES = ("risk_action", "risk_item_link", "risk_phase_link", "review_decision")


class Risk(Audited, Model):
    __tablename__ = "risk"
    __table_args__ = (
        UniqueConstraint("program_id", "key"),
        CheckConstraint("likelihood BETWEEN 1 AND 5", name="likelihood_range"),
        CheckConstraint("impact BETWEEN 1 AND 5", name="impact_range"),
        CheckConstraint(
            "residual_likelihood IS NULL OR residual_likelihood BETWEEN 1 AND 5",
            name="residual_likelihood_range",
        ),
        CheckConstraint(
            "residual_impact IS NULL OR residual_impact BETWEEN 1 AND 5",
            name="residual_impact_range",
        ),
        CheckConstraint(
            "status IN ('open', 'mitigating', 'closed', 'occurred')", name="status_known"
        ),
        CheckConstraint(
            "response IN ('avoid', 'mitigate', 'transfer', 'accept', 'escalate')",
            name="response_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    rank: Mapped[int | None]
    title: Mapped[str] = mapped_column(String(300))
    title_zh: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    description_zh: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(64), default="")
    cause: Mapped[str] = mapped_column(Text, default="")
    cause_zh: Mapped[str | None] = mapped_column(Text)
    effect: Mapped[str] = mapped_column(Text, default="")
    effect_zh: Mapped[str | None] = mapped_column(Text)
    # the inherent assessment (before the response)
    likelihood: Mapped[int]
    impact: Mapped[int]
    # the residual assessment (after the planned response); NULL = not reassessed
    residual_likelihood: Mapped[int | None]
    residual_impact: Mapped[int | None]
    owner: Mapped[str | None] = mapped_column(String(120))
    # the schedule risk analysis: the delay the risk adds to its linked items when it occurs
    # (working days and/or percent of each item's duration), its chance when not read from
    # the likelihood, and the delay left once mitigated
    schedule_delay_days: Mapped[int | None] = mapped_column(default=None)
    schedule_delay_pct: Mapped[int | None] = mapped_column(default=None)
    probability_pct: Mapped[int | None] = mapped_column(default=None)
    residual_delay_days: Mapped[int | None] = mapped_column(default=None)
    # the owner as a person of the directory; ``owner`` keeps their name (see services/people)
    owner_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL")
    )
    response: Mapped[str] = mapped_column(String(20), default="mitigate")
    mitigation: Mapped[str] = mapped_column(Text, default="")
    mitigation_zh: Mapped[str | None] = mapped_column(Text)
    contingency: Mapped[str] = mapped_column(Text, default="")
    trigger: Mapped[str] = mapped_column(Text, default="")
    # proximity: the date and/or the phase by which the risk would strike
    proximity_date: Mapped[date | None]
    proximity_phase_id: Mapped[int | None] = mapped_column(
        ForeignKey("phase.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default="open")
    review_date: Mapped[date | None]
    # when the risk occurred, it turned into an issue: when, and what is being done about it
    occurred_on: Mapped[date | None]
    issue_note: Mapped[str] = mapped_column(Text, default="")
    # review cadence: every N days (NULL: the band's cadence from the playbook), the last
    # review, and why a residual score above the inherent one stands
    review_cadence_days: Mapped[int | None]
    last_reviewed_on: Mapped[date | None]
    residual_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    program: Mapped[Program] = relationship(back_populates="risks")
    owner_person: Mapped[Person | None] = relationship(foreign_keys=[owner_person_id])
    proximity_phase: Mapped[Phase | None] = relationship(foreign_keys=[proximity_phase_id])
    actions: Mapped[list[RiskAction]] = relationship(
        back_populates="risk",
        cascade="all, delete-orphan",
        order_by="[RiskAction.done, RiskAction.due_date, RiskAction.id]",
    )
    item_links: Mapped[list[RiskWorkItemLink]] = relationship(
        back_populates="risk", cascade="all, delete-orphan", order_by="RiskWorkItemLink.id"
    )
    phase_links: Mapped[list[RiskPhaseLink]] = relationship(
        back_populates="risk", cascade="all, delete-orphan", order_by="RiskPhaseLink.id"
    )
    # the issues it became when it occurred (the issue keeps the risk as its source)
    issues: Mapped[list[Issue]] = relationship(
        back_populates="source_risk", order_by="Issue.id", passive_deletes=True
    )

    @property
    def score(self) -> int:
        """Inherent score (likelihood × impact)."""
        return self.likelihood * self.impact

    @property
    def residual_score(self) -> int:
        """Residual score; the inherent value stands in for a side not reassessed."""
        likelihood = (
            self.likelihood if self.residual_likelihood is None else self.residual_likelihood
        )
        impact = self.impact if self.residual_impact is None else self.residual_impact
        return likelihood * impact

    @property
    def is_open(self) -> bool:
        return self.status in ("open", "mitigating")


ACTION_OWNERS = ("risk", "issue", "review", "gate")
_ONE_OWNER = (
    "(CASE WHEN risk_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN issue_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN review_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN gate_phase_id IS NULL THEN 0 ELSE 1 END) = 1"
)


class RiskAction(Audited, Model):
    """An action of the program's one action list: who does what by when, and whether it is
    done. It belongs to exactly one risk, issue, steering review or phase's gate.

    The table and audit entity keep their first name (``risk_action``, from when only risks
    had actions) so each action's history stays continuous; :data:`Action` is its name now.
    """

    __tablename__ = "risk_action"
    __audit_entity__ = "risk_action"
    __table_args__ = (
        CheckConstraint("length(title) >= 1", name="has_title"),
        CheckConstraint("done_on IS NULL OR done", name="done_on_needs_done"),
        CheckConstraint(_ONE_OWNER, name="one_owner"),
        Index("ix_risk_action_risk", "risk_id"),
        Index("ix_risk_action_program", "program_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risk.id", ondelete="CASCADE"))
    issue_id: Mapped[int | None] = mapped_column(ForeignKey("issue.id", ondelete="CASCADE"))
    review_id: Mapped[int | None] = mapped_column(
        ForeignKey("steering_review.id", ondelete="CASCADE")
    )
    gate_phase_id: Mapped[int | None] = mapped_column(ForeignKey("phase.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str | None] = mapped_column(String(120))
    # the owner as a person of the directory; ``owner`` keeps their name (see services/people)
    owner_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL")
    )
    due_date: Mapped[date | None]
    done: Mapped[bool] = mapped_column(default=False)
    done_on: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    risk: Mapped[Risk | None] = relationship(back_populates="actions")
    issue: Mapped[Issue | None] = relationship(back_populates="actions")
    review: Mapped[SteeringReview | None] = relationship()
    gate_phase: Mapped[Phase | None] = relationship()

    @property
    def owner_kind(self) -> str:
        """What the action belongs to: one of :data:`ACTION_OWNERS`."""
        if self.risk_id is not None or self.risk is not None:
            return "risk"
        if self.issue_id is not None or self.issue is not None:
            return "issue"
        if self.review_id is not None or self.review is not None:
            return "review"
        return "gate"

    @property
    def owner_label(self) -> str:
        """The key of what the action belongs to (R-3, I-2, review 2026-05-01, gate 1)."""
        if self.risk is not None:
            return self.risk.key
        if self.issue is not None:
            return self.issue.key
        if self.review is not None:
            return f"review {self.review.held_on.isoformat()}"
        if self.gate_phase is not None:
            return f"gate {self.gate_phase.ordinal}"
        return "?"

    owner_person: Mapped[Person | None] = relationship(foreign_keys=[owner_person_id])

    @property
    def audit_label(self) -> str:
        return f"{self.owner_label}{RISK_LABEL_SEPARATOR}{self.title}"

    @property
    def audit_program_id(self) -> int | None:
        if self.program_id is not None:
            return self.program_id
        for parent in (self.risk, self.issue, self.review, self.gate_phase):
            if parent is not None:
                return parent.program_id
        return None

    @property
    def status(self) -> str:
        return "done" if self.done else "open"

    def is_overdue(self, as_of: date) -> bool:
        return not self.done and self.due_date is not None and self.due_date < as_of


Action = RiskAction


@event.listens_for(RiskAction, "before_insert")
def _action_program(_mapper: Any, _connection: Any, target: RiskAction) -> None:
    """An action added to a risk's (or issue's) list takes its program from it; one made
    with only its parent's id (an import, a test) reads the program from the parent row."""
    if target.program_id is None:
        target.program_id = target.audit_program_id
    if target.program_id is None:
        for column, table in (
            (target.risk_id, "risk"),
            (target.issue_id, "issue"),
            (target.review_id, "steering_review"),
            (target.gate_phase_id, "phase"),
        ):
            if column is not None:
                found = _connection.execute(
                    text(f"SELECT program_id FROM {table} WHERE id = :id"),  # noqa: S608  # nosec B608 - a fixed table name
                    {"id": column},
                ).scalar()
                target.program_id = found
                break


class RiskWorkItemLink(Audited, Model):
    """A work item the risk threatens; both belong to the same program (the service checks)."""

    __tablename__ = "risk_work_item_link"
    __audit_entity__ = "risk_item_link"
    __table_args__ = (
        UniqueConstraint("risk_id", "work_item_id"),
        Index("ix_risk_work_item_link_item", "work_item_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risk.id", ondelete="CASCADE"))
    work_item_id: Mapped[int] = mapped_column(ForeignKey("work_item.id", ondelete="CASCADE"))

    risk: Mapped[Risk] = relationship(back_populates="item_links")
    work_item: Mapped[WorkItem] = relationship()

    @property
    def audit_label(self) -> str:
        item = self.work_item.key if self.work_item else self.work_item_id
        return f"{self.risk.key if self.risk else '?'}{RISK_LABEL_SEPARATOR}{item}"

    @property
    def audit_program_id(self) -> int | None:
        return self.risk.program_id if self.risk else None


class RiskPhaseLink(Audited, Model):
    """A phase the risk threatens (the phase belongs to the risk's program)."""

    __tablename__ = "risk_phase_link"
    __audit_entity__ = "risk_phase_link"
    __table_args__ = (
        UniqueConstraint("risk_id", "phase_id"),
        Index("ix_risk_phase_link_phase", "phase_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risk.id", ondelete="CASCADE"))
    phase_id: Mapped[int] = mapped_column(ForeignKey("phase.id", ondelete="CASCADE"))

    risk: Mapped[Risk] = relationship(back_populates="phase_links")
    phase: Mapped[Phase] = relationship()

    @property
    def audit_label(self) -> str:
        phase = self.phase.key if self.phase else self.phase_id
        return f"{self.risk.key if self.risk else '?'}{RISK_LABEL_SEPARATOR}{phase}"

    @property
    def audit_program_id(self) -> int | None:
        return self.risk.program_id if self.risk else None
