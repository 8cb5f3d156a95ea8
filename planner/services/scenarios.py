"""What-if scenarios: copy the live plan, edit the copy, compare, apply or discard.

A scenario lives in its own row (not audited): creating, editing or discarding one never
changes the live plan, its computed dates, its metrics or its audit trail. Applying it writes
its edits to the live rows through the ORM, so each change is audited like a hand edit, then
reschedules — but only when the live plan has not changed since the copy (optimistic
locking on the plan: any audited change to the plan after the copy is a conflict, listed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from planner.domain.errors import ConflictError, NotFoundError
from planner.domain.explain import Explanation
from planner.domain.scenario import (
    Comparison,
    PlanChanges,
    PlanItem,
    PlanLink,
    ScenarioError,
    ScenarioPlan,
    add_link,
    compare,
    edit_item,
    plan_changes,
    remove_link,
)
from planner.domain.schedule import ScheduleResult
from planner.extensions import db
from planner.models import AuditEvent, Dependency, Program, Scenario, WorkItem
from planner.services.audit import current_actor
from planner.services.concurrency import StaleEditError
from planner.services.scheduling import (
    Network,
    Outcome,
    compute,
    load_network,
    program_calendar,
    reschedule,
)

# the audited entities that make up a plan: a change to any of them after the copy is a
# conflict when the scenario is applied
PLAN_ENTITIES = ("workitem", "dependency", "calendar_day", "phase", "program")


class ScenarioConflict(ConflictError):
    """The live plan changed since the scenario was copied; ``changes`` lists what changed."""

    def __init__(self, changes: list[AuditEvent]) -> None:
        self.changes = changes
        super().__init__("scenario.live_plan_changed")


# --------------------------------------------------------------------------- reading


def live_plan(network: Network) -> ScenarioPlan:
    """The editable part of the live plan, as a scenario holds it."""
    phase_keys = {p.id: p.key for p in network.program.phases}
    by_id = network.by_id
    items = tuple(
        PlanItem(
            key=i.key,
            name=i.name,
            phase=phase_keys[i.phase_id],
            kind=i.kind,
            duration=i.duration_days,
            constraint_type=i.constraint_type,
            constraint_date=i.constraint_date,
        )
        for i in network.items
    )
    links = tuple(
        PlanLink(by_id[d.predecessor_id].key, by_id[d.successor_id].key, d.type, d.lag_days)
        for d in sorted(network.dependencies, key=lambda d: d.id)
    )
    return ScenarioPlan(items, links)


def plan_of(scenario: Scenario) -> ScenarioPlan:
    return ScenarioPlan.from_json(scenario.plan)


def list_scenarios(program: Program) -> list[Scenario]:
    return list(
        db.session.scalars(
            select(Scenario)
            .where(Scenario.program_id == program.id)
            .order_by(Scenario.status, Scenario.created_at.desc(), Scenario.id.desc())
        )
    )


def get_scenario(program: Program, scenario_id: int) -> Scenario:
    scenario = db.session.get(Scenario, scenario_id)
    if scenario is None or scenario.program_id != program.id:
        raise NotFoundError.of("", "row.not_found")
    return scenario


def _revision(program: Program) -> int:
    return int(
        db.session.scalar(
            select(func.coalesce(func.max(AuditEvent.id), 0)).where(
                AuditEvent.program_id == program.id
            )
        )
        or 0
    )


def live_changes_since(program: Program, scenario: Scenario) -> list[AuditEvent]:
    """Audited changes to the live plan made after the scenario was copied."""
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.program_id == program.id,
                AuditEvent.id > scenario.base_revision,
                AuditEvent.entity.in_(PLAN_ENTITIES),
            )
            .order_by(AuditEvent.id)
            .limit(50)
        )
    )


# --------------------------------------------------------------------------- scheduling


def _network(program: Program, plan: ScenarioPlan, live: Network) -> Network:
    """The scenario as a network the scheduler reads: transient rows, never added to the
    session (so nothing of it can be written), with the live items' progress."""
    phase_ids = {p.key: p.id for p in program.phases}
    live_items = {i.key: i for i in live.items}
    items = []
    ids: dict[str, int] = {}
    for n, planned in enumerate(plan.items, start=1):
        source = live_items.get(planned.key)
        ids[planned.key] = n
        items.append(
            WorkItem(
                id=n,
                program_id=program.id,
                phase_id=phase_ids[planned.phase],
                key=planned.key,
                kind=planned.kind,
                name=planned.name,
                duration_days=planned.duration,
                constraint_type=planned.constraint_type,
                constraint_date=planned.constraint_date,
                actual_start=source.actual_start if source else None,
                actual_finish=source.actual_finish if source else None,
                percent_complete=source.percent_complete if source else 0,
            )
        )
    dependencies = [
        Dependency(
            id=n,
            program_id=program.id,
            predecessor_id=ids[k.predecessor],
            successor_id=ids[k.successor],
            type=k.type,
            lag_days=k.lag,
        )
        for n, k in enumerate(plan.links, start=1)
    ]
    return Network(program, items, dependencies)


