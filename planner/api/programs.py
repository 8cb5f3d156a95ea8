"""Programs: list the caller's, create one from a playbook, read, change, delete."""

from __future__ import annotations

from flask import Response
from flask_login import current_user

from planner.api import schemas as s
from planner.api.core import (
    ID,
    created,
    dump,
    json_response,
    no_content,
    operation,
    page_response,
)
from planner.api.markers import N_
from planner.domain.errors import NotFoundError, ValidationError
from planner.services import api_support
from planner.services.playbooks import get_playbook
from planner.services.programs import create_program as create_program_service
from planner.services.programs import get_program as load_program

PROGRAM = f"/programs/<{ID}:program_id>"
TAG = "programs"


@operation(
    "GET",
    "/me",
    summary=N_("The token's user"),
    description=N_("Who the token belongs to (to check a token)."),
    tag="account",
    requirement="signed_in",
    response=s.Me,
)
def whoami() -> Response:
    return json_response(dump(s.Me, current_user))


@operation(
    "GET",
    "/programs",
    summary=N_("List programs"),
    description=N_(
        "The programs you are a member of (every program for a site administrator), by id."
    ),
    tag=TAG,
    requirement="signed_in",
    query=s.ProgramQuery,
    response=s.page_of(s.ProgramOut),
)
def list_programs(query: s.ProgramQuery) -> Response:
    page = api_support.paginate(
        api_support.programs_query(current_user, query.status), query.page, query.per_page
    )
    return page_response([dump(s.ProgramOut, p) for p in page.rows], page, query)


@operation(
    "POST",
    "/programs",
    summary=N_("Create a program from a playbook"),
    description=N_(
        "Instantiate a playbook (phases, work items, dependencies, risks, metrics, gate criteria)"
        " as a new program scheduled from `start_date`; you become its lead."
    ),
    tag=TAG,
    requirement="signed_in",
    body=s.ProgramCreate,
    response=s.ProgramOut,
    status=201,
    default_field="playbook",
)
def create_program(body: s.ProgramCreate) -> Response:
    playbook_id, _at, version = body.playbook.partition("@")
    try:
        playbook = get_playbook(playbook_id.strip(), version.strip() or None)
    except NotFoundError as exc:
        raise ValidationError(str(exc), [("playbook", str(exc))]) from None
    program = create_program_service(
        playbook,
        name=body.name,
        client=body.client,
        start_date=body.start_date,
        lead=current_user,
        diagnosis_weeks=body.diagnosis_weeks,
        holiday_set=body.holiday_set,
    )
    return created(dump(s.ProgramOut, program), "api.get_program", program_id=program.id)


@operation(
    "GET",
    PROGRAM,
    summary=N_("Read a program"),
    tag=TAG,
    requirement="read",
    response=s.ProgramOut,
)
def get_program(program_id: int) -> Response:
    return json_response(dump(s.ProgramOut, load_program(program_id)))


@operation(
    "PATCH",
    PROGRAM,
    summary=N_("Change a program"),
    description=N_(
        "Change the name, client, status, status date (the date progress is reported at; the "
        "plan is rescheduled from it) or holiday set. Only the fields sent change."
    ),
    tag=TAG,
    requirement="manage",
    body=s.ProgramUpdate,
    response=s.ProgramOut,
    read_only={
        name: "read-only"
        for name in (
            "id",
            "start_date",
            "workdays",
            "playbook_id",
            "playbook_version",
            "created_at",
        )
    },
)
def update_program(program_id: int, body: s.ProgramUpdate) -> Response:
    program = load_program(program_id)
    changes = body.model_dump(include=body.model_fields_set - {"version"})
    api_support.update_program(program, changes, body.version)
    return json_response(dump(s.ProgramOut, program))


@operation(
    "DELETE",
    PROGRAM,
    summary=N_("Delete a program"),
    description=N_("Delete the program and everything in it. Give the version you read."),
    tag=TAG,
    requirement="manage",
    query=s.VersionQuery,
    status=204,
)
def delete_program(program_id: int, query: s.VersionQuery) -> Response:
    api_support.delete_program(load_program(program_id), query.version)
    return no_content()
