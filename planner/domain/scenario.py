"""What-if scenarios as plain data: a copy of the plan, edits to it, and how it compares.

A scenario holds what a person may change in a plan — each item's duration and constraint,
and the dependency links — beside what it was copied with (names, phases, progress). Edits
return a new plan (the old one is untouched); problems are
:class:`~planner.domain.explain.Explanation` codes. :func:`compare` says what the scenario
would do to the live plan: the phases' forecast finishes against their gates, the program's
finish, the critical path and the items that move, in working days of the program's calendar.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import networkx as nx

from planner.domain.calendar import WorkCalendar
from planner.domain.cycles import closing_cycle, cycle_text
from planner.domain.explain import Explanation
from planner.domain.limits import MAX_TASK_DAYS
from planner.domain.replan import ReplanError
from planner.domain.schedule import MAX_LAG, ScheduleResult

LINK_TYPES = ("FS", "SS", "FF", "SF")
CONSTRAINT_TYPES = ("SNET", "FNLT")


class ScenarioError(ReplanError):
    """An edit of a scenario that breaks a rule; ``reasons`` holds ``(field, Explanation)``."""


@dataclass(frozen=True)
class PlanItem:
    key: str
    name: str
    phase: str
    kind: str
    duration: int
    constraint_type: str | None = None
    constraint_date: date | None = None


@dataclass(frozen=True)
class PlanLink:
    predecessor: str
    successor: str
    type: str = "FS"
    lag: int = 0

    @property
    def pair(self) -> tuple[str, str]:
        return (self.predecessor, self.successor)


@dataclass(frozen=True)
class ScenarioPlan:
    items: tuple[PlanItem, ...]
    links: tuple[PlanLink, ...]

    def item(self, key: str) -> PlanItem | None:
        return next((i for i in self.items if i.key == key), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "items": [
                {
                    "key": i.key,
                    "name": i.name,
                    "phase": i.phase,
                    "kind": i.kind,
                    "duration": i.duration,
                    "constraint_type": i.constraint_type,
                    "constraint_date": i.constraint_date.isoformat() if i.constraint_date else None,
                }
                for i in self.items
            ],
            "links": [
                {
                    "predecessor": k.predecessor,
                    "successor": k.successor,
                    "type": k.type,
                    "lag": k.lag,
                }
                for k in self.links
            ],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ScenarioPlan:
        items = tuple(
            PlanItem(
                key=i["key"],
                name=i["name"],
                phase=i["phase"],
                kind=i["kind"],
                duration=int(i["duration"]),
                constraint_type=i.get("constraint_type"),
                constraint_date=(
                    date.fromisoformat(i["constraint_date"]) if i.get("constraint_date") else None
                ),
            )
            for i in data.get("items", [])
        )
        links = tuple(
            PlanLink(k["predecessor"], k["successor"], k["type"], int(k["lag"]))
            for k in data.get("links", [])
        )
        return cls(items, links)


# --------------------------------------------------------------------------- edits


def edit_item(
    plan: ScenarioPlan,
    key: str,
    *,
    duration: int,
    constraint_type: str | None,
    constraint_date: date | None,
) -> ScenarioPlan:
    """The plan with ``key``'s duration and constraint changed."""
    item = plan.item(key)
    if item is None:
        raise ScenarioError([("key", Explanation("scenario.unknown_item", {"key": key}))])
    reasons: list[tuple[str, Explanation]] = []
    low = 0 if item.kind == "milestone" else 1
    high = 0 if item.kind == "milestone" else MAX_TASK_DAYS
    if not low <= duration <= high:
        reasons.append(
            ("duration_days", Explanation("scenario.duration_range", {"max": MAX_TASK_DAYS}))
        )
    constraint_type = constraint_type or None
    if constraint_type is not None and constraint_type not in CONSTRAINT_TYPES:
        reasons.append(("constraint_type", Explanation("scenario.date_needs_constraint")))
    if constraint_type and constraint_date is None:
        reasons.append(("constraint_date", Explanation("scenario.constraint_needs_date")))
    if not constraint_type and constraint_date is not None:
        reasons.append(("constraint_type", Explanation("scenario.date_needs_constraint")))
    if reasons:
        raise ScenarioError(reasons)
    changed = replace(
        item,
        duration=duration,
        constraint_type=constraint_type,
        constraint_date=constraint_date if constraint_type else None,
    )
    return replace(plan, items=tuple(changed if i.key == key else i for i in plan.items))


def add_link(
    plan: ScenarioPlan, predecessor: str, successor: str, link_type: str, lag: int
) -> ScenarioPlan:
    """The plan with one more dependency; refuse an unknown item, a duplicate or a cycle."""
    reasons: list[tuple[str, Explanation]] = []
    for field, key in (("predecessor", predecessor), ("successor", successor)):
        if plan.item(key) is None:
            reasons.append((field, Explanation("scenario.unknown_item", {"key": key})))
    if predecessor == successor:
        reasons.append(("successor", Explanation("scenario.self_link")))
    if link_type not in LINK_TYPES:
        reasons.append(("type", Explanation("scenario.unknown_link")))
    if not -MAX_LAG <= lag <= MAX_LAG:
        reasons.append(("lag_days", Explanation("scenario.lag_range", {"limit": MAX_LAG})))
    if any(k.pair == (predecessor, successor) for k in plan.links):
        names = {"predecessor": predecessor, "successor": successor}
        reasons.append(("successor", Explanation("scenario.duplicate_link", names)))
    if reasons:
        raise ScenarioError(reasons)
    cycle = closing_cycle(nx.DiGraph([k.pair for k in plan.links]), predecessor, successor)
    if cycle:
        names = {"cycle": cycle_text(cycle)}
        raise ScenarioError([("successor", Explanation("dependency.cycle", names))])
    link = PlanLink(predecessor, successor, link_type, lag)
    return replace(plan, links=(*plan.links, link))


