"""Change requests: the requested change, its impact as a what-if scenario, steering's call.

A request is analysed by copying the live plan into a scenario (``services.scenarios``) and
making the requested edit there; the comparison with the live plan is the impact (gates and
finish moved, items moved, risks touched). Steering approves (the scenario is applied to the
live plan, each change audited) or rejects; either way a decision is recorded and the impact
as it stood is kept on the request. Approval is refused when the live plan changed since the
analysis (stale: re-analyse first), nothing changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import selectinload

from planner.domain.access import allows
from planner.domain.change_cost import ChangeCost, PhaseCost
from planner.domain.errors import ConflictError, NotFoundError, Problem, ValidationError
from planner.domain.raid import CHANGE_KINDS, requested_edit
from planner.domain.scenario import ScenarioError
from planner.extensions import db
from planner.models import ChangeRequest, Decision, Phase, Program, Risk, WorkItem
from planner.services import raid
from planner.services import scenarios as what_if
from planner.services.change_cost import price_change
from planner.services.concurrency import check_version


@dataclass(frozen=True)
class GateMove:
    phase: str
    gate: date
    live_finish: date | None
    new_finish: date | None
    shift: int  # working days (+ later)
    over: int  # working days past the gate with the change
    live_over: int = 0  # … and without it


@dataclass(frozen=True)
class Impact:
    gates: list[GateMove]
    live_finish: date
    new_finish: date
    finish_shift: int
    items_moved: int
    risks: list[str]
    stale: bool = False
    # the change's price: planned cost at completion, live plan against the change; None
    # with ``priced`` False when the program tracks no money, None when never recorded
    cost: ChangeCost | None = None
    priced: bool | None = None

    @property
    def gates_moved(self) -> list[GateMove]:
        return [g for g in self.gates if g.shift]

    def to_json(self) -> dict[str, Any]:
        def iso(d: date | None) -> str | None:
            return d.isoformat() if d else None

        return {
            "gates": [
                {
                    "phase": g.phase,
                    "gate": g.gate.isoformat(),
                    "live_finish": iso(g.live_finish),
                    "new_finish": iso(g.new_finish),
                    "shift": g.shift,
                    "over": g.over,
                    "live_over": g.live_over,
                }
                for g in self.gates
            ],
            "live_finish": self.live_finish.isoformat(),
            "new_finish": self.new_finish.isoformat(),
            "finish_shift": self.finish_shift,
            "items_moved": self.items_moved,
            "risks": self.risks,
            "priced": self.priced,
            "cost": _cost_json(self.cost),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Impact:
        def day(v: str | None) -> date | None:
            return date.fromisoformat(v) if v else None

        gates = [
            GateMove(
                g["phase"],
                date.fromisoformat(g["gate"]),
                day(g["live_finish"]),
                day(g["new_finish"]),
                int(g["shift"]),
                int(g["over"]),
                int(g.get("live_over", 0)),
            )
            for g in data.get("gates", [])
        ]
        return cls(
            gates,
            date.fromisoformat(data["live_finish"]),
            date.fromisoformat(data["new_finish"]),
            int(data["finish_shift"]),
            int(data["items_moved"]),
            list(data.get("risks", [])),
            cost=_cost_from_json(data.get("cost")),
            priced=data.get("priced"),
        )


def _cost_json(cost: ChangeCost | None) -> dict[str, Any] | None:
    if cost is None:
        return None
    return {
        "currency": cost.currency,
        "phases": [{"phase": p.phase, "live": p.live, "new": p.new} for p in cost.phases],
        "live": cost.live,
        "new": cost.new,
        "delta": cost.delta,
    }


def _cost_from_json(data: dict[str, Any] | None) -> ChangeCost | None:
    if not data:
        return None
    return ChangeCost(
        str(data["currency"]),
        tuple(
            PhaseCost(str(p["phase"]), float(p["live"]), float(p["new"])) for p in data["phases"]
        ),
    )


# --------------------------------------------------------------------------- reading


def list_changes(program: Program) -> list[ChangeRequest]:
    return list(
        db.session.scalars(
            select(ChangeRequest)
            .where(ChangeRequest.program_id == program.id)
            .order_by(ChangeRequest.id)
        )
    )


def get_change(program: Program, change_id: int) -> ChangeRequest:
    change = db.session.get(ChangeRequest, change_id)
    if change is None or change.program_id != program.id:
        raise NotFoundError(problems=[Problem("", "row.not_found")])
    return change


def _touched_risks(program: Program, moved_items: set[str], moved_phases: set[str]) -> list[str]:
    """Open risks that threaten a moved item or a phase whose finish moved."""
    open_risks = [risk for risk in program.risks if risk.is_open]
    links = {"item_links", "phase_links"}
    if any(inspect(r).persistent and links & inspect(r).unloaded for r in open_risks):
        # the links of every risk in two queries, not two a risk as each is read
        db.session.scalars(
            select(Risk)
            .where(Risk.program_id == program.id)
            .options(selectinload(Risk.item_links), selectinload(Risk.phase_links))
        ).all()
    touched = []
    for risk in open_risks:
        items = {k.work_item.key for k in risk.item_links}
        phases = {k.phase.key for k in risk.phase_links}
        if risk.proximity_phase is not None:
            phases.add(risk.proximity_phase.key)
        if items & moved_items or phases & moved_phases:
            touched.append(risk.key)
    return sorted(touched, key=lambda k: (len(k), k))


def impact_of(program: Program, change: ChangeRequest, today: date | None = None) -> Impact | None:
    """The impact: kept as decided, or computed now from the request's scenario."""
    if not change.is_pending and change.impact:
        return Impact.from_json(change.impact)
    if change.scenario is None:
        return None
    view = what_if.view_scenario(program, change.scenario, today)
    comparison = view.comparison
    gates = [
        GateMove(
            g.phase, g.gate, g.live_finish, g.scenario_finish, g.shift, g.scenario_over, g.live_over
        )
        for g in comparison.gates
    ]
    moved_phases = {g.phase for g in gates if g.shift}
    moved_items = {m.key for m in comparison.moved} | {live.key for live, _ in view.changes.items}
    cost = price_change(program, view.live, view.plan)
    return Impact(
        gates,
        comparison.live_finish,
        comparison.scenario_finish,
        comparison.finish_shift,
        len(comparison.moved),
        _touched_risks(program, moved_items, moved_phases),
        stale=bool(view.conflicts),
        cost=cost,
        priced=cost is not None,
    )


