"""The RAID log: the one list with counts, issues (workflow, risk to issue), actions,
decisions and change requests (impact, steering's decision). The same services and rules
as the pages; refusals are coded problems worded in the caller's language."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response

from planner.api import raid_schemas as s
from planner.api.core import ID, created, json_response, operation, page_response
from planner.api.markers import N_
from planner.api.schemas import PageQuery, page_of
from planner.models import ChangeRequest, Decision, Issue, RiskAction
from planner.services import api_support
from planner.services import change_requests as changes
from planner.services import raid as service
from planner.services.programs import get_program
from planner.services.raid_log import RaidQuery, raid_log
from planner.services.risks import get_risk

PROGRAM = f"/programs/<{ID}:program_id>"
ISSUE = f"{PROGRAM}/issues/<{ID}:issue_id>"
CHANGE = f"{PROGRAM}/change-requests/<{ID}:change_id>"
TAG = "raid log"


def _issue(issue: Issue) -> dict[str, Any]:
    def keys(kind: str) -> list[str]:
        return [k.target_key for k in issue.links if k.kind == kind]

    return s.IssueOut(
        id=issue.id,
        key=issue.key,
        title=issue.title,
        description=issue.description,
        severity=issue.severity,
        owner=issue.owner,
        due_date=issue.due_date,
        status=issue.status,
        raised_on=issue.raised_on,
        resolved_on=issue.resolved_on,
        resolution=issue.resolution,
        source_risk=issue.source_risk.key if issue.source_risk else None,
        items=keys("item"),
        phases=keys("phase"),
        risks=keys("risk"),
        version=issue.version,
    ).model_dump(mode="json")


def _action(action: RiskAction) -> dict[str, Any]:
    return s.ActionOut(
        id=action.id,
        parent_kind=action.owner_kind,
        parent=action.owner_label,
        title=action.title,
        owner=action.owner,
        due_date=action.due_date,
        done=action.done,
        done_on=action.done_on,
        version=action.version,
    ).model_dump(mode="json")


def _decision(decision: Decision) -> dict[str, Any]:
    return s.DecisionOut(
        id=decision.id,
        key=decision.key,
        title=decision.title,
        rationale=decision.rationale,
        options=decision.option_list,
        decided_by=decision.decided_by,
        decided_on=decision.decided_on,
        issue=decision.issue.key if decision.issue else None,
        change_request=decision.change_request.key if decision.change_request else None,
    ).model_dump(mode="json")


def _change(program: Any, change: ChangeRequest) -> dict[str, Any]:
    impact = changes.impact_of(program, change, date.today())
    return s.ChangeOut(
        id=change.id,
        key=change.key,
        title=change.title,
        kind=change.kind,
        status=change.status,
        requester=change.requester,
        justification=change.justification,
        requested_on=change.requested_on,
        work_item=change.work_item.key if change.work_item else None,
        phase=change.phase.key if change.phase else None,
        days=change.days,
        new_date=change.new_date,
        impact={**impact.to_json(), "stale": impact.stale} if impact else None,
        version=change.version,
    ).model_dump(mode="json")


@operation(
    "GET",
    f"{PROGRAM}/raid",
    summary=N_("List the RAID log"),
    description=N_("Risks, actions, issues, decisions and change requests in one list."),
    tag=TAG,
    requirement="read",
    query=s.RaidQuery,
    response=page_of(s.RaidRowOut),
)
def raid_list(program_id: int, query: s.RaidQuery) -> Response:
    program = get_program(program_id)
    log = raid_log(
        program,
        RaidQuery(
            kind=query.kind or "",
            status=query.status or "",
            owner=query.owner or "",
            text=query.q or "",
            open_only=query.open,
            overdue_only=query.overdue,
        ),
        date.today(),
    )
    rows = [
        s.RaidRowOut.model_validate(r, from_attributes=True).model_dump(mode="json")
        for r in log.shown
    ]
    return _page(rows, query)


def _page(rows: list[dict[str, Any]], query: Any) -> Response:
    page = api_support.slice_list(rows, query.page, query.per_page)
    return page_response(page.rows, page, query)


@operation(
    "GET",
    f"{PROGRAM}/issues",
    summary=N_("List issues"),
    tag=TAG,
    requirement="read",
    query=PageQuery,
    response=page_of(s.IssueOut),
)
def raid_issues(program_id: int, query: PageQuery) -> Response:
    rows = [_issue(i) for i in service.list_issues(get_program(program_id))]
    return _page(rows, query)


@operation(
    "POST",
    f"{PROGRAM}/issues",
    summary=N_("Raise an issue"),
    tag=TAG,
    requirement="edit",
    body=s.IssueCreate,
    response=s.IssueOut,
    status=201,
    default_field="title",
)
def raid_issue_create(program_id: int, body: s.IssueCreate) -> Response:
    program = get_program(program_id)
    issue = service.create_issue(program, body.model_dump(), date.today())
    return created(_issue(issue), "api.raid_issue", program_id=program.id, issue_id=issue.id)


@operation(
    "GET", ISSUE, summary=N_("Read an issue"), tag=TAG, requirement="read", response=s.IssueOut
)
def raid_issue(program_id: int, issue_id: int) -> Response:
    return json_response(_issue(service.get_issue(get_program(program_id), issue_id)))


@operation(
    "PATCH",
    ISSUE,
    summary=N_("Change an issue"),
    tag=TAG,
    requirement="edit",
    body=s.IssueUpdate,
    response=s.IssueOut,
    default_field="version",
)
def raid_issue_update(program_id: int, issue_id: int, body: s.IssueUpdate) -> Response:
    issue = service.get_issue(get_program(program_id), issue_id)
    service.update_issue(issue, body.model_dump(exclude={"version"}), body.version)
    return json_response(_issue(issue))


@operation(
    "POST",
    f"{ISSUE}/status",
    summary=N_("Move an issue along its workflow"),
    description=N_(
        "One step at a time: open, in progress, resolved (with a resolution), "
        "closed; reopen from resolved or closed."
    ),
    tag=TAG,
    requirement="edit",
    body=s.IssueMove,
    response=s.IssueOut,
    default_field="status",
)
def raid_issue_move(program_id: int, issue_id: int, body: s.IssueMove) -> Response:
    issue = service.get_issue(get_program(program_id), issue_id)
    service.move_issue(issue, body.status, body.version, body.resolution, date.today())
    return json_response(_issue(issue))


@operation(
    "POST",
    f"{PROGRAM}/risks/<{ID}:risk_id>/issue",
    summary=N_("Turn a risk into an issue"),
    description=N_("The risk occurred: it is marked so and becomes an issue, linked both ways."),
    tag=TAG,
    requirement="edit",
    body=s.RiskToIssue,
    response=s.IssueOut,
    status=201,
    default_field="version",
)
def raid_risk_to_issue(program_id: int, risk_id: int, body: s.RiskToIssue) -> Response:
    program = get_program(program_id)
    issue = service.issue_from_risk(
        get_risk(program.id, risk_id), body.version, date.today(), body.note
    )
    return created(_issue(issue), "api.raid_issue", program_id=program.id, issue_id=issue.id)


@operation(
    "GET",
    f"{PROGRAM}/actions",
    summary=N_("List actions"),
    tag=TAG,
    requirement="read",
    query=PageQuery,
    response=page_of(s.ActionOut),
)
def raid_actions(program_id: int, query: PageQuery) -> Response:
    rows = [_action(a) for a in service.list_actions(get_program(program_id))]
    return _page(rows, query)


@operation(
    "POST",
    f"{PROGRAM}/actions",
    summary=N_("Add an action"),
    tag=TAG,
    requirement="edit",
    body=s.ActionCreate,
    response=s.ActionOut,
    status=201,
    default_field="title",
)
def raid_action_create(program_id: int, body: s.ActionCreate) -> Response:
    program = get_program(program_id)
    action = service.add_action(program, body.parent_kind, body.parent, body.model_dump())
    return json_response(_action(action), 201)


@operation(
    "PATCH",
    f"{PROGRAM}/actions/<{ID}:action_id>",
    summary=N_("Change an action"),
    tag=TAG,
    requirement="edit",
    body=s.ActionUpdate,
    response=s.ActionOut,
    default_field="version",
)
def raid_action_update(program_id: int, action_id: int, body: s.ActionUpdate) -> Response:
    action = service.get_action(get_program(program_id), action_id)
    sent = body.model_fields_set
    data: dict[str, Any] = {
        "title": action.title,
        "owner": action.owner,
        "due_date": action.due_date,
    }
    data.update(body.model_dump(include=sent & {*data, "done"}))
    service.edit_action(action, data, body.version, date.today())
    return json_response(_action(action))


@operation(
    "GET",
    f"{PROGRAM}/decisions",
    summary=N_("List decisions"),
    tag=TAG,
    requirement="read",
    query=PageQuery,
    response=page_of(s.DecisionOut),
)
def raid_decisions(program_id: int, query: PageQuery) -> Response:
    program = get_program(program_id)
    return _page([_decision(d) for d in service.list_decisions(program)], query)


@operation(
    "POST",
    f"{PROGRAM}/decisions",
    summary=N_("Record a decision"),
    tag=TAG,
    requirement="decide",
    body=s.DecisionCreate,
    response=s.DecisionOut,
    status=201,
    default_field="title",
)
def raid_decision_create(program_id: int, body: s.DecisionCreate) -> Response:
    program = get_program(program_id)
    data = body.model_dump(include=body.model_fields_set)
    data["options"] = "\n".join(body.options)
    return json_response(_decision(service.record_decision(program, data, date.today())), 201)


@operation(
    "GET",
    f"{PROGRAM}/change-requests",
    summary=N_("List change requests"),
    tag=TAG,
    requirement="read",
    query=PageQuery,
    response=page_of(s.ChangeOut),
)
def raid_changes(program_id: int, query: PageQuery) -> Response:
    program = get_program(program_id)
    return _page([_change(program, c) for c in changes.list_changes(program)], query)


@operation(
    "POST",
    f"{PROGRAM}/change-requests",
    summary=N_("Request a change"),
    description=N_(
        "The change is analysed as a what-if scenario: its impact lists the gates "
        "and finish it moves, the risks it touches and its cost: planned cost at "
        "completion per phase with and without the change (cost.phases, cost.delta, in "
        "the program's currency; priced is false when the program tracks no money)."
    ),
    tag=TAG,
    requirement="edit",
    body=s.ChangeCreate,
    response=s.ChangeOut,
    status=201,
    default_field="title",
)
def raid_change_create(program_id: int, body: s.ChangeCreate) -> Response:
    program = get_program(program_id)
    change = changes.create_change(program, body.model_dump(), date.today())
    return created(
        _change(program, change), "api.raid_change", program_id=program.id, change_id=change.id
    )


@operation(
    "GET",
    CHANGE,
    summary=N_("Read a change request with its impact"),
    tag=TAG,
    requirement="read",
    response=s.ChangeOut,
)
def raid_change(program_id: int, change_id: int) -> Response:
    program = get_program(program_id)
    return json_response(_change(program, changes.get_change(program, change_id)))


@operation(
    "POST",
    f"{CHANGE}/decision",
    summary=N_("Approve or reject a change request"),
    description=N_(
        "Steering's call, recorded as a decision; approval applies the change to "
        "the live plan, refused when the plan changed since the analysis."
    ),
    tag=TAG,
    requirement="decide",
    body=s.ChangeDecide,
    response=s.ChangeOut,
    default_field="approve",
)
def raid_change_decide(program_id: int, change_id: int, body: s.ChangeDecide) -> Response:
    from planner.web.policy import membership_role

    program = get_program(program_id)
    change = changes.get_change(program, change_id)
    changes.decide(
        program,
        change,
        approve=body.approve,
        version=body.version,
        role=membership_role(program.id),
        rationale=body.rationale,
        options=body.options,
        today=date.today(),
    )
    return json_response(_change(program, change))
