"""Upgrading a program to a newer playbook version: the plan, the lead's decisions, and the rows
written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

import planner.models.library  # noqa: F401  (registers the library tables)
from planner.domain.errors import NotFoundError
from planner.domain.playbook import Playbook, Task
from planner.domain.playbook_diff import (
    keyed_gate,
    split_link_key,
)
from planner.domain.playbook_rows import criterion_row, en_column, zh_column
from planner.domain.playbook_upgrade import (
    Conflict,
    UpgradeAction,
    UpgradePlan,
    apply_decisions,
    plan_upgrade,
)
from planner.extensions import db
from planner.models import (
    AuditEvent,
    Dependency,
    GateCriterion,
    MetricTarget,
    Program,
    WorkItem,
)
from planner.models.library import PlaybookUpgrade
from planner.models.risk import RiskWorkItemLink
from planner.services.concurrency import check_version
from planner.services.library.provenance import (
    ProgramRows,
    load_rows,
    provenance,
    snapshot,
    started,
)
from planner.services.playbooks import (
    find_installed,
    installed_playbooks,
    version_key,
)
from planner.services.programs import metric_from_playbook, risk_from_playbook
from planner.services.scheduling import reschedule

# --------------------------------------------------------------------------- upgrade


@dataclass(frozen=True)
class UpgradeContext:
    program: Program
    old: Playbook
    new: Playbook
    plan: UpgradePlan
    newer_versions: list[str]
    history: list[PlaybookUpgrade]
    started: frozenset[str] = frozenset()  # keys of work items under way or done

    @property
    def is_noop(self) -> bool:
        return not self.plan.conflicts and all(a.op in ("keep", "skip") for a in self.plan.actions)


def newer_versions(program: Program) -> list[str]:
    """Installed versions of the program's playbook newer than the one it is on, newest first."""
    current = version_key(program.playbook_version)
    return [
        i.playbook.version
        for i in reversed(installed_playbooks()[0])
        if i.playbook.id == program.playbook_id and version_key(i.playbook.version) > current
    ]


def upgrade_history(program: Program) -> list[PlaybookUpgrade]:
    return list(
        db.session.scalars(
            select(PlaybookUpgrade)
            .where(PlaybookUpgrade.program_id == program.id)
            .order_by(PlaybookUpgrade.id.desc())
        )
    )


def _current_playbook(program: Program) -> Playbook:
    try:
        return find_installed(program.playbook_id, program.playbook_version).playbook
    except NotFoundError:
        ref = f"{program.playbook_id}@{program.playbook_version}"
        raise NotFoundError.of("", "library.current_gone", ref=ref) from None


def upgrade_context(
    program: Program, to_version: str | None, today: date | None = None
) -> UpgradeContext:
    """What upgrading the program to ``to_version`` (default: the newest) would do on
    ``today`` (default: the real today; it decides which phases are closed).

    Raises NotFoundError when there is no newer version or the current one is not installed.
    """
    versions = newer_versions(program)
    if not versions:
        raise NotFoundError.of(
            "", "library.no_newer", playbook=program.playbook_id, version=program.playbook_version
        )
    target = to_version or versions[0]
    if target not in versions:
        raise NotFoundError.of(
            "",
            "library.not_newer",
            target=target,
            playbook=program.playbook_id,
            version=program.playbook_version,
        )
    old = _current_playbook(program)
    new = find_installed(program.playbook_id, target).playbook
    rows = load_rows(program)
    plan = plan_upgrade(snapshot(rows, old, provenance(program), today or date.today()), old, new)
    under_way = frozenset(key for key, item in rows.items.items() if started(item))
    return UpgradeContext(program, old, new, plan, versions, upgrade_history(program), under_way)


def conflict_token(conflict: Conflict) -> str:
    """A form-safe, stable name for a conflict (its id hashed)."""
    return "c_" + hashlib.sha1(conflict.id.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]


_ITEM_COLUMNS = {
    "name": "name",
    "name_zh": "name_zh",
    "duration": "duration_days",
    "workstream": "workstream",
    "owner_role": "owner_role",
    "kind": "kind",
}
_RISK_COLUMNS = ("title", "title_zh", "likelihood", "impact", "response", "mitigation")