# --------------------------------------------------------------------------- requesting


def _clean(program: Program, data: dict[str, Any]) -> dict[str, Any]:
    problems: list[Problem] = []
    clean: dict[str, Any] = {
        "title": raid._text(data, "title", problems, required=True),
        "requester": raid._text(data, "requester", problems, required=True),
        "justification": str(data.get("justification") or "").strip(),
        "description": str(data.get("description") or "").strip(),
        "new_date": raid._date(data, "new_date", problems),
    }
    kind = str(data.get("kind") or "")
    if kind not in CHANGE_KINDS:
        problems.append(Problem("kind", "field.not_a_choice", {"value": kind}))
    clean["kind"] = kind
    days = data.get("days")
    clean["days"] = None
    if days not in (None, ""):
        try:
            clean["days"] = int(days)
        except (TypeError, ValueError):
            problems.append(Problem("days", "field.not_a_number"))
    clean["work_item"] = _ref(WorkItem, program, data.get("work_item"), "work_item", problems)
    clean["phase"] = _ref(Phase, program, data.get("phase"), "phase", problems)
    if kind == "phase_scope" and clean["phase"] is None and "phase" not in _fields(problems):
        problems.append(Problem("phase", "field.required"))
    raid._raise(problems)
    return clean


def _fields(problems: list[Problem]) -> set[str]:
    return {p.field for p in problems}


def _ref(model: Any, program: Program, ref: Any, field: str, problems: list[Problem]) -> Any:
    if ref in (None, ""):
        return None
    row = raid.find_in_program(model, program, ref)
    if row is None:
        problems.append(Problem(field, "field.unknown_reference", {"value": str(ref)}))
    return row


