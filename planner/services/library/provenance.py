"""Where a program's rows came from and whether the program edited them (read from the audit
trail), and the snapshot the upgrade plans from (see the package's notes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm.attributes import set_committed_value

import planner.models.library  # noqa: F401  (registers the library tables)
from planner.domain.playbook import (
    Playbook,
)
from planner.domain.playbook_diff import (
    keyed_gate,
    link_key,
    split_link_key,
)
from planner.domain.playbook_provenance import TrailEvent, trail_marks
from planner.domain.playbook_upgrade import (
    ProgramGateCriterion,
    ProgramItem,
    ProgramLink,
    ProgramMetric,
    ProgramRisk,
    ProgramSnapshot,
)
from planner.extensions import db
from planner.models import (
    AuditEvent,
    Dependency,
    GateCriterion,
    Metric,
    MetricReading,
    MetricTarget,
    Phase,
    Program,
    Risk,
    WorkItem,
)
from planner.models.gate import GateDecision
from planner.models.library import PlaybookUpgrade
from planner.services.scheduling import load_network

# --------------------------------------------------------------------------- provenance

#: The fields of each audited row that the playbook gives it: an update of one is an edit.
EDIT_FIELDS: dict[str, frozenset[str]] = {
    "workitem": frozenset(
        {
            "kind",
            "name",
            "name_zh",
            "phase_id",
            "duration_days",
            "workstream",
            "owner_role",
            "deliverable",
            "deliverable_zh",
        }
    ),
    "dependency": frozenset({"type", "lag_days", "predecessor_id", "successor_id"}),
    "risk": frozenset(
        {
            "title",
            "title_zh",
            "description",
            "description_zh",
            "category",
            "cause",
            "effect",
            "likelihood",
            "impact",
            "response",
            "mitigation",
            "mitigation_zh",
        }
    ),
    "metric": frozenset(
        {"name", "name_zh", "unit", "direction", "baseline", "description", "description_zh"}
    ),
    "gatecriterion": frozenset({"kind", "reference", "text", "text_zh", "phase_id"}),
}
_TARGET_ENTITY = "metrictarget"
_TRACKED = (*EDIT_FIELDS, _TARGET_ENTITY)


@dataclass(frozen=True)
class Provenance:
    """What the audit trail says about a program's rows (see the module notes)."""

    created: frozenset[tuple[str, int]]  # (entity, id) made with the program or by an upgrade
    edited: frozenset[tuple[str, int]]
    edited_targets: frozenset[str]  # metric keys whose targets a person changed
    has_trail: bool

    def from_playbook(self, entity: str, row_id: int, key_in_playbook: bool) -> bool:
        if not key_in_playbook:
            return False
        return (entity, row_id) in self.created if self.has_trail else True

    def is_edited(self, entity: str, row_id: int) -> bool:
        return (entity, row_id) in self.edited


def provenance(program: Program) -> Provenance:
    """Read the program's trail once: creation run, upgrades, and edits of playbook fields."""
    upgrades = db.session.execute(
        select(PlaybookUpgrade.first_audit_id, PlaybookUpgrade.last_audit_id).where(
            PlaybookUpgrade.program_id == program.id
        )
    ).all()
    ranges = [(a, b) for a, b in upgrades if a is not None and b is not None]
    creation = _creation_run(program)
    events = db.session.execute(
        select(
            AuditEvent.id,
            AuditEvent.action,
            AuditEvent.entity,
            AuditEvent.entity_id,
            AuditEvent.entity_label,
            AuditEvent.field,
        )
        .where(AuditEvent.program_id == program.id, AuditEvent.entity.in_(_TRACKED))
        .order_by(AuditEvent.id)
    ).all()
    marks = trail_marks(
        (TrailEvent(*event) for event in events), creation, ranges, EDIT_FIELDS, _TARGET_ENTITY
    )
    return Provenance(marks.created, marks.edited, marks.edited_targets, creation[0] is not None)


def _creation_run(program: Program) -> tuple[int | None, int | None]:
    """The id of the program's own "create" event and of the first event after it that is
    not a "create" (None when the trail has none)."""
    start = db.session.scalar(
        select(func.min(AuditEvent.id)).where(
            AuditEvent.program_id == program.id,
            AuditEvent.entity == "program",
            AuditEvent.entity_id == program.id,
            AuditEvent.action == "create",
        )
    )
    if start is None:
        return None, None
    end = db.session.scalar(
        select(func.min(AuditEvent.id)).where(
            AuditEvent.program_id == program.id,
            AuditEvent.id > start,
            AuditEvent.action != "create",
        )
    )
    return start, end


