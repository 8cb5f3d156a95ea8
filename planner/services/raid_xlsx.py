"""Export and import of the RAID log workbook (issues, actions, decisions, change requests).

Import is all-or-nothing: every row is applied through the same services as the pages (so
the same rules hold and each change is audited); the first refused row makes the whole
import fail with every problem found, each placed at its sheet and line, and the caller
rolls back. Rows with a key that exists update it; rows without a key are added.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from planner.domain.errors import ImportFormatError, PlannerError, Problem
from planner.interop.raid_xlsx import SheetRow, read_workbook, write_workbook
from planner.models import Program
from planner.services import change_requests as changes
from planner.services import raid
from planner.services.raid_log import gate_decisions


def _issue_row(issue: Any) -> dict[str, Any]:
    links = {
        kind: " ".join(k.target_key for k in issue.links if k.kind == kind)
        for kind in ("item", "phase", "risk")
    }
    return {
        "key": issue.key,
        "title": issue.title,
        "description": issue.description,
        "severity": issue.severity,
        "owner": issue.owner,
        "due_date": issue.due_date,
        "status": issue.status,
        "resolution": issue.resolution,
        "items": links["item"],
        "phases": links["phase"],
        "risks": links["risk"],
        "source_risk": issue.source_risk.key if issue.source_risk else "",
    }


def _parent_key(action: Any) -> str:
    if action.risk is not None:
        return str(action.risk.key)
    if action.issue is not None:
        return str(action.issue.key)
    if action.review is not None:
        return str(action.review.id)
    return str(action.gate_phase.key) if action.gate_phase is not None else ""


def _cost_columns(program: Program, change: Any) -> dict[str, Any]:
    """The change's price as its page shows it: the planned cost difference at completion in
    the program's currency, or why there is none (no money tracked, not recorded)."""
    impact = changes.impact_of(program, change)
    if impact is None:
        return {}
    if impact.cost is not None:
        return {
            "cost_delta": round(impact.cost.delta, 2) or 0.0,
            "cost_currency": impact.cost.currency,
            "cost_status": "priced",
        }
    return {"cost_status": "untracked" if impact.priced is False else "unrecorded"}


def export_rows(program: Program) -> dict[str, list[dict[str, Any]]]:
    decisions = [
        {
            "key": d.key,
            "title": d.title,
            "rationale": d.rationale,
            "options": d.options,
            "decided_by": d.decided_by,
            "decided_on": d.decided_on,
            "issue": d.issue.key if d.issue else "",
        }
        for d in raid.list_decisions(program)
    ]
    decisions += [
        {
            "key": f"G{g.phase.ordinal}-{g.id}",
            "title": f"{g.phase.key}: {g.kind}",
            "rationale": g.justification or g.notes,
            "decided_by": g.decided_by,
            "decided_on": g.decided_on,
        }
        for g in gate_decisions(program)
    ]
    return {
        "issue": [_issue_row(i) for i in raid.list_issues(program)],
        "action": [
            {
                "key": f"A-{a.id}",
                "owner_kind": a.owner_kind,
                "parent": _parent_key(a),
                "title": a.title,
                "owner": a.owner,
                "due_date": a.due_date,
                "done": a.done,
            }
            for a in raid.list_actions(program)
        ],
        "decision": decisions,
        "change": [
            {
                "key": c.key,
                "title": c.title,
                "kind": c.kind,
                "work_item": c.work_item.key if c.work_item else "",
                "days": c.days,
                "new_date": c.new_date,
                "phase": c.phase.key if c.phase else "",
                "requester": c.requester,
                "justification": c.justification,
                "status": c.status,
                **_cost_columns(program, c),
            }
            for c in changes.list_changes(program)
        ],
    }


def export_xlsx(program: Program, lang: str) -> bytes:
    return write_workbook(export_rows(program), lang)


@dataclass
class ImportResult:
    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: dict[str, int], kind: str) -> None:
        bucket[kind] = bucket.get(kind, 0) + 1


def _apply_issue(program: Program, row: SheetRow, today: date, result: ImportResult) -> None:
    values = dict(row.values)
    key = str(values.get("key") or "")
    status = str(values.get("status") or "")
    issue = raid.issue_by_key(program, key) if key else None
    if key and issue is None:
        raise PlannerError(problems=[Problem("key", "field.unknown_reference", {"value": key})])
    if issue is None:
        issue = raid.create_issue(program, values, today)
        result.count(result.added, "issue")
    else:
        raid.update_issue(issue, {**_issue_row(issue), **values}, issue.version)
        result.count(result.updated, "issue")
    if status and status != issue.status:
        raid.move_issue(issue, status, issue.version, str(values.get("resolution") or ""), today)


def _apply_action(program: Program, row: SheetRow, today: date, result: ImportResult) -> None:
    values = dict(row.values)
    key = str(values.get("key") or "")
    done = str(values.get("done", "")).strip().casefold() in ("1", "true", "yes", "是", "x")
    if key:
        number = key.removeprefix("A-")
        action = raid.get_action(program, int(number)) if number.isdigit() else None
        if action is None:
            raise PlannerError(problems=[Problem("key", "field.unknown_reference", {"value": key})])
        raid.update_action(action, values, action.version)
        result.count(result.updated, "action")
    else:
        kind = str(values.get("owner_kind") or "")
        action = raid.add_action(program, kind, values.get("parent"), values)
        result.count(result.added, "action")
    if done != action.done:
        raid.set_action_done(action, done, action.version, today)


def _apply_decision(program: Program, row: SheetRow, today: date, result: ImportResult) -> None:
    key = str(row.values.get("key") or "")
    if key:  # decisions are records: those already logged stay as they are
        return
    raid.record_decision(program, row.values, today)
    result.count(result.added, "decision")


def _apply_change(program: Program, row: SheetRow, today: date, result: ImportResult) -> None:
    if row.values.get("key"):  # a request is changed by its own workflow, not by a file
        return
    changes.create_change(program, dict(row.values), today)
    result.count(result.added, "change")


APPLY = {
    "issue": _apply_issue,
    "action": _apply_action,
    "decision": _apply_decision,
    "change": _apply_change,
}


def import_xlsx(program: Program, data: bytes, today: date) -> ImportResult:
    """Apply every row of the workbook or refuse it whole (the caller rolls back)."""
    rows = read_workbook(data)
    result = ImportResult()
    problems: list[Problem] = []
    for row in rows:
        try:
            APPLY[row.kind](program, row, today, result)
        except PlannerError as exc:
            found = exc.problems or (Problem("", "raid.file.row_refused"),)
            problems.extend(
                Problem(f"{row.where} {p.field}".strip(), p.code, p.params) for p in found
            )
    if problems:
        raise ImportFormatError(problems=problems)
    return result
