"""The price of a change request's scenario: each item's planned labour and fixed costs are
read from the money records, the scenario's working days from the what-if plan, and
:func:`planner.domain.change_cost.change_cost` does the sum. ``None`` when the program
tracks no money (no assignee with a rate, no planned fixed cost): nothing to price."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from planner.domain.change_cost import ChangeCost, CostLine, change_cost
from planner.domain.scenario import ScenarioPlan
from planner.extensions import db
from planner.models import Assignment, CostEntry, Phase, Program, WorkItem
from planner.services.money import hourly_rates
from planner.services.money_input import settings_of, to_program_currency


def price_change(program: Program, live: ScenarioPlan, plan: ScenarioPlan) -> ChangeCost | None:
    """Planned cost at completion per phase, live plan (``live``) against ``plan``."""
    settings = settings_of(program)
    rates = hourly_rates(program)
    labour: defaultdict[int, float] = defaultdict(float)
    for a in db.session.scalars(select(Assignment).where(Assignment.program_id == program.id)):
        labour[a.work_item_id] += a.planned_hours * rates.get(a.person_id, 0.0)
    phase_keys = {
        p.id: p.key
        for p in db.session.scalars(
            select(Phase).where(Phase.program_id == program.id).order_by(Phase.ordinal)
        )
    }
    items = {
        i.id: i
        for i in db.session.scalars(select(WorkItem).where(WorkItem.program_id == program.id))
    }
    item_fixed: defaultdict[int, float] = defaultdict(float)
    other_fixed: defaultdict[str, float] = defaultdict(float)
    planned = select(CostEntry).where(
        CostEntry.program_id == program.id, CostEntry.kind == "planned"
    )
    for entry in db.session.scalars(planned):
        amount = to_program_currency(entry.amount, entry.currency, settings)
        if entry.work_item_id in items:
            item_fixed[entry.work_item_id] += amount
        else:
            other_fixed[phase_keys.get(entry.phase_id or 0, "")] += amount
    if not any(v > 0 for v in labour.values()) and not (item_fixed or other_fixed):
        return None
    live_days = {i.key: i.duration for i in live.items}
    lines = [
        CostLine(
            item.key,
            phase_keys[item.phase_id],
            live_days.get(item.key, item.duration_days),
            labour.get(item.id, 0.0),
            item_fixed.get(item.id, 0.0),
        )
        for item in items.values()
        if item.id in labour or item.id in item_fixed
    ]
    return change_cost(
        lines,
        {i.key: i.duration for i in plan.items},
        phase_keys.values(),
        currency=settings.currency,
        other_fixed=other_fixed,
    )
