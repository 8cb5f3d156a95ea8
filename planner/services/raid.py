"""RAID log use cases: issues (workflow, links, from a risk), the one action list, decisions.

Every change goes through the ORM so the audit trail records it; nothing is committed here
(the view or API commits). Bad input raises coded problems (``planner/messages/raid.py``)
before anything is changed. Change requests live in :mod:`planner.services.change_requests`.

Other features hook here: :func:`record_decision` is THE place a decision is recorded (a
decision log entry, gate decisions aside); notifications may listen to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import select

from planner.domain.errors import NotFoundError, Problem, ValidationError
from planner.domain.ids import as_id
from planner.domain.raid import (
    SEVERITIES,
    check_issue_transition,
    resolution_needed,
)
from planner.domain.risk import band_for, check_transition
from planner.extensions import db
from planner.models import (
    Decision,
    Issue,
    IssueLink,
    Phase,
    Program,
    Risk,
    RiskAction,
    SteeringReview,
    WorkItem,
)
from planner.services import keys as key_counters
from planner.services.audit import current_actor
from planner.services.concurrency import check_version

LIMITS = {"title": 300, "owner": 120, "decided_by": 200, "requester": 120}

# hooks called with each decision just recorded (e.g. notifications); see record_decision
DECISION_LISTENERS: list[Callable[[Decision], None]] = []


# --------------------------------------------------------------------------- helpers


def _text(data: Mapping[str, Any], name: str, problems: list[Problem], *, required: bool) -> str:
    value = str(data.get(name) or "").strip()
    if required and not value:
        problems.append(Problem(name, "field.required"))
    limit = LIMITS.get(name)
    if limit and len(value) > limit:
        problems.append(Problem(name, "field.too_long", {"max": limit}))
    return value


def _date(data: Mapping[str, Any], name: str, problems: list[Problem]) -> date | None:
    value = data.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        problems.append(Problem(name, "field.not_a_date"))
        return None


def _raise(problems: list[Problem]) -> None:
    if problems:
        raise ValidationError(problems=problems)


def _assign(obj: Any, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)


def _keys(value: Any) -> list[str]:
    """Keys given as a list or as text separated by spaces or commas."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = re.split(r"[\s,;]+", value)
    return [str(k).strip() for k in value if str(k).strip()]


def _allocate(program_id: int, kind: str, prefix: str, keys: Iterable[str]) -> str:
    numbers = [int(m.group(1)) for k in keys if (m := re.fullmatch(rf"{prefix}-(\d{{1,9}})", k))]
    return f"{prefix}-{key_counters.allocate(program_id, kind, max(numbers, default=0))}"


def _by_key(model: Any, program_id: int, keys: list[str], field: str, problems: list[Problem]):
    found = {
        row.key: row
        for row in db.session.scalars(
            select(model).where(model.program_id == program_id, model.key.in_(keys))
        )
    }
    for key in keys:
        if key not in found:
            problems.append(Problem(field, "field.unknown_reference", {"value": key}))
    return [found[k] for k in keys if k in found]


def find_in_program(model: Any, program: Program, ref: Any) -> Any:
    """The row of ``model`` in the program that ``ref`` names (its key, or its id), or None."""
    row = None
    if isinstance(ref, str) and as_id(ref) is None and hasattr(model, "key"):
        row = db.session.scalar(
            select(model).where(model.program_id == program.id, model.key == ref.strip())
        )
    elif (rid := as_id(ref)) is not None:
        row = db.session.get(model, rid)
    return row if row is not None and row.program_id == program.id else None


# --------------------------------------------------------------------------- issues


def list_issues(program: Program) -> list[Issue]:
    return list(
        db.session.scalars(select(Issue).where(Issue.program_id == program.id).order_by(Issue.id))
    )


def get_issue(program: Program, issue_id: int) -> Issue:
    issue = db.session.get(Issue, issue_id)
    if issue is None or issue.program_id != program.id:
        raise NotFoundError(problems=[Problem("", "row.not_found")])
    return issue


def issue_by_key(program: Program, key: str) -> Issue | None:
    return db.session.scalar(select(Issue).where(Issue.program_id == program.id, Issue.key == key))


def _clean_issue(program: Program, data: Mapping[str, Any]) -> tuple[dict[str, Any], list[Any]]:
    problems: list[Problem] = []
    clean: dict[str, Any] = {
        "title": _text(data, "title", problems, required=True),
        "description": str(data.get("description") or "").strip(),
        "owner": _text(data, "owner", problems, required=False) or None,
        "due_date": _date(data, "due_date", problems),
    }
    severity = str(data.get("severity") or "medium")
    if severity not in SEVERITIES:
        problems.append(Problem("severity", "field.not_a_choice", {"value": severity}))
    clean["severity"] = severity
    targets: list[Any] = [
        *_by_key(WorkItem, program.id, _keys(data.get("items")), "items", problems),
        *_by_key(Phase, program.id, _keys(data.get("phases")), "phases", problems),
        *_by_key(Risk, program.id, _keys(data.get("risks")), "risks", problems),
    ]
    _raise(problems)
    return clean, targets


