"""The plan: phases (read), work items and dependencies (read and write).

Writes go through planner.services.plan, which validates, saves and recomputes the schedule;
the schedule's fields (early/late dates, floats, critical) are computed, never accepted.
"""

from __future__ import annotations

from typing import Any

from flask import Response

from planner.api import schemas as s
from planner.api.core import ID, created, dump, json_response, no_content, operation, page_response
from planner.api.markers import N_
from planner.domain.errors import NotFoundError, Problem, ValidationError
from planner.domain.schedule_fields import SCHEDULE_FIELDS
from planner.models import Dependency, WorkItem
from planner.services import api_support
from planner.services import plan as plan_service
from planner.services.concurrency import check_version
from planner.services.programs import get_program
from planner.services.scheduling import refresh_if_stale

PROGRAM = f"/programs/<{ID}:program_id>"
ITEM = f"{PROGRAM}/work-items/<{ID}:item_id>"
DEPENDENCY = f"{PROGRAM}/dependencies/<{ID}:dependency_id>"

COMPUTED = "read-only: computed by the scheduler from durations, dependencies and the calendar"
ITEM_READ_ONLY = {
    **{name: COMPUTED for name in SCHEDULE_FIELDS},
    **{name: "read-only" for name in ("id", "program_id", "position", "name_zh", "owner_role")},
}
ITEM_ALIASES = {"phase": "phase_id", "predecessor": "predecessor_id"}
DETAIL_FIELDS = frozenset(
    {"name", "kind", "duration_days", "owner", "constraint_type", "constraint_date", "deliverable"}
)
PROGRESS_FIELDS = frozenset({"percent_complete", "actual_start", "actual_finish"})
DEPENDENCY_ALIASES = {
    "predecessor": "predecessor_id",
    "successor": "successor_id",
    "lag": "lag_days",
    "type": "type",
}


# --------------------------------------------------------------------------- phases


@operation(
    "GET",
    f"{PROGRAM}/phases",
    summary=N_("List phases"),
    description=N_("The diagnosis stage and the phases, by ordinal."),
    tag="phases",
    requirement="read",
    query=s.PageQuery,
    response=s.page_of(s.PhaseOut),
)
def list_phases(program_id: int, query: s.PageQuery) -> Response:
    program = get_program(program_id)
    page = api_support.paginate(api_support.phases_query(program), query.page, query.per_page)
    return page_response([dump(s.PhaseOut, p) for p in page.rows], page, query)


@operation(
    "GET",
    f"{PROGRAM}/phases/<{ID}:phase_id>",
    summary=N_("Read a phase"),
    tag="phases",
    requirement="read",
    response=s.PhaseOut,
)
def get_phase(program_id: int, phase_id: int) -> Response:
    program = get_program(program_id)
    return json_response(dump(s.PhaseOut, api_support.get_phase(program, phase_id)))


# --------------------------------------------------------------------------- work items


def _details(body: Any, item: WorkItem | None) -> plan_service.ItemDetails:
    """The details sent, completed with the item's current ones."""

    def value(name: str, default: Any) -> Any:
        if name in body.model_fields_set:
            return getattr(body, name)
        return getattr(item, name) if item is not None else default

    return plan_service.ItemDetails(
        name=value("name", ""),
        kind=value("kind", "task"),
        duration_days=value("duration_days", 1),
        owner=value("owner", None),
        constraint_type=value("constraint_type", None),
        constraint_date=value("constraint_date", None),
        deliverable=value("deliverable", None),
    )


def _set_progress(program: Any, item: WorkItem, body: Any) -> None:
    sent = body.model_fields_set

    def value(name: str) -> Any:
        return getattr(body, name) if name in sent else getattr(item, name)

    percent = value("percent_complete")
    plan_service.set_progress(
        program,
        item,
        percent_complete=0 if percent is None else percent,
        actual_start=value("actual_start"),
        actual_finish=value("actual_finish"),
        version=item.version,
    )


