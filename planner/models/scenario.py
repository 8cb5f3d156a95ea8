"""What-if scenarios: a named copy of a program's live plan, edited apart from it.

A scenario is deliberately NOT audited: editing or discarding it never touches the
program's audit trail (nor its revision, so cached pages of the live plan stay valid).
Applying it changes the live rows, and those changes are audited as usual.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from planner.extensions import Model

SCENARIO_STATUSES = ("open", "applied")


class Scenario(Model):
    __tablename__ = "scenario"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'applied')", name="status_known"),
        CheckConstraint("length(name) >= 1", name="has_name"),
        Index("ix_scenario_program", "program_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    # the program's newest audit event when the copy was taken: a plan change after it is a
    # conflict when the scenario is applied
    base_revision: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(20), default="open")
    # the copied plan: {"items": [...], "links": [...]} (see services/scenarios.py)
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}