def _sync_links(issue: Issue, targets: list[Any]) -> None:
    """Make the issue's links exactly ``targets`` (work items, phases, risks)."""
    wanted = {(type(t).__name__, t.id): t for t in targets}
    kept: set[tuple[str, int]] = set()
    for link in list(issue.links):
        target = link.work_item or link.phase or link.risk
        marker = (type(target).__name__, getattr(target, "id", 0))
        if marker in wanted and marker not in kept:
            kept.add(marker)
        else:
            issue.links.remove(link)
    for marker, target in wanted.items():
        if marker not in kept:
            issue.links.append(IssueLink(**{_LINK_ATTR[marker[0]]: target}))


_LINK_ATTR = {"WorkItem": "work_item", "Phase": "phase", "Risk": "risk"}


def create_issue(program: Program, data: Mapping[str, Any], today: date) -> Issue:
    """Raise an issue (status open); ``items``/``phases``/``risks`` are keys it concerns."""
    clean, targets = _clean_issue(program, data)
    keys = db.session.scalars(select(Issue.key).where(Issue.program_id == program.id))
    issue = Issue(
        program_id=program.id,
        key=_allocate(program.id, "issue", "I", keys),
        status="open",
        raised_on=today,
        resolution="",
        **clean,
    )
    db.session.add(issue)
    _sync_links(issue, targets)
    db.session.flush()
    return issue


def update_issue(issue: Issue, data: Mapping[str, Any], version: Any) -> None:
    check_version(issue, version)
    program = db.session.get(Program, issue.program_id)
    assert program is not None
    clean, targets = _clean_issue(program, data)
    _assign(issue, clean)
    _sync_links(issue, targets)
    db.session.flush()


def move_issue(issue: Issue, new_status: str, version: Any, resolution: str, today: date) -> None:
    """One step of the workflow (open → in progress → resolved → closed; reopen)."""
    check_version(issue, version)
    check_issue_transition(issue.status, new_status)
    _raise(resolution_needed(new_status, resolution or issue.resolution))
    values: dict[str, Any] = {"status": new_status}
    if new_status == "resolved":
        values["resolved_on"] = today
        if resolution.strip():
            values["resolution"] = resolution.strip()
    elif new_status == "open":
        values["resolved_on"] = None
    _assign(issue, values)
    db.session.flush()


def issue_from_risk(risk: Risk, version: Any, today: date, note: str = "") -> Issue:
    """The risk occurred: mark it so and raise the issue it became, in one step. Both point
    at each other (the issue's source, the risk's issues); the risk's history stays."""
    check_version(risk, version)
    if risk.status == "occurred":
        raise ValidationError.of("status", "raid.risk.already_occurred", key=risk.key)
    check_transition(risk.status, "occurred")
    program = db.session.get(Program, risk.program_id)
    assert program is not None
    severity = band_for(risk.residual_score)
    data = {
        "title": risk.title,
        "description": note.strip() or risk.effect or risk.description,
        "owner": risk.owner,
        "severity": severity if severity in SEVERITIES else "high",
        "items": [k.work_item.key for k in risk.item_links],
        "phases": [k.phase.key for k in risk.phase_links],
        "risks": [risk.key],
    }
    issue = create_issue(program, data, today)
    issue.source_risk = risk
    risk.status = "occurred"
    risk.occurred_on = risk.occurred_on or today
    if note.strip():
        risk.issue_note = note.strip()
    db.session.flush()
    return issue


# --------------------------------------------------------------------------- actions

ACTION_PARENTS = {
    "risk": (Risk, "risk"),
    "issue": (Issue, "issue"),
    "review": (SteeringReview, "review"),
    "gate": (Phase, "gate_phase"),
}


def list_actions(program: Program) -> list[RiskAction]:
    return list(
        db.session.scalars(
            select(RiskAction)
            .where(RiskAction.program_id == program.id)
            .order_by(RiskAction.done, RiskAction.due_date, RiskAction.id)
        )
    )


def overdue_actions(program: Program, today: date) -> list[RiskAction]:
    return [a for a in list_actions(program) if a.is_overdue(today)]


def _parent(program: Program, kind: str, ref: Any) -> Any:
    if kind not in ACTION_PARENTS:
        raise ValidationError.of("owner_kind", "field.not_a_choice", value=kind)
    row = find_in_program(ACTION_PARENTS[kind][0], program, ref)
    if row is None:
        raise ValidationError.of("parent", "field.unknown_reference", value=str(ref))
    return row


