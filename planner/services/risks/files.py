"""The register as a file: export (.xlsx, .csv) and all-or-nothing import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from planner.domain.errors import ImportFormatError, Problem, ValidationError
from planner.domain.risk import (
    check_transition,
)
from planner.domain.risk_fields import MAX_LENGTHS
from planner.extensions import db
from planner.interop import risks as risk_files
from planner.models.plan import Phase, WorkItem
from planner.models.program import Program
from planner.models.risk import (
    Risk,
    RiskAction,
    RiskPhaseLink,
    RiskWorkItemLink,
)
from planner.services.risks.common import assign
from planner.services.risks.edit import clean_risk_data
from planner.services.risks.loading import load_risks, program_phases, program_work_items
from planner.services.risks.scale import ScaleInfo

# --------------------------------------------------------------------------- files


def record_of(risk: Risk) -> risk_files.RiskRecord:
    """A risk row as the register file holds it."""
    return risk_files.RiskRecord(
        key=risk.key,
        title=risk.title,
        likelihood=risk.likelihood,
        impact=risk.impact,
        category=risk.category or "",
        owner=risk.owner,
        status=risk.status,
        response=risk.response,
        mitigation=risk.mitigation or "",
        residual_likelihood=risk.residual_likelihood,
        residual_impact=risk.residual_impact,
        contingency=risk.contingency or "",
        trigger=risk.trigger or "",
        proximity_date=risk.proximity_date,
        proximity_phase=risk.proximity_phase.key if risk.proximity_phase else None,
        review_date=risk.review_date,
        threatened_phases=tuple(link.phase.key for link in risk.phase_links),
        threatened_work_items=tuple(link.work_item.key for link in risk.item_links),
        description=risk.description or "",
        cause=risk.cause or "",
        effect=risk.effect or "",
        occurred_on=risk.occurred_on,
        issue_note=risk.issue_note or "",
        rank=risk.rank,
        title_zh=risk.title_zh,
        description_zh=risk.description_zh,
        mitigation_zh=risk.mitigation_zh,
        cause_zh=risk.cause_zh,
        effect_zh=risk.effect_zh,
        actions=tuple(
            risk_files.ActionRecord(a.title, a.owner, a.due_date, a.done)
            for a in sorted(risk.actions, key=lambda a: a.id or 0)
        ),
    )


def register_records(program_id: int) -> list[risk_files.RiskRecord]:
    risks = sorted(load_risks(program_id), key=lambda r: (r.rank is None, r.rank or 0, r.id))
    return [record_of(risk) for risk in risks]


def export_xlsx(
    program: Program,
    info: ScaleInfo,
    today: date,
    lang: str = "en",
    translate: Callable[[str], str] = str,
) -> bytes:
    """The register workbook, headers in ``lang``, its own words through ``translate``."""
    return risk_files.write_xlsx(
        register_records(program.id),
        title=f"{program.name} ({program.client})",
        scale=info.scale,
        band_labels=info.band_labels,
        band_colours=info.colours,
        as_of=today,
        lang=lang,
        translate=translate,
    )


def export_csv(program: Program, info: ScaleInfo, today: date, lang: str = "en") -> bytes:
    return risk_files.write_csv(
        register_records(program.id),
        scale=info.scale,
        band_labels=info.band_labels,
        as_of=today,
        lang=lang,
    )


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    ignored_columns: tuple[str, ...] = ()


_FILE_FIELD_TO_RISK = {
    "title": "title",
    "category": "category",
    "owner": "owner",
    "status": "status",
    "likelihood": "likelihood",
    "impact": "impact",
    "response": "response",
    "mitigation": "mitigation",
    "residual_likelihood": "residual_likelihood",
    "residual_impact": "residual_impact",
    "contingency": "contingency",
    "trigger": "trigger",
    "proximity_date": "proximity_date",
    "review_date": "review_date",
    "description": "description",
    "cause": "cause",
    "effect": "effect",
    "occurred_on": "occurred_on",
    "issue_note": "issue_note",
    "rank": "rank",
    "title_zh": "title_zh",
    "description_zh": "description_zh",
    "mitigation_zh": "mitigation_zh",
    "cause_zh": "cause_zh",
    "effect_zh": "effect_zh",
}


def import_register(
    program: Program, filename: str, data: bytes, *, replace: bool = False, today: date
) -> ImportResult:
    """Import a register file into the program: all or nothing.

    Risks are matched by key: a known key updates that risk, a new key adds one; with
    ``replace`` the risks the file does not list are deleted. Columns the file lacks leave
    those fields alone. Every problem is reported at once as ``row N, column "X": …``;
    on any problem nothing is changed.
    """
    register, file_errors = risk_files.parse_register(filename, data)
    known = _Known(
        risks={risk.key: risk for risk in load_risks(program.id)},
        phases={phase.key: phase for phase in program_phases(program.id)},
        items={item.key: item for item in program_work_items(program.id)},
    )
    errors: list[Problem] = list(file_errors)
    plans: list[tuple[risk_files.ImportedRow, dict[str, Any]]] = []
    for row in register.rows:
        if "key" in row.values:
            fields, problems = _check_row(program.id, register, row, known)
            errors.extend(problems)
            plans.append((row, fields))
    errors.extend(_action_problems(register))
    if errors:
        errors.sort(key=risk_files.error_order)
        raise ImportFormatError(problems=errors)

    result = ImportResult(ignored_columns=register.ignored_headers)
    actions_by_key: dict[str, list[risk_files.ActionRecord]] = {}
    for imported in register.actions or ():
        actions_by_key.setdefault(imported.risk_key, []).append(imported.action)
    for row, fields in plans:
        # None: the file has no actions sheet, so the risk's actions stay as they are
        actions = None if register.actions is None else actions_by_key.get(row.key, [])
        _write_row(program.id, row, fields, known, actions, today, result)
    if replace:
        listed = {row.key for row, _fields in plans}
        for key, risk in known.risks.items():
            if key not in listed:
                db.session.delete(risk)
                result.removed.append(key)
    db.session.flush()
    return result


@dataclass(frozen=True)
class _Known:
    """The program's risks, phases and work items by key, as the file names them."""

    risks: dict[str, Risk]
    phases: dict[str, Phase]
    items: dict[str, WorkItem]


