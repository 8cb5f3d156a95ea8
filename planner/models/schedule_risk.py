"""Quick uncertainty ranges for the schedule risk analysis: per program, phase or workstream."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from planner.extensions import Model
from planner.models.audit import Audited

RANGE_SCOPES = ("program", "phase", "workstream")


class UncertaintyRange(Audited, Model):
    """Durations of the scope's items range from ``low_pct`` to ``high_pct`` around the most
    likely one (e.g. −10 % … +30 %); a workstream's items move together by ``correlation``.

    ``scope_key`` is the phase's key or the workstream's name ("" for the whole program).
    An item's own optimistic/pessimistic durations come first, then its workstream's range,
    its phase's, the program's.
    """

    __tablename__ = "uncertainty_range"
    __table_args__ = (
        CheckConstraint("scope IN ('program', 'phase', 'workstream')", name="scope_known"),
        CheckConstraint("shape IN ('triangular', 'pert')", name="shape_known"),
        CheckConstraint("low_pct <= 0 AND high_pct >= 0", name="around_likely"),
        CheckConstraint("correlation >= 0 AND correlation <= 1", name="correlation_range"),
        UniqueConstraint("program_id", "scope", "scope_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    scope: Mapped[str] = mapped_column(String(12))
    scope_key: Mapped[str] = mapped_column(String(64), default="")
    low_pct: Mapped[float] = mapped_column(Float)
    high_pct: Mapped[float] = mapped_column(Float)
    shape: Mapped[str] = mapped_column(String(12), default="pert")
    correlation: Mapped[float] = mapped_column(Float, default=0.0)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}
