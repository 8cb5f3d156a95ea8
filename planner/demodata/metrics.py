"""Demo content for the metrics area."""

from __future__ import annotations

from datetime import date

from planner.models import Program


def populate(program: Program, today: date) -> None:
    """Give the demo program believable metrics content as of ``today``."""
