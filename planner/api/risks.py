"""The risk register: list (filter by status, band, owner, category), read, add, change,
delete. Scores and bands are computed from likelihood × impact on the program's scale."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response

from planner.api import schemas as s
from planner.api.core import (
    ID,
    ApiError,
    created,
    dump,
    json_response,
    no_content,
    operation,
    page_response,
)
from planner.api.markers import N_
from planner.domain.explain import Explanation
from planner.explain_text import render
from planner.models import Risk
from planner.services import api_support
from planner.services import risks as risk_service
from planner.services.concurrency import check_version
from planner.services.programs import get_program

PROGRAM = f"/programs/<{ID}:program_id>"
RISK = f"{PROGRAM}/risks/<{ID}:risk_id>"
TAG = "risks"
COMPUTED = "read-only: computed from likelihood and impact on the program's risk scale"
RISK_READ_ONLY = {
    **{name: COMPUTED for name in ("score", "residual_score", "inherent_band", "residual_band")},
    **{name: "read-only" for name in ("id", "program_id")},
}


def _risk_json(risk: Risk, info: risk_service.ScaleInfo) -> dict[str, Any]:
    return dump(
        s.RiskOut,
        risk,
        score=risk.score,
        residual_score=risk.residual_score,
        inherent_band=info.band_of(risk.score),
        residual_band=info.band_of(risk.residual_score),
    )


@operation(
    "GET",
    f"{PROGRAM}/risks",
    summary=N_("List risks"),
    description=N_("The register by id; `band` filters on the residual band."),
    tag=TAG,
    requirement="read",
    query=s.RiskQuery,
    response=s.page_of(s.RiskOut),
)
def list_risks(program_id: int, query: s.RiskQuery) -> Response:
    program = get_program(program_id)
    info = risk_service.scale_for(program)
    register = risk_service.register_view(
        program,
        risk_service.RegisterQuery(
            status=(query.status,) if query.status else (),
            band=(query.band,) if query.band else (),
            owner=(query.owner,) if query.owner else (),
            category=(query.category,) if query.category else (),
            sort="key",
        ),
        info,
        date.today(),
    )
    if register.errors:
        raise ApiError(400, render(Explanation("api.query.filter")), register.errors)
    risks = sorted((row.risk for row in register.rows), key=lambda r: r.id)
    page = api_support.slice_list(risks, query.page, query.per_page)
    return page_response([_risk_json(r, info) for r in page.rows], page, query)


@operation(
    "POST",
    f"{PROGRAM}/risks",
    summary=N_("Add a risk"),
    tag=TAG,
    requirement="edit",
    body=s.RiskCreate,
    response=s.RiskOut,
    status=201,
    read_only=RISK_READ_ONLY,
    default_field="title",
)
def create_risk(program_id: int, body: s.RiskCreate) -> Response:
    program = get_program(program_id)
    risk = risk_service.create_risk(program, body.model_dump(include=body.model_fields_set))
    risk = risk_service.get_risk(program.id, risk.id)
    return created(
        _risk_json(risk, risk_service.scale_for(program)),
        "api.get_risk",
        program_id=program.id,
        risk_id=risk.id,
    )


@operation("GET", RISK, summary=N_("Read a risk"), tag=TAG, requirement="read", response=s.RiskOut)
def get_risk(program_id: int, risk_id: int) -> Response:
    program = get_program(program_id)
    risk = risk_service.get_risk(program.id, risk_id)
    return json_response(_risk_json(risk, risk_service.scale_for(program)))


@operation(
    "PATCH",
    RISK,
    summary=N_("Change a risk"),
    description=N_(
        "Only the fields sent change; a status change must be an allowed transition (a closed "
        "risk is reopened before it is mitigated again)."
    ),
    tag=TAG,
    requirement="edit",
    body=s.RiskUpdate,
    response=s.RiskOut,
    default_field="version",
    read_only={**RISK_READ_ONLY, "key": "a risk's key cannot be changed"},
)
def update_risk(program_id: int, risk_id: int, body: s.RiskUpdate) -> Response:
    program = get_program(program_id)
    risk = risk_service.get_risk(program.id, risk_id)
    check_version(risk, body.version)
    data = {name: getattr(risk, name) for name in risk_service.RISK_FIELDS}
    data.update(body.model_dump(include=body.model_fields_set - {"version"}))
    risk_service.update_risk(risk, data, body.version)
    return json_response(_risk_json(risk, risk_service.scale_for(program)))


@operation(
    "DELETE",
    RISK,
    summary=N_("Delete a risk"),
    description=N_(
        "Delete a risk with its actions and links (closing it keeps it in the register: prefer "
        "that for a risk that no longer applies). Steering-review snapshots keep their copy."
    ),
    tag=TAG,
    requirement="edit",
    query=s.VersionQuery,
    status=204,
)
def delete_risk(program_id: int, risk_id: int, query: s.VersionQuery) -> Response:
    program = get_program(program_id)
    api_support.delete_risk(risk_service.get_risk(program.id, risk_id), query.version)
    return no_content()