@operation(
    "GET",
    f"{PROGRAM}/work-items",
    summary=N_("List work items"),
    description=N_(
        "Tasks and milestones in plan order, with their computed schedule; filter by phase, "
        "workstream, kind, or critical."
    ),
    tag="work items",
    requirement="read",
    query=s.WorkItemQuery,
    response=s.page_of(s.WorkItemOut),
)
def list_work_items(program_id: int, query: s.WorkItemQuery) -> Response:
    program = get_program(program_id)
    refresh_if_stale(program)
    statement = api_support.work_items_query(
        program,
        phase_id=query.phase_id,
        workstream=query.workstream,
        critical=query.critical,
        kind=query.kind,
    )
    page = api_support.paginate(statement, query.page, query.per_page)
    return page_response([dump(s.WorkItemOut, i) for i in page.rows], page, query)


@operation(
    "POST",
    f"{PROGRAM}/work-items",
    summary=N_("Add a work item"),
    description=N_("Add a task or milestone to a phase; the schedule is recomputed."),
    tag="work items",
    requirement="edit",
    body=s.WorkItemCreate,
    response=s.WorkItemOut,
    status=201,
    read_only=ITEM_READ_ONLY,
    aliases=ITEM_ALIASES,
    default_field="key",
)
def create_work_item(program_id: int, body: s.WorkItemCreate) -> Response:
    program = get_program(program_id)
    item, _outcome = plan_service.add_item(
        program,
        key=body.key,
        phase_id=body.phase_id,
        workstream=body.workstream,
        details=_details(body, None),
    )
    if body.model_fields_set & PROGRESS_FIELDS:
        _set_progress(program, item, body)
    return created(
        dump(s.WorkItemOut, item), "api.get_work_item", program_id=program.id, item_id=item.id
    )


@operation(
    "GET",
    f"{PROGRAM}/work-items/key-suggestion",
    summary=N_("Suggest a work item key"),
    description=N_(
        "The key a new item with this name would get: a slug of its Latin words, else "
        "item-<n>; unique in the program when asked (nothing is reserved)."
    ),
    tag="work items",
    requirement="read",
    query=s.KeySuggestionQuery,
    response=s.KeySuggestionOut,
)
def suggest_work_item_key(program_id: int, query: s.KeySuggestionQuery) -> Response:
    program = get_program(program_id)
    return json_response({"key": plan_service.suggest_key(program, query.name or "")})


@operation(
    "GET",
    ITEM,
    summary=N_("Read a work item"),
    tag="work items",
    requirement="read",
    response=s.WorkItemOut,
)
def get_work_item(program_id: int, item_id: int) -> Response:
    program = get_program(program_id)
    refresh_if_stale(program)
    return json_response(dump(s.WorkItemOut, plan_service.get_item(program, item_id)))


@operation(
    "PATCH",
    ITEM,
    summary=N_("Change a work item"),
    description=N_(
        "Change details (name, kind, duration, owner, constraint, deliverable), place (phase, "
        "workstream) or progress (percent complete, actual dates); only the fields sent change, "
        "and the schedule is recomputed."
    ),
    tag="work items",
    requirement="edit",
    body=s.WorkItemUpdate,
    response=s.WorkItemOut,
    read_only={**ITEM_READ_ONLY, "key": "a work item's key cannot be changed"},
    aliases=ITEM_ALIASES,
    default_field="version",
)
def update_work_item(program_id: int, item_id: int, body: s.WorkItemUpdate) -> Response:
    program = get_program(program_id)
    item = plan_service.get_item(program, item_id)
    check_version(item, body.version)
    sent = body.model_fields_set
    if sent & DETAIL_FIELDS:
        plan_service.update_item(program, item, _details(body, item), item.version)
    if sent & {"phase_id", "workstream"}:
        phase_id = body.phase_id if "phase_id" in sent else item.phase_id
        workstream = body.workstream if "workstream" in sent else item.workstream
        plan_service.move_item(program, item, phase_id, workstream, item.version)
    if sent & PROGRESS_FIELDS:
        _set_progress(program, item, body)
    return json_response(dump(s.WorkItemOut, item))