@dataclass(frozen=True)
class ScenarioView:
    """A scenario beside the live plan: its edits, the comparison, and any conflict."""

    scenario: Scenario
    plan: ScenarioPlan
    live: ScenarioPlan
    comparison: Comparison
    changes: PlanChanges
    conflicts: list[AuditEvent]
    result: ScheduleResult


def view_scenario(program: Program, scenario: Scenario, today: date | None = None) -> ScenarioView:
    network = load_network(program)
    live = live_plan(network)
    plan = plan_of(scenario)
    live_result = compute(network, today)
    scenario_result = compute(_network(program, plan, network), today)
    gates = [(p.key, p.window_end) for p in program.phases]
    comparison = compare(live_result, scenario_result, plan, gates, program_calendar(program))
    conflicts = live_changes_since(program, scenario) if scenario.status == "open" else []
    return ScenarioView(
        scenario,
        plan,
        live,
        comparison,
        plan_changes(live, plan),
        conflicts,
        scenario_result,
    )


# --------------------------------------------------------------------------- changing


def create_scenario(program: Program, name: str) -> Scenario:
    name = (name or "").strip()
    if not name:
        raise ScenarioError([("name", Explanation("scenario.name_needed"))])
    scenario = Scenario(
        program_id=program.id,
        name=name[:200],
        created_by=current_actor(),
        base_revision=_revision(program),
        status="open",
        plan=live_plan(load_network(program)).to_json(),
    )
    db.session.add(scenario)
    db.session.flush()
    return scenario


def _editable(scenario: Scenario, version: int | str | None) -> ScenarioPlan:
    if scenario.status != "open":
        raise ScenarioError([("version", Explanation("scenario.closed"))])
    _check_scenario_version(scenario, version)
    return plan_of(scenario)


def _check_scenario_version(scenario: Scenario, version: int | str | None) -> None:
    try:
        submitted = int(version) if version not in (None, "") else None
    except (TypeError, ValueError):
        submitted = None
    if submitted != scenario.version:
        raise StaleEditError("scenario", None, scenario.version)


def _store(scenario: Scenario, plan: ScenarioPlan) -> None:
    scenario.plan = plan.to_json()  # a new value: the JSON column sees the change
    db.session.flush()


def edit_scenario_item(
    scenario: Scenario,
    key: str,
    *,
    duration: int,
    constraint_type: str | None,
    constraint_date: date | None,
    version: int | str | None,
) -> None:
    plan = _editable(scenario, version)
    _store(
        scenario,
        edit_item(
            plan,
            key,
            duration=duration,
            constraint_type=constraint_type,
            constraint_date=constraint_date,
        ),
    )


def add_scenario_link(
    scenario: Scenario,
    predecessor: str,
    successor: str,
    link_type: str,
    lag: int,
    version: int | str | None,
) -> None:
    plan = _editable(scenario, version)
    _store(scenario, add_link(plan, predecessor.strip(), successor.strip(), link_type, lag))


def remove_scenario_link(
    scenario: Scenario, predecessor: str, successor: str, version: int | str | None
) -> None:
    plan = _editable(scenario, version)
    _store(scenario, remove_link(plan, predecessor, successor))


def discard_scenario(scenario: Scenario, version: int | str | None) -> None:
    _check_scenario_version(scenario, version)
    db.session.delete(scenario)
    db.session.flush()


def apply_scenario(program: Program, scenario: Scenario, version: int | str | None) -> Outcome:
    """Make the live plan the scenario's: each change audited; refuse when the live plan
    changed since the copy (:class:`ScenarioConflict`) or the scenario is stale."""
    plan = _editable(scenario, version)
    conflicts = live_changes_since(program, scenario)
    if conflicts:
        raise ScenarioConflict(conflicts)
    network = load_network(program)
    changes = plan_changes(live_plan(network), plan)
    items = {i.key: i for i in network.items}
    for _live, planned in changes.items:
        item = items[planned.key]
        item.duration_days = planned.duration
        item.constraint_type = planned.constraint_type
        item.constraint_date = planned.constraint_date
    by_pair = {
        (network.by_id[d.predecessor_id].key, network.by_id[d.successor_id].key): d
        for d in network.dependencies
    }
    for link in changes.removed_links:
        db.session.delete(by_pair[link.pair])
    for _old, link in changes.changed_links:
        by_pair[link.pair].type = link.type
        by_pair[link.pair].lag_days = link.lag
    db.session.flush()
    for link in changes.added_links:
        db.session.add(
            Dependency(
                program_id=program.id,
                predecessor_id=items[link.predecessor].id,
                successor_id=items[link.successor].id,
                type=link.type,
                lag_days=link.lag,
            )
        )
    scenario.status = "applied"
    return reschedule(program)