def remove_link(plan: ScenarioPlan, predecessor: str, successor: str) -> ScenarioPlan:
    kept = tuple(k for k in plan.links if k.pair != (predecessor, successor))
    if len(kept) == len(plan.links):
        raise ScenarioError([("link", Explanation("scenario.unknown_link"))])
    return replace(plan, links=kept)


# --------------------------------------------------------------------------- differences


@dataclass(frozen=True)
class PlanChanges:
    """What a scenario changes in a plan (what applying it would write)."""

    items: list[tuple[PlanItem, PlanItem]]  # (live, scenario) of each changed item
    added_links: list[PlanLink]
    removed_links: list[PlanLink]
    changed_links: list[tuple[PlanLink, PlanLink]]

    @property
    def empty(self) -> bool:
        return not (self.items or self.added_links or self.removed_links or self.changed_links)


def plan_changes(live: ScenarioPlan, scenario: ScenarioPlan) -> PlanChanges:
    live_items = {i.key: i for i in live.items}
    items = [
        (live_items[i.key], i)
        for i in scenario.items
        if i.key in live_items and live_items[i.key] != i
    ]
    live_links = {k.pair: k for k in live.links}
    new_links = {k.pair: k for k in scenario.links}
    return PlanChanges(
        items=items,
        added_links=[k for pair, k in new_links.items() if pair not in live_links],
        removed_links=[k for pair, k in live_links.items() if pair not in new_links],
        changed_links=[
            (live_links[pair], k)
            for pair, k in new_links.items()
            if pair in live_links and live_links[pair] != k
        ],
    )


# --------------------------------------------------------------------------- comparison


@dataclass(frozen=True)
class GateShift:
    """A phase's forecast finish against its gate, live and in the scenario."""

    phase: str
    gate: date
    live_finish: date | None
    scenario_finish: date | None
    shift: int  # working days the phase's finish moves (+ later)
    live_over: int  # working days past the gate (0: on time)
    scenario_over: int

    @property
    def moved(self) -> bool:
        return self.shift != 0


@dataclass(frozen=True)
class ItemShift:
    key: str
    name: str
    live_start: date
    live_finish: date
    start: date
    finish: date
    start_shift: int
    finish_shift: int


@dataclass(frozen=True)
class Comparison:
    gates: list[GateShift]
    live_finish: date
    scenario_finish: date
    finish_shift: int
    became_critical: list[str]
    left_critical: list[str]
    moved: list[ItemShift]

    @property
    def gates_moved(self) -> list[GateShift]:
        return [g for g in self.gates if g.moved]


def _phase_finishes(result: ScheduleResult, phase_of: Mapping[str, str]) -> dict[str, date]:
    finishes: dict[str, date] = {}
    for key, scheduled in result.items.items():
        phase = phase_of.get(key)
        if phase is not None:
            finishes[phase] = max(
                finishes.get(phase, scheduled.early_finish), scheduled.early_finish
            )
    return finishes


def compare(
    live: ScheduleResult,
    scenario: ScheduleResult,
    plan: ScenarioPlan,
    gates: list[tuple[str, date]],
    calendar: WorkCalendar,
) -> Comparison:
    """What the scenario does to the live plan; ``gates`` are (phase key, gate date) in order."""
    phase_of = {i.key: i.phase for i in plan.items}
    names = {i.key: i.name for i in plan.items}
    live_phase = _phase_finishes(live, phase_of)
    scenario_phase = _phase_finishes(scenario, phase_of)

    def over(finish: date | None, gate: date) -> int:
        # working days after the gate up to and including the finish
        if finish is None or finish <= gate:
            return 0
        return calendar.workdays_between(gate + timedelta(days=1), finish + timedelta(days=1))

    gate_rows = []
    for phase, gate in gates:
        a, b = live_phase.get(phase), scenario_phase.get(phase)
        shift = calendar.workdays_between(a, b) if a and b else 0
        gate_rows.append(GateShift(phase, gate, a, b, shift, over(a, gate), over(b, gate)))
    live_critical = {k for k, s in live.items.items() if s.critical}
    scenario_critical = {k for k, s in scenario.items.items() if s.critical}
    moved = []
    for key, after in scenario.items.items():
        before = live.items.get(key)
        if before is None:
            continue
        if (before.early_start, before.early_finish) != (after.early_start, after.early_finish):
            moved.append(
                ItemShift(
                    key,
                    names.get(key, key),
                    before.early_start,
                    before.early_finish,
                    after.early_start,
                    after.early_finish,
                    calendar.workdays_between(before.early_start, after.early_start),
                    calendar.workdays_between(before.early_finish, after.early_finish),
                )
            )
    moved.sort(key=lambda m: (-abs(m.finish_shift), m.key))
    return Comparison(
        gates=gate_rows,
        live_finish=live.finish,
        scenario_finish=scenario.finish,
        finish_shift=calendar.workdays_between(live.finish, scenario.finish),
        became_critical=sorted(scenario_critical - live_critical),
        left_critical=sorted(live_critical - scenario_critical),
        moved=moved,
    )