# --------------------------------------------------------------------------- snapshot


@dataclass
class ProgramRows:
    """A program's plan, register and gates, loaded in a fixed number of queries."""

    program: Program
    phases: dict[str, Phase]
    items: dict[str, WorkItem]
    links: dict[str, Dependency]  # by "pred → succ"
    risks: dict[str, Risk]
    metrics: dict[str, Metric]
    gates: dict[tuple[str, str], GateCriterion]  # (phase key, criterion key)
    readings: set[int]  # metric ids with readings


def _gate_key(row: GateCriterion) -> str:
    return ProgramGateCriterion(
        phase_key="",
        kind=row.kind,  # type: ignore[arg-type]  # the column's check constraint allows only the Literal's values
        reference=row.reference,
        text=row.text,
        text_zh=row.text_zh,
        from_playbook=False,
        edited=False,
    ).key


def load_rows(program: Program) -> ProgramRows:
    phases = list(db.session.scalars(select(Phase).where(Phase.program_id == program.id)))
    network = load_network(program)
    items, deps = network.items, network.dependencies
    risks = list(
        db.session.scalars(select(Risk).where(Risk.program_id == program.id).order_by(Risk.id))
    )
    metrics = _metrics_with_targets(program)
    criteria = list(
        db.session.scalars(
            select(GateCriterion)
            .join(Phase)
            .where(Phase.program_id == program.id)
            .order_by(GateCriterion.phase_id, GateCriterion.position, GateCriterion.id)
        )
    )
    readings = set(
        db.session.scalars(
            select(MetricReading.metric_id)
            .join(Metric)
            .where(Metric.program_id == program.id)
            .distinct()
        )
    )
    return ProgramRows(
        program,
        {p.key: p for p in phases},
        {i.key: i for i in items},
        _links_by_key(deps, {i.id: i for i in items}),
        {r.key: r for r in risks},
        {m.key: m for m in metrics},
        _gates_by_key(criteria, {p.id: p for p in phases}),
        readings,
    )


def _metrics_with_targets(program: Program) -> list[Metric]:
    """The program's metrics, each with its targets in phase order (two queries)."""
    metrics = list(
        db.session.scalars(
            select(Metric).where(Metric.program_id == program.id).order_by(Metric.id)
        )
    )
    targets = list(
        db.session.scalars(select(MetricTarget).join(Metric).where(Metric.program_id == program.id))
    )
    by_metric: dict[int, list[MetricTarget]] = {}
    for target in targets:
        by_metric.setdefault(target.metric_id, []).append(target)
    for metric in metrics:
        # fill the relationship from the one query (no lazy load per metric)
        set_committed_value(
            metric, "targets", sorted(by_metric.get(metric.id, []), key=lambda t: t.phase_ordinal)
        )
    return metrics


def _gates_by_key(
    criteria: list[GateCriterion], phase_by_id: dict[int, Phase]
) -> dict[tuple[str, str], GateCriterion]:
    """The criteria by (phase key, criterion key); repeated keys get ``#2``, ``#3`` …"""
    gates: dict[tuple[str, str], GateCriterion] = {}
    for row in criteria:
        phase_key = phase_by_id[row.phase_id].key
        base = _gate_key(row)
        key, n = base, 1
        while (phase_key, key) in gates:
            n += 1
            key = f"{base}#{n}"
        gates[(phase_key, key)] = row
    return gates


def _links_by_key(deps: list[Dependency], item_by_id: dict[int, WorkItem]) -> dict[str, Dependency]:
    """The dependencies by ``"pred → succ"`` (those whose two items are known)."""
    links = {}
    for dep in deps:
        pred, succ = item_by_id.get(dep.predecessor_id), item_by_id.get(dep.successor_id)
        if pred is not None and succ is not None:
            links[link_key(pred.key, succ.key)] = dep
    return links


def _playbook_gate_keys(playbook: Playbook) -> set[tuple[str, str]]:
    return {(p.key, key) for p in playbook.phases for key in keyed_gate(p.gate)}


def started(item: WorkItem) -> bool:
    """Work has begun on the item: it has an actual start or some percent complete."""
    return item.percent_complete > 0 or item.actual_start is not None


