"""Counters of automatically numbered keys (R-1, R-2, … for risks), one row per program and
kind, so that requests creating records at the same moment get distinct numbers."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from planner.extensions import Model


class KeyCounter(Model):
    __tablename__ = "key_counter"

    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    # the last number handed out (bookkeeping, not audited: the records themselves are)
    last: Mapped[int] = mapped_column(default=0)