def _analyse(program: Program, change: ChangeRequest) -> None:
    """Copy the live plan into a new scenario and make the requested edit there."""
    item = change.work_item
    edit = requested_edit(
        change.kind,
        item_key=item.key if item else None,
        item_kind=item.kind if item else None,
        duration=item.duration_days if item else None,
        constraint_type=item.constraint_type if item else None,
        constraint_date=item.constraint_date if item else None,
        days=change.days,
        new_date=change.new_date,
    )
    scenario = what_if.create_scenario(program, f"{change.key}: {change.title}")
    if edit is not None:
        try:
            what_if.edit_scenario_item(
                scenario,
                edit.key,
                duration=edit.duration,
                constraint_type=edit.constraint_type,
                constraint_date=edit.constraint_date,
                version=scenario.version,
            )
        except ScenarioError as exc:
            field, reason = exc.reasons[0]
            raise ValidationError.of("days", reason.code, **dict(reason.params)) from exc
    change.scenario = scenario


def create_change(program: Program, data: dict[str, Any], today: date) -> ChangeRequest:
    """Record a change request (pending) and run its impact analysis."""
    clean = _clean(program, data)
    keys = db.session.scalars(
        select(ChangeRequest.key).where(ChangeRequest.program_id == program.id)
    )
    change = ChangeRequest(
        program_id=program.id,
        key=raid._allocate(program.id, "change", "CR", keys),
        requested_on=today,
        status="pending",
        **clean,
    )
    db.session.add(change)
    db.session.flush()
    _analyse(program, change)
    db.session.flush()
    return change


def reanalyse(program: Program, change: ChangeRequest, version: Any) -> None:
    """Run the analysis again on today's live plan (after it changed: a stale impact)."""
    check_version(change, version)
    _pending(change)
    old = change.scenario
    _analyse(program, change)
    if old is not None:
        db.session.delete(old)
    db.session.flush()


def withdraw(change: ChangeRequest, version: Any) -> None:
    check_version(change, version)
    _pending(change)
    change.status = "withdrawn"
    _drop_scenario(change)
    db.session.flush()


def _pending(change: ChangeRequest) -> None:
    if not change.is_pending:
        raise ValidationError.of("status", "raid.change.not_pending", status=change.status)


def _drop_scenario(change: ChangeRequest) -> None:
    if change.scenario is not None and change.scenario.status == "open":
        db.session.delete(change.scenario)
    change.scenario = None


# --------------------------------------------------------------------------- deciding


def _check_decider(role: str | None) -> None:
    if not allows(role, "decide"):
        raise ValidationError.of("", "raid.change.steering_only")


def decide(
    program: Program,
    change: ChangeRequest,
    *,
    approve: bool,
    version: Any,
    role: str | None,
    rationale: str,
    options: str,
    today: date,
) -> Decision:
    """Steering approves (the scenario becomes the live plan) or rejects the request; a
    decision is recorded either way. ``role``: the decider's role in the program."""
    _check_decider(role)
    check_version(change, version)
    _pending(change)
    impact = impact_of(program, change, today)
    if approve:
        if change.scenario is None or change.scenario.status != "open" or impact is None:
            raise ValidationError.of("", "raid.change.no_analysis")
        if impact.stale:
            raise ConflictError(problems=[Problem("", "raid.change.stale", {"key": change.key})])
        try:
            what_if.apply_scenario(program, change.scenario, change.scenario.version)
        except what_if.ScenarioConflict as exc:
            raise ConflictError(
                problems=[Problem("", "raid.change.stale", {"key": change.key})]
            ) from exc
    change.impact = impact.to_json() if impact else None
    change.status = "approved" if approve else "rejected"
    if not approve:
        _drop_scenario(change)
    decision = raid.record_decision(
        program,
        {
            "title": f"{change.key}: {change.title}"[:300],
            "rationale": rationale,
            "options": options,
            "change_request": change,
        },
        today,
    )
    db.session.flush()
    return decision


def pending_changes(program: Program) -> list[ChangeRequest]:
    return [c for c in list_changes(program) if c.is_pending]


def risk_keys(program: Program) -> list[str]:
    return [r.key for r in db.session.scalars(select(Risk).where(Risk.program_id == program.id))]