def _check_row(
    program_id: int,
    register: risk_files.ImportedRegister,
    row: risk_files.ImportedRow,
    known: _Known,
) -> tuple[dict[str, Any], list[Problem]]:
    """A row's fields for the risk, and its problems, each at its cell."""
    values = row.values
    errors: list[Problem] = []
    fields = {
        _FILE_FIELD_TO_RISK[name]: value
        for name, value in values.items()
        if name in _FILE_FIELD_TO_RISK
    }
    if "proximity_phase" in values:
        key = values["proximity_phase"]
        if key and key not in known.phases:
            where = register.cell(row.row, "proximity_phase")
            errors.append(Problem(where, "risk.no_phase", {"key": key}))
        fields["proximity_phase_id"] = known.phases[key].id if key in known.phases else None
    for name, keys, code in (
        ("threatened_phases", known.phases, "risk.no_phase"),
        ("threatened_work_items", known.items, "risk.no_item"),
    ):
        for key in values.get(name, ()):
            if key not in keys:
                errors.append(Problem(register.cell(row.row, name), code, {"key": key}))
    risk = known.risks.get(row.key)
    if risk is not None and "status" in fields:
        try:
            check_transition(risk.status, fields["status"])
        except ValidationError as exc:
            errors.extend(
                Problem(register.cell(row.row, "status"), p.code, p.params) for p in exc.problems
            )
    try:
        clean_risk_data(program_id, fields, partial=True)
    except ValidationError as exc:
        for problem in exc.problems:
            column = {"proximity_phase_id": "proximity_phase"}.get(problem.field, problem.field)
            errors.append(Problem(register.cell(row.row, column), problem.code, problem.params))
    return fields, errors


