"""Demo content for the risks area."""

from __future__ import annotations

from datetime import date

from planner.models import Program


def populate(program: Program, today: date) -> None:
    """Give the demo program believable risks content as of ``today``."""
