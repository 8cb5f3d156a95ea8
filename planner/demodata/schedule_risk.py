"""Demo content for the schedule risk analysis: the ranges the lead and the consultants agreed
at the diagnosis, one workstream that moves as one, and the schedule effect of the risks the
register already links to work items.

The story: data migration is the least predictable work (legacy data nobody has profiled in
years), its tasks run long or short together; the configurator build carries the
customisation risk; data cleansing carries the legacy-data risk. The steering committee can
see phase 2's gate chance and what mitigating the legacy-data risk would buy.
"""

from __future__ import annotations

from datetime import date

from planner.extensions import db
from planner.models import Program, Risk
from planner.services import schedule_risk as service

# phase ordinal → (low %, high %): later phases are less certain (built on what came before)
PHASE_RANGES = {0: (-5, 20), 1: (-10, 30), 2: (-10, 40), 3: (-10, 40), 4: (-10, 35)}
STREAM = ("data-migration", -10, 60, 0.6)  # name, low %, high %, correlation
ITEM_RANGES = {"configurator-build": (12, 40, "triangular")}  # optimistic, pessimistic days
# risk key → (delay days, delay % of each item, residual delay days)
RISK_DELAYS = {
    "cleaning-legacy-data": (10, 0, 3),
    "software-customisation": (0, 25, 3),
    "R-11": (8, 0, 2),  # key users leave during the pilot: phase 2 training and UAT
    "finding-process-gaps": (5, 0, 2),
}


def populate(program: Program, today: date) -> None:
    phases = {p.ordinal: p for p in program.phases}
    for ordinal, (low, high) in PHASE_RANGES.items():
        if ordinal in phases:
            service.save_range(program, "phase", phases[ordinal].key, low, high, "pert")
    name, low, high, correlation = STREAM
    if name in service.workstreams(program):
        service.save_range(program, "workstream", name, low, high, "pert", correlation)
    items = {i.key: i for i in program.work_items}
    for key, (optimistic, pessimistic, shape) in ITEM_RANGES.items():
        item = items.get(key)
        if item is not None and optimistic <= item.duration_days <= pessimistic:
            service.set_item_range(item, optimistic, pessimistic, shape, item.version)
    risks = {r.key: r for r in db.session.query(Risk).filter_by(program_id=program.id)}
    for key, (days, pct, residual) in RISK_DELAYS.items():
        risk = risks.get(key)
        if risk is not None:
            service.set_risk_delay(risk, days or None, pct or None, None, residual, risk.version)
    db.session.flush()