@operation(
    "DELETE",
    ITEM,
    summary=N_("Delete a work item"),
    description=N_("Delete the item and its dependencies; the schedule is recomputed."),
    tag="work items",
    requirement="edit",
    query=s.VersionQuery,
    status=204,
)
def delete_work_item(program_id: int, item_id: int, query: s.VersionQuery) -> Response:
    program = get_program(program_id)
    plan_service.delete_item(program, plan_service.get_item(program, item_id), query.version)
    return no_content()


# --------------------------------------------------------------------------- dependencies


def _dependency_json(dependency: Dependency) -> dict[str, Any]:
    return dump(
        s.DependencyOut,
        dependency,
        predecessor_key=dependency.predecessor.key,
        successor_key=dependency.successor.key,
    )


@operation(
    "GET",
    f"{PROGRAM}/dependencies",
    summary=N_("List dependencies"),
    tag="dependencies",
    requirement="read",
    query=s.DependencyQuery,
    response=s.page_of(s.DependencyOut),
)
def list_dependencies(program_id: int, query: s.DependencyQuery) -> Response:
    program = get_program(program_id)
    statement = api_support.dependencies_query(
        program,
        predecessor_id=query.predecessor_id,
        successor_id=query.successor_id,
        work_item_id=query.work_item_id,
        dep_type=query.type,
    )
    page = api_support.paginate(statement, query.page, query.per_page)
    return page_response([_dependency_json(d) for d in page.rows], page, query)


@operation(
    "POST",
    f"{PROGRAM}/dependencies",
    summary=N_("Add a dependency"),
    description=N_(
        "Link two work items (FS, SS, FF or SF, lag in working days, negative = lead); duplicates"
        " and cycles are refused; the schedule is recomputed."
    ),
    tag="dependencies",
    requirement="edit",
    body=s.DependencyCreate,
    response=s.DependencyOut,
    status=201,
    read_only={"id": "read-only", "predecessor_key": "read-only", "successor_key": "read-only"},
    aliases=DEPENDENCY_ALIASES,
    default_field="successor_id",
)
def create_dependency(program_id: int, body: s.DependencyCreate) -> Response:
    program = get_program(program_id)
    errors = []
    keys = {}
    for field in ("predecessor_id", "successor_id"):
        try:
            keys[field] = plan_service.get_item(program, getattr(body, field)).key
        except NotFoundError:
            errors.append(Problem(field, "plan.item_not_in_program"))
    if errors:
        raise ValidationError(problems=errors)
    dependency, _outcome = plan_service.add_dependency(
        program, keys["predecessor_id"], keys["successor_id"], body.type, body.lag_days
    )
    return created(
        _dependency_json(dependency),
        "api.get_dependency",
        program_id=program.id,
        dependency_id=dependency.id,
    )


@operation(
    "GET",
    DEPENDENCY,
    summary=N_("Read a dependency"),
    tag="dependencies",
    requirement="read",
    response=s.DependencyOut,
)
def get_dependency(program_id: int, dependency_id: int) -> Response:
    program = get_program(program_id)
    return json_response(_dependency_json(plan_service.get_dependency(program, dependency_id)))


@operation(
    "DELETE",
    DEPENDENCY,
    summary=N_("Delete a dependency"),
    description=N_(
        "Remove the link; the schedule is recomputed. (Dependencies carry no version: to change a"
        " type or lag, delete the dependency and add it again.)"
    ),
    tag="dependencies",
    requirement="edit",
    status=204,
)
def delete_dependency(program_id: int, dependency_id: int) -> Response:
    program = get_program(program_id)
    plan_service.delete_dependency(program, plan_service.get_dependency(program, dependency_id))
    return no_content()
