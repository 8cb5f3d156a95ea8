"""The OpenAPI 3.1 description, generated from the operation registry and the pydantic models.

Pydantic writes JSON Schema 2020-12, which is OpenAPI 3.1's schema dialect, so the models'
schemas go into ``components/schemas`` as they are.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from planner.api.core import MAX_BODY_BYTES, MAX_ID, MAX_ORDINAL, OPERATIONS, Operation
from planner.api.markers import N_
from planner.api.problems import PROBLEM_HELP, PROBLEM_MEDIA_TYPE, PROBLEMS
from planner.api.schemas import Problem
from planner.domain.access import CAPABILITIES

REF = "#/components/schemas/{model}"
TAGS = {
    "account": N_("The token's own user."),
    "programs": N_("A client's CRM rollout, instantiated from a playbook."),
    "phases": N_(
        "The diagnosis stage and the 100-day phases (their windows come from the playbook)."
    ),
    "work items": N_(
        "Tasks and milestones. The schedule's fields are computed by the critical "
        "path method after every change and cannot be written."
    ),
    "dependencies": N_("Predecessor → successor links, FS/SS/FF/SF with a lag in working days."),
    "risks": N_("The risk register: inherent and residual likelihood × impact."),
    "metrics": N_("Adoption and benefit measures with a target per phase."),
    "readings": N_("A metric's values over time."),
    "gates": N_("Each phase's exit gate, evaluated live."),
    "gate criteria": N_("What must be true to pass a gate."),
    "people": N_("The people directory, assignments, effort logged and the workload."),
    "money": N_("Budget, cost, earned value and the benefits case."),
    "gate decisions": N_(
        "The steering committee's go / conditional go / no-go, with the gate's "
        "evaluation of record."
    ),
    "raid log": N_(
        "Issues, actions, decisions and change requests (with their impact on the plan)."
    ),
}
INFO_DESCRIPTION = N_(
    "Programs, phases, work items, dependencies, risks, metrics and readings, and "
    "gates of the CRM Rollout Planner.\n\n"
    "Authenticate every request with a personal token: "
    "`Authorization: Bearer <token>` (create tokens at /account/tokens). A token "
    "acts with its owner's roles, as in the pages; a program you are not a member "
    "of answers 404.\n\n"
    "Lists are paginated (`page`, `per_page` ≤ 200; `next`/`prev` in the body and "
    "the `Link` header) in a stable order. Updates are PATCH with the `version` "
    "you read: a stale one answers 409 with `current_version`. Errors are RFC 9457 "
    "problem details naming the field at fault."
)
# the ids in paths, each its own message (the docs page translates them)
ID_DESCRIPTIONS = {
    "program_id": N_("The program's id."),
    "phase_id": N_("The phase's id."),
    "item_id": N_("The item's id."),
    "dependency_id": N_("The dependency's id."),
    "risk_id": N_("The risk's id."),
    "metric_id": N_("The metric's id."),
    "reading_id": N_("The reading's id."),
    "criterion_id": N_("The criterion's id."),
    "decision_id": N_("The decision's id."),
    "issue_id": N_("The issue's id."),
    "action_id": N_("The action's id."),
    "change_id": N_("The change request's id."),
}
PATH_PARAMETERS = {
    "ordinal": (
        {"type": "integer", "minimum": 0, "maximum": MAX_ORDINAL},
        N_("The phase's ordinal."),
    ),
    "benefit_key": (
        {"type": "string", "maxLength": 64},
        N_("The benefit's key, e.g. `retention`."),
    ),
}


# role names as the pages word them (the same messages as templates/members/index.html)
ROLE_LABELS = {
    "lead": N_("Lead"),
    "member": N_("Member"),
    "steering": N_("Steering committee"),
    "viewer": N_("Viewer"),
}


def roles_for(requirement: str, translate: Callable[[str], str] | None = None) -> str:
    """Who may call an operation with ``requirement``: in English with the role codes (for
    openapi.json), or worded by ``translate`` (gettext) for the docs page."""
    tr = translate or (lambda text: text)
    if requirement == "signed_in":
        return tr(N_("any signed-in user"))
    if requirement == "admin":
        return tr(N_("site administrators"))
    if requirement == "public":
        return tr(N_("anyone"))
    roles = [role for role, caps in CAPABILITIES.items() if requirement in caps]
    names = [tr(ROLE_LABELS.get(role, role)) if translate else role for role in roles]
    return tr(N_("%(roles)s (and site administrators)")) % {"roles": ", ".join(names)}


def _models() -> list[tuple[type[BaseModel], str]]:
    seen: dict[tuple[type[BaseModel], str], None] = {(Problem, "serialization"): None}
    for op in OPERATIONS:
        if op.body is not None:
            seen[(op.body, "validation")] = None
        if op.response is not None:
            seen[(op.response, "serialization")] = None
    return list(seen)


def _clean(schema: dict[str, Any]) -> dict[str, Any]:
    schema = copy.deepcopy(schema)
    schema.pop("title", None)
    return schema


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema(mode="validation", ref_template=REF)
    required = set(schema.get("required", []))
    parameters = []
    for name, prop in schema.get("properties", {}).items():
        prop = _clean(prop)
        description = prop.pop("description", "")
        parameters.append(
            {
                "name": name,
                "in": "query",
                "required": name in required,
                "description": description,
                "schema": prop,
            }
        )
    return parameters


def _path_parameters(op: Operation) -> list[dict[str, Any]]:
    parameters = []
    for name in op.path_parameters:
        schema, description = PATH_PARAMETERS.get(
            name,
            (
                {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                ID_DESCRIPTIONS.get(
                    name, f"The {name.removesuffix('_id').replace('_', ' ')}'s id."
                ),
            ),
        )
        parameters.append(
            {
                "name": name,
                "in": "path",
                "required": True,
                "description": description,
                "schema": schema,
            }
        )
    return parameters


def _problem_response(status: int, refs: dict[Any, Any]) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": f"{PROBLEMS[status][1]}. {PROBLEM_HELP.get(status, '')}".strip(),
        "content": {PROBLEM_MEDIA_TYPE: {"schema": refs[(Problem, "serialization")]}},
    }
    if status == 401:
        response["headers"] = {
            "WWW-Authenticate": {
                "description": "Bearer",
                "schema": {"type": "string"},
            }
        }
    if status == 405:
        response["headers"] = {
            "Allow": {"description": "The methods this path accepts.", "schema": {"type": "string"}}
        }
    return response


def _operation(op: Operation, refs: dict[Any, Any]) -> dict[str, Any]:
    description = op.description
    description += f"\n\nAllowed to: {roles_for(op.requirement)} (requirement `{op.requirement}`)."
    entry: dict[str, Any] = {
        "operationId": op.endpoint,
        "summary": op.summary,
        "description": description.strip(),
        "tags": [op.tag],
        "x-requirement": op.requirement,
        "parameters": _path_parameters(op) + (_query_parameters(op.query) if op.query else []),
    }
    if op.requirement == "public":
        entry["security"] = []
    if op.body is not None:
        entry["requestBody"] = {
            "required": True,
            "description": f"JSON, at most {MAX_BODY_BYTES // 1_000_000} MB.",
            "content": {"application/json": {"schema": refs[(op.body, "validation")]}},
        }
    responses: dict[str, Any] = {}
    if op.response is not None:
        success: dict[str, Any] = {
            "description": "Created." if op.status == 201 else "OK.",
            "content": {"application/json": {"schema": refs[(op.response, "serialization")]}},
        }
        if op.status == 201:
            success["headers"] = {
                "Location": {"description": "The new resource.", "schema": {"type": "string"}}
            }
        if op.response.__name__.endswith("Page"):
            success["headers"] = {
                "Link": {
                    "description": 'RFC 8288 links: rel="first", "last", "next", "prev".',
                    "schema": {"type": "string"},
                }
            }
        responses[str(op.status)] = success
    else:
        responses[str(op.status)] = {"description": "Done; no content."}
    for status in op.problems:
        responses[str(status)] = _problem_response(status, refs)
    entry["responses"] = responses
    return entry


def build_document() -> dict[str, Any]:
    """The whole OpenAPI document (a new dict each call)."""
    refs, top = models_json_schema(_models(), ref_template=REF)  # type: ignore[arg-type]  # pydantic's mode Literal: the strings given are valid modes
    order = {tag: n for n, tag in enumerate(TAGS)}
    paths: dict[str, dict[str, Any]] = {}
    for op in sorted(OPERATIONS, key=lambda o: order.get(o.tag, len(order))):
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, refs)
    used_tags = sorted({op.tag for op in OPERATIONS}, key=lambda t: order.get(t, len(order)))
    return {
        "openapi": "3.1.0",
        "info": {
            "title": N_("CRM Rollout Planner API"),
            "version": "1.0.0",
            "description": INFO_DESCRIPTION,
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "tags": [{"name": tag, "description": TAGS.get(tag, "")} for tag in used_tags],
        "paths": paths,
        "components": {
            "schemas": top.get("$defs", {}),
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal API token from /account/tokens.",
                }
            },
        },
    }
