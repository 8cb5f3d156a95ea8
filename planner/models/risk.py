"""A risk in a program's register."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import db
from planner.models.audit import Audited

if TYPE_CHECKING:
    from planner.models.program import Program

RISK_STATUSES = ("open", "mitigating", "closed", "occurred")
RISK_RESPONSES = ("avoid", "mitigate", "transfer", "accept", "escalate")


class Risk(Audited, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "risk"
    __table_args__ = (
        UniqueConstraint("program_id", "key"),
        CheckConstraint("likelihood BETWEEN 1 AND 5", name="likelihood_range"),
        CheckConstraint("impact BETWEEN 1 AND 5", name="impact_range"),
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
    effect: Mapped[str] = mapped_column(Text, default="")
    likelihood: Mapped[int]
    impact: Mapped[int]
    owner: Mapped[str | None] = mapped_column(String(120))
    response: Mapped[str] = mapped_column(String(20), default="mitigate")
    mitigation: Mapped[str] = mapped_column(Text, default="")
    mitigation_zh: Mapped[str | None] = mapped_column(Text)
    contingency: Mapped[str] = mapped_column(Text, default="")
    trigger: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="open")
    review_date: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    program: Mapped[Program] = relationship(back_populates="risks")

    @property
    def score(self) -> int:
        return self.likelihood * self.impact