class _Applier:
    """Writes the final actions to the rows (all in the caller's transaction)."""

    def __init__(self, rows: ProgramRows, new: Playbook) -> None:
        self.rows = rows
        self.new = new
        self.new_items = {item.key: (phase, item) for phase, item in new.work_items()}
        self.new_risks = {r.key: r for r in new.risks}
        self.new_metrics = {m.key: m for m in new.metrics}
        self.new_gates = {
            (p.key, key): c for p in new.phases for key, c in keyed_gate(p.gate).items()
        }
        self.counts = {"add": 0, "update": 0, "remove": 0}

    def run(self, actions: Sequence[UpgradeAction]) -> None:
        def of(section: Iterable[str], op: str) -> list[UpgradeAction]:
            return [a for a in actions if a.section in section and a.op == op]

        items = ("task", "milestone")
        for action in of(("dependency",), "remove"):
            self._remove_link(action)
        db.session.flush()
        for action in of(items, "remove"):
            self._remove_item(action)
        db.session.flush()
        for action in of(items, "update"):
            self._update_item(action)
        for action in of(items, "add"):
            self._add_item(action)
        db.session.flush()
        for action in of(("dependency",), "update"):
            self._update_link(action)
        for action in of(("dependency",), "add"):
            self._add_link(action)
        for op in ("remove", "update", "add"):
            for action in of(("risk",), op):
                getattr(self, f"_{op}_risk")(action)
            for action in of(("metric",), op):
                getattr(self, f"_{op}_metric")(action)
            for action in of(("gate",), op):
                getattr(self, f"_{op}_gate")(action)
        for action in actions:
            if action.op in self.counts:
                self.counts[action.op] += 1

    # -- work items

    def _remove_item(self, action: UpgradeAction) -> None:
        item = self.rows.items.pop(action.key)
        for link in db.session.scalars(
            select(RiskWorkItemLink).where(RiskWorkItemLink.work_item_id == item.id)
        ):
            db.session.delete(link)
        db.session.delete(item)

    def _update_item(self, action: UpgradeAction) -> None:
        item = self.rows.items[action.key]
        for name, (_old, new) in action.fields.items():
            if name == "phase_key":
                item.phase = self.rows.phases[str(new)]
            elif name in _ITEM_COLUMNS:
                value = (
                    new
                    if new is not None or name in ("name_zh", "workstream", "owner_role")
                    else ""
                )
                setattr(item, _ITEM_COLUMNS[name], value)
        # a kind and a duration decided apart must still agree (milestones last 0 days)
        if item.kind == "milestone":
            item.duration_days = 0
        elif item.duration_days == 0:
            found = self.new_items.get(item.key)
            item.duration_days = found[1].duration if found and isinstance(found[1], Task) else 1
        if not item.name:
            item.name = item.name_zh or item.key

    def _add_item(self, action: UpgradeAction) -> None:
        phase_pb, pb_item = self.new_items[action.key]
        # a closed phase's new item the lead put into the current phase goes there
        into = action.fields.get("phase_key", (None, phase_pb.key))[1]
        phase = self.rows.phases.get(str(into)) or self.rows.phases[phase_pb.key]
        is_task = isinstance(pb_item, Task)
        position = max((i.position for i in self.rows.items.values()), default=0) + 1
        item = WorkItem(
            program_id=self.rows.program.id,
            key=pb_item.key,
            kind="task" if is_task else "milestone",
            name=en_column(pb_item.name) or pb_item.key,
            name_zh=zh_column(pb_item.name),
            workstream=pb_item.workstream,
            duration_days=pb_item.duration if isinstance(pb_item, Task) else 0,
            owner_role=pb_item.owner_role,
            deliverable=en_column(pb_item.deliverable) or None,
            deliverable_zh=zh_column(pb_item.deliverable),
            position=position,
        )
        item.phase_id = phase.id
        db.session.add(item)
        self.rows.items[item.key] = item

    # -- dependencies

    def _remove_link(self, action: UpgradeAction) -> None:
        dep = self.rows.links.pop(action.key, None)
        if dep is not None:
            db.session.delete(dep)

    def _update_link(self, action: UpgradeAction) -> None:
        dep = self.rows.links[action.key]
        for name, (_old, new) in action.fields.items():
            if name == "type":
                dep.type = str(new)
            elif name == "lag":
                dep.lag_days = int(new or 0)  # type: ignore[arg-type]  # a lag change carries a number

    def _add_link(self, action: UpgradeAction) -> None:
        pred, succ = split_link_key(action.key)
        _phase, pb_item = self.new_items[succ]
        spec = next(d for d in pb_item.depends_on if d.key == pred)
        dep = Dependency(
            program_id=self.rows.program.id,
            # the rows themselves, not only their ids: the audit label names their keys
            predecessor=self.rows.items[pred],
            successor=self.rows.items[succ],
            type=spec.type,
            lag_days=spec.lag,
        )
        db.session.add(dep)
        self.rows.links[action.key] = dep

    # -- risks

    def _remove_risk(self, action: UpgradeAction) -> None:
        db.session.delete(self.rows.risks.pop(action.key))

    def _update_risk(self, action: UpgradeAction) -> None:
        risk = self.rows.risks[action.key]
        for name, (_old, new) in action.fields.items():
            if name == "mitigation_zh":
                risk.mitigation_zh = None if new is None else str(new)
            elif name in _RISK_COLUMNS:
                value = new if new is not None or name == "title_zh" else ""
                setattr(risk, name, value)
        if not risk.title:
            risk.title = risk.title_zh or risk.key

    def _add_risk(self, action: UpgradeAction) -> None:
        pb_risk = self.new_risks[action.key]
        rank = max((r.rank or 0 for r in self.rows.risks.values()), default=0) + 1
        risk = risk_from_playbook(pb_risk, rank)
        risk.program_id = self.rows.program.id
        db.session.add(risk)
        self.rows.risks[risk.key] = risk

    # -- metrics

    def _remove_metric(self, action: UpgradeAction) -> None:
        db.session.delete(self.rows.metrics.pop(action.key))

    def _update_metric(self, action: UpgradeAction) -> None:
        metric = self.rows.metrics[action.key]
        wanted = action.fields.get("targets", (None, None))[1]
        if not isinstance(wanted, Mapping):
            return
        by_ordinal = {t.phase_ordinal: t for t in metric.targets}
        for ordinal, value in wanted.items():
            if ordinal in by_ordinal:
                by_ordinal[ordinal].target = float(value)
            else:
                metric.targets.append(MetricTarget(phase_ordinal=ordinal, target=float(value)))
        for ordinal, target in by_ordinal.items():
            if ordinal not in wanted:
                metric.targets.remove(target)

    def _add_metric(self, action: UpgradeAction) -> None:
        pb_metric = self.new_metrics[action.key]
        metric = metric_from_playbook(pb_metric)
        metric.program_id = self.rows.program.id
        db.session.add(metric)
        self.rows.metrics[metric.key] = metric

    # -- gate criteria

    def _gate(self, action: UpgradeAction) -> tuple[str, str]:
        return (action.phase or "", action.key)

    def _remove_gate(self, action: UpgradeAction) -> None:
        db.session.delete(self.rows.gates.pop(self._gate(action)))

    def _update_gate(self, action: UpgradeAction) -> None:
        row = self.rows.gates[self._gate(action)]
        for name, (_old, new) in action.fields.items():
            if name == "reference":
                row.reference = str(new or "")
            elif name == "text":
                row.text = str(new or "")
            elif name == "text_zh":
                row.text_zh = None if new is None else str(new)

    def _add_gate(self, action: UpgradeAction) -> None:
        ident = self._gate(action)
        moved = action.fields.get("phase_key")
        # a closed phase's new criterion the lead put on the current phase's gate
        source = (str(moved[0]), action.key) if moved and moved[0] else ident
        criterion = self.new_gates[source]
        phase = self.rows.phases[ident[0]]
        if ident in self.rows.gates:  # that gate has it already
            return
        siblings = [g for (p, _k), g in self.rows.gates.items() if p == phase.key]
        reference, text = criterion_row(criterion)
        position = max((g.position for g in siblings), default=-1) + 1
        row = GateCriterion(
            phase_id=phase.id,
            kind=criterion.kind,
            reference=reference,
            text=en_column(text),
            text_zh=zh_column(text),
            position=position,
        )
        db.session.add(row)
        self.rows.gates[ident] = row