def _clean_action(data: Mapping[str, Any]) -> dict[str, Any]:
    problems: list[Problem] = []
    clean = {
        "title": _text(data, "title", problems, required=True),
        "owner": _text(data, "owner", problems, required=False) or None,
        "due_date": _date(data, "due_date", problems),
    }
    _raise(problems)
    return clean


def add_action(program: Program, kind: str, ref: Any, data: Mapping[str, Any]) -> RiskAction:
    """An action on a risk, issue, steering review or gate (``ref``: its id or key)."""
    parent = _parent(program, kind, ref)
    if kind in ("risk", "issue") and not parent.is_open:
        raise ValidationError.of("parent", "raid.action.parent_closed", key=parent.key)
    action = RiskAction(program_id=program.id, **_clean_action(data))
    setattr(action, ACTION_PARENTS[kind][1], parent)
    db.session.add(action)
    db.session.flush()
    return action


def get_action(program: Program, action_id: int) -> RiskAction:
    action = db.session.get(RiskAction, action_id)
    if action is None or action.program_id != program.id:
        raise NotFoundError(problems=[Problem("", "row.not_found")])
    return action


def update_action(action: RiskAction, data: Mapping[str, Any], version: Any) -> None:
    check_version(action, version)
    _assign(action, _clean_action(data))
    db.session.flush()


ACTION_STATUSES = ("open", "done")


def edit_action(action: RiskAction, data: Mapping[str, Any], version: Any, today: date) -> None:
    """Change an action's title, owner, due date and status (``status`` open/done, or
    ``done`` true/false) in one step; every problem is refused before anything changes."""
    check_version(action, version)
    problems: list[Problem] = []
    try:
        values: dict[str, Any] = _clean_action(data)
    except ValidationError as exc:
        problems.extend(exc.problems)
        values = {}
    done = action.done
    if data.get("status") not in (None, ""):
        status = str(data["status"])
        if status not in ACTION_STATUSES:
            problems.append(Problem("status", "field.not_a_choice", {"value": status}))
        done = status == "done"
    elif data.get("done") is not None:
        done = bool(data["done"])
    _raise(problems)
    values["done"] = done
    values["done_on"] = (action.done_on or today) if done else None
    _assign(action, values)
    db.session.flush()


def set_action_done(action: RiskAction, done: bool, version: Any, today: date) -> None:
    check_version(action, version)
    _assign(action, {"done": done, "done_on": today if done else None})
    db.session.flush()


# --------------------------------------------------------------------------- decisions

DECISION_LINKS = {"issue": Issue, "review": SteeringReview, "gate": Phase}


def list_decisions(program: Program) -> list[Decision]:
    return list(
        db.session.scalars(
            select(Decision)
            .where(Decision.program_id == program.id)
            .order_by(Decision.decided_on.desc(), Decision.id.desc())
        )
    )


def get_decision(program: Program, decision_id: int) -> Decision:
    decision = db.session.get(Decision, decision_id)
    if decision is None or decision.program_id != program.id:
        raise NotFoundError(problems=[Problem("", "row.not_found")])
    return decision


def _decision_links(program: Program, data: Mapping[str, Any]) -> dict[str, Any]:
    links: dict[str, Any] = {}
    for name, attr in (("issue", "issue"), ("review", "review"), ("gate", "gate_phase")):
        ref = data.get(name)
        if ref in (None, ""):
            continue
        row = find_in_program(DECISION_LINKS[name], program, ref)
        if row is None:
            raise ValidationError.of(name, "field.unknown_reference", value=str(ref))
        links[attr] = row
    return links


def record_decision(program: Program, data: Mapping[str, Any], today: date) -> Decision:
    """Record a decision in the log: what (``title``), why (``rationale``), the options
    weighed (one a line), who (``decided_by``, default the signed-in person) and when
    (``decided_on``, default ``today``); optionally linked to an issue, a review, a gate
    (``issue``/``review``/``gate``: id or key) or a change request (``change_request``:
    the row). Each listener in :data:`DECISION_LISTENERS` is told once it is flushed."""
    problems: list[Problem] = []
    title = _text(data, "title", problems, required=True)
    decided_by = _text(data, "decided_by", problems, required=False) or current_actor()
    decided_on = _date(data, "decided_on", problems) or today
    _raise(problems)
    links = _decision_links(program, data)
    keys = db.session.scalars(select(Decision.key).where(Decision.program_id == program.id))
    decision = Decision(
        program_id=program.id,
        key=_allocate(program.id, "decision", "D", keys),
        title=title,
        rationale=str(data.get("rationale") or "").strip(),
        options=str(data.get("options") or "").strip(),
        decided_by=decided_by[: LIMITS["decided_by"]],
        decided_on=decided_on,
        change_request=data.get("change_request"),
        **links,
    )
    db.session.add(decision)
    db.session.flush()
    for listener in DECISION_LISTENERS:
        listener(decision)
    return decision