def _action_problems(register: risk_files.ImportedRegister) -> list[Problem]:
    """Action titles and owners longer than their columns hold, at their cells."""
    errors: list[Problem] = []
    for imported in register.actions or ():
        action = imported.action
        for column, value, limit in (
            ("Action", action.title, MAX_LENGTHS["action_title"]),
            ("Owner", action.owner, MAX_LENGTHS["action_owner"]),
        ):
            if value and len(value) > limit:
                where = risk_files.cell_at(imported.row, column, risk_files.ACTIONS_SHEET)
                errors.append(Problem(where, "field.too_long", {"max": str(limit)}))
    return errors


def _write_row(
    program_id: int,
    row: risk_files.ImportedRow,
    fields: dict[str, Any],
    known: _Known,
    actions: list[risk_files.ActionRecord] | None,
    today: date,
    result: ImportResult,
) -> None:
    """Add or update the row's risk, its links and actions; note it in ``result``."""
    risk = known.risks.get(row.key)
    clean = clean_risk_data(program_id, fields, partial=True)
    if risk is None:
        clean.setdefault("status", "open")
        risk = Risk(program_id=program_id, key=row.key, **clean)
        db.session.add(risk)
        db.session.flush()
        result.created.append(risk.key)
        changed = True
    else:
        changed = assign(risk, clean)
    if "threatened_phases" in row.values:
        wanted = [known.phases[k] for k in row.values["threatened_phases"]]
        changed |= _sync_phase_links(risk, wanted)
    if "threatened_work_items" in row.values:
        changed |= _sync_item_links(
            risk, [known.items[k] for k in row.values["threatened_work_items"]]
        )
    if actions is not None:
        changed |= _sync_actions(risk, actions, today)
    if risk.key not in result.created:
        (result.updated if changed else result.unchanged).append(risk.key)


def _sync_phase_links(risk: Risk, wanted: list[Phase]) -> bool:
    wanted_ids = {p.id for p in wanted}
    changed = False
    for link in list(risk.phase_links):
        if link.phase_id not in wanted_ids:
            db.session.delete(link)
            changed = True
    have = {link.phase_id for link in risk.phase_links}
    for phase in wanted:
        if phase.id not in have:
            risk.phase_links.append(RiskPhaseLink(phase=phase))
            have.add(phase.id)
            changed = True
    return changed


def _sync_item_links(risk: Risk, wanted: list[WorkItem]) -> bool:
    wanted_ids = {i.id for i in wanted}
    changed = False
    for link in list(risk.item_links):
        if link.work_item_id not in wanted_ids:
            db.session.delete(link)
            changed = True
    have = {link.work_item_id for link in risk.item_links}
    for item in wanted:
        if item.id not in have:
            risk.item_links.append(RiskWorkItemLink(work_item=item))
            have.add(item.id)
            changed = True
    return changed


def _sync_actions(risk: Risk, wanted: list[risk_files.ActionRecord], today: date) -> bool:
    """Make the risk's actions those of the file: matched by title, updated, added, removed."""
    changed = False
    remaining = sorted(risk.actions, key=lambda a: a.id or 0)
    matched: list[tuple[RiskAction | None, risk_files.ActionRecord]] = []
    for record in wanted:
        found = next((a for a in remaining if a.title == record.title), None)
        if found is not None:
            remaining.remove(found)
        matched.append((found, record))
    for action in remaining:
        db.session.delete(action)
        changed = True
    for action, record in matched:
        values = {"owner": record.owner, "due_date": record.due, "done": record.done}
        if action is None:
            risk.actions.append(
                RiskAction(title=record.title, done_on=today if record.done else None, **values)
            )
            changed = True
        else:
            if action.done != record.done:
                values["done_on"] = today if record.done else None
            changed |= assign(action, values)
    return changed