def apply_upgrade(
    program: Program,
    to_version: str,
    decisions: Mapping[str, str],
    *,
    version: int | str | None,
    actor: str,
    today: date | None = None,
) -> PlaybookUpgrade:
    """Upgrade the program to ``to_version`` with the lead's decisions; one transaction.

    The plan is computed afresh (what the lead saw may have changed: then an undecided
    conflict is refused). Raises ValidationError (undecided or unknown conflicts, a cycle),
    StaleEditError (the program changed since the page was opened) or NotFoundError; the
    caller rolls back. Every row change is in the audit trail; the caller commits.
    """
    check_version(program, version)
    context = upgrade_context(program, to_version, today)
    actions = apply_decisions(context.plan, decisions)
    rows = load_rows(program)
    before = db.session.scalar(select(func.max(AuditEvent.id))) or 0
    applier = _Applier(rows, context.new)
    applier.run(actions)
    program.playbook_version = context.new.version
    db.session.flush()
    reschedule(program)
    db.session.flush()
    first, last = db.session.execute(
        select(func.min(AuditEvent.id), func.max(AuditEvent.id)).where(
            AuditEvent.program_id == program.id, AuditEvent.id > before
        )
    ).one()
    counts = applier.counts
    record = PlaybookUpgrade(
        program_id=program.id,
        playbook_id=program.playbook_id,
        from_version=context.old.version,
        to_version=context.new.version,
        applied_by=actor,
        summary=(
            f"added {counts['add']}, updated {counts['update']}, removed {counts['remove']}, "
            f"{len(context.plan.conflicts)} conflict(s) decided"
        ),
        first_audit_id=first,
        last_audit_id=last,
    )
    db.session.add(record)
    db.session.flush()
    return record