def closed_phases(rows: ProgramRows, today: date) -> tuple[list[str], str | None]:
    """The program's closed phases (gate date passed, or a decision recorded at the gate),
    in order, and the first phase that is not closed (None when every one is)."""
    decided = set(
        db.session.scalars(
            select(GateDecision.phase_id).where(GateDecision.program_id == rows.program.id)
        )
    )
    ordered = sorted(rows.phases.values(), key=lambda p: p.ordinal)
    closed = [p.key for p in ordered if p.window_end < today or p.id in decided]
    current = next((p.key for p in ordered if p.key not in closed), None)
    return closed, current


def snapshot(
    rows: ProgramRows, old: Playbook, trail: Provenance, today: date | None = None
) -> ProgramSnapshot:
    """The program as the upgrade planner sees it (see the module notes for the two flags);
    with ``today``, also which phases are closed (an upgrade never reopens them)."""
    closed, current = closed_phases(rows, today) if today is not None else ([], None)
    return ProgramSnapshot(
        items=_snapshot_items(rows, old, trail),
        links=_snapshot_links(rows, old, trail),
        risks=_snapshot_risks(rows, old, trail),
        metrics=_snapshot_metrics(rows, old, trail),
        gate_criteria=_snapshot_gates(rows, old, trail),
        phases=set(rows.phases),
        closed_phases=closed,
        current_phase=current,
        closed_ordinals=[rows.phases[key].ordinal for key in closed],
    )


def _snapshot_items(rows: ProgramRows, old: Playbook, trail: Provenance) -> dict[str, ProgramItem]:
    phase_key_of = {p.id: p.key for p in rows.phases.values()}
    old_items = {item.key for _phase, item in old.work_items()}
    return {
        key: ProgramItem(
            key=key,
            phase_key=phase_key_of[item.phase_id],
            name=item.name,
            name_zh=item.name_zh,
            duration=item.duration_days,
            workstream=item.workstream,
            owner_role=item.owner_role,
            kind="milestone" if item.kind == "milestone" else "task",
            from_playbook=trail.from_playbook("workitem", item.id, key in old_items),
            edited=trail.is_edited("workitem", item.id) or started(item),
            has_progress=started(item),
        )
        for key, item in rows.items.items()
    }


def _snapshot_links(rows: ProgramRows, old: Playbook, trail: Provenance) -> list[ProgramLink]:
    old_links = {
        link_key(d.key, item.key) for _phase, item in old.work_items() for d in item.depends_on
    }
    links = []
    for key, dep in rows.links.items():
        pred, succ = split_link_key(key)
        links.append(
            ProgramLink(
                predecessor=pred,
                successor=succ,
                type=dep.type,
                lag=dep.lag_days,
                from_playbook=trail.from_playbook("dependency", dep.id, key in old_links),
                edited=trail.is_edited("dependency", dep.id),
            )
        )
    return links


def _snapshot_risks(rows: ProgramRows, old: Playbook, trail: Provenance) -> dict[str, ProgramRisk]:
    old_risks = {r.key for r in old.risks}
    return {
        key: ProgramRisk(
            key=key,
            title=risk.title,
            title_zh=risk.title_zh,
            likelihood=risk.likelihood,
            impact=risk.impact,
            response=risk.response,
            mitigation=risk.mitigation or None,
            mitigation_zh=risk.mitigation_zh,
            from_playbook=trail.from_playbook("risk", risk.id, key in old_risks),
            edited=trail.is_edited("risk", risk.id),
        )
        for key, risk in rows.risks.items()
    }


def _snapshot_metrics(
    rows: ProgramRows, old: Playbook, trail: Provenance
) -> dict[str, ProgramMetric]:
    old_metrics = {m.key for m in old.metrics}
    return {
        key: ProgramMetric(
            key=key,
            targets={t.phase_ordinal: t.target for t in metric.targets},
            from_playbook=trail.from_playbook("metric", metric.id, key in old_metrics),
            edited=trail.is_edited("metric", metric.id) or key in trail.edited_targets,
            has_readings=metric.id in rows.readings,
        )
        for key, metric in rows.metrics.items()
    }


def _snapshot_gates(
    rows: ProgramRows, old: Playbook, trail: Provenance
) -> list[ProgramGateCriterion]:
    old_gates = _playbook_gate_keys(old)
    return [
        ProgramGateCriterion(
            phase_key=phase_key,
            kind=row.kind,  # type: ignore[arg-type]  # the column's check constraint allows only the Literal's values
            reference=row.reference,
            text=row.text,
            text_zh=row.text_zh,
            from_playbook=trail.from_playbook(
                "gatecriterion", row.id, (phase_key, key) in old_gates
            ),
            edited=trail.is_edited("gatecriterion", row.id),
            judged=row.met is not None,
        )
        for (phase_key, key), row in rows.gates.items()
    ]
