"""The demo's what-if scenario: the lead tries ten more days on the configurator build
(phase 2's critical chain: its gate moves), left open to compare, apply or discard."""

from __future__ import annotations

from datetime import date

from planner.demodata.plan import LEAD
from planner.models import Program
from planner.services.scenarios import create_scenario, edit_scenario_item

NAME = "Configurator build +10 days"
ITEM = "configurator-build"
EXTRA_DAYS = 10


def populate(program: Program, today: date) -> None:
    phase_two = [i for i in program.work_items if i.phase.ordinal == 2 and i.kind == "task"]
    if not phase_two:
        return  # a program without a second phase has no such question to ask
    chosen = next((i for i in phase_two if i.key == ITEM), None)
    last = chosen or max(phase_two, key=lambda i: (i.early_finish or today, i.position))
    scenario = create_scenario(program, NAME)
    scenario.created_by = LEAD
    edit_scenario_item(
        scenario,
        last.key,
        duration=last.duration_days + EXTRA_DAYS,
        constraint_type=last.constraint_type,
        constraint_date=last.constraint_date,
        version=scenario.version,
    )
