"""Demo content for the assessment area."""

from __future__ import annotations

from datetime import date

from planner.models import Program


def populate(program: Program, today: date) -> None:
    """Give the demo program believable assessment content as of ``today``."""
