"""Phase gates: each gate evaluated today, its criteria (read and write), and the steering
committee's decisions (recorded, never edited: the latest one counts)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response

from planner.api import schemas as s
from planner.api.core import (
    ID,
    ORDINAL,
    created,
    dump,
    json_response,
    no_content,
    operation,
    page_response,
)
from planner.api.markers import N_
from planner.domain.errors import NotFoundError, Problem, ValidationError
from planner.domain.explain import codes
from planner.domain.gates import Decision
from planner.explain_text import render
from planner.i18n import content_lang
from planner.models import GateCriterion, GateDecision
from planner.services import api_support
from planner.services import gates as gate_service
from planner.services.concurrency import check_version

PROGRAM = f"/programs/<{ID}:program_id>"
GATE = f"{PROGRAM}/gates/<{ORDINAL}:ordinal>"
CRITERION = f"{GATE}/criteria/<{ID}:criterion_id>"
DECISION = f"{GATE}/decisions/<{ID}:decision_id>"
MAX_REFERENCE = 1000  # GateCriterion.reference
EVALUATED = "read-only: evaluated from the program's metrics, milestones and risks"
CRITERION_READ_ONLY = {
    "outcome": EVALUATED,
    "reason": EVALUATED,
    "reason_codes": EVALUATED,
    **{name: "read-only" for name in ("id", "phase_id", "position")},
}
DECISION_READ_ONLY = {
    **{
        name: "read-only: recorded by the planner"
        for name in ("overall_at_decision", "summary_at_decision", "recorded_by", "recorded_at")
    },
    **{name: "read-only" for name in ("id", "phase_id")},
}


def _criterion_json(line: gate_service.CriterionLine) -> dict[str, Any]:
    row = line.row
    return dump(
        s.CriterionOut,
        row,
        metric=row.reference if row.kind == "metric_target" else None,
        milestones=row.milestone_keys,
        band=row.reference if row.kind == "max_risk_band" else None,
        source=row.source or None,
        outcome=line.result.outcome,
        # words for people, in the request's language (English unless it asks otherwise)
        reason=render(line.result.reason),
        reason_codes=list(codes(line.result.reason)),
    )


def _decision_json(decision: GateDecision | None) -> dict[str, Any] | None:
    return dump(s.DecisionOut, decision) if decision is not None else None


def _gate_json(report: gate_service.GateReport) -> dict[str, Any]:
    phase = report.phase
    return dump(
        s.GateOut,
        {
            "ordinal": phase.ordinal,
            "phase_id": phase.id,
            "phase_key": phase.key,
            "phase_name": phase.name,
            "gate_date": report.gate_date,
            "days_to_gate": report.days_to_gate,
            "overall": report.evaluation.verdict,
            "outlook": report.evaluation.is_outlook,
            "summary": render(report.evaluation.summary),
            "criteria": [_criterion_json(line) for line in report.lines],
            "latest_decision": _decision_json(report.latest_decision),
        },
    )


def _line(program_id: int, ordinal: int, criterion_id: int) -> gate_service.CriterionLine:
    _program, report = gate_service.gate_report(program_id, ordinal, date.today(), content_lang())
    for line in report.lines:
        if line.row.id == criterion_id:
            return line
    raise NotFoundError(problems=[Problem("", "row.not_found")])


@operation(
    "GET",
    f"{PROGRAM}/gates",
    summary=N_("List gates, evaluated today"),
    description=N_(
        "One gate per phase, by ordinal: each criterion's outcome, the overall verdict (pass, at "
        "risk, fail) and the latest decision."
    ),
    tag="gates",
    requirement="read",
    query=s.PageQuery,
    response=s.page_of(s.GateOut),
)
def list_gates(program_id: int, query: s.PageQuery) -> Response:
    _program, reports = gate_service.gate_reports(program_id, date.today(), content_lang())
    page = api_support.slice_list(reports, query.page, query.per_page)
    return page_response([_gate_json(r) for r in page.rows], page, query)


@operation(
    "GET",
    GATE,
    summary=N_("Read a gate, evaluated today"),
    tag="gates",
    requirement="read",
    response=s.GateOut,
)
def get_gate(program_id: int, ordinal: int) -> Response:
    _program, report = gate_service.gate_report(program_id, ordinal, date.today(), content_lang())
    return json_response(_gate_json(report))


# --------------------------------------------------------------------------- criteria


def _criterion_input(body: Any, row: GateCriterion | None) -> gate_service.CriterionInput:
    sent = body.model_fields_set
    current: dict[str, Any] = {}
    if row is not None:
        current = {
            "kind": row.kind,
            "metric": row.reference if row.kind == "metric_target" else "",
            "milestones": row.milestone_keys,
            "band": row.reference if row.kind == "max_risk_band" else "",
            "text": row.text,
            "text_zh": row.text_zh,
            "met": row.met,
            "source": row.source or "person",
            "evidence": row.evidence,
            "evidence_url": row.evidence_url,
        }
    defaults = {
        "metric": "",
        "milestones": [],
        "band": "",
        "text": "",
        "evidence": "",
        "source": "person",
    }

    def value(name: str) -> Any:
        if name in sent:
            return getattr(body, name)
        return current.get(name, defaults.get(name))

    milestones = tuple(value("milestones") or ())
    if len(" ".join(milestones)) > MAX_REFERENCE:
        # the criterion stores the keys in one column of this size
        raise ValidationError.of(
            "milestones", "gate.criterion.keys_too_long", max=str(MAX_REFERENCE)
        )
    return gate_service.CriterionInput(
        kind=value("kind"),
        metric=value("metric") or "",
        milestones=milestones,
        band=value("band") or "",
        text=value("text") or "",
        text_zh=value("text_zh"),
        met=value("met"),
        evidence=value("evidence") or "",
        evidence_url=value("evidence_url"),
        source=value("source") or "person",
    )


@operation(
    "GET",
    f"{GATE}/criteria",
    summary=N_("List a gate's criteria"),
    tag="gate criteria",
    requirement="read",
    query=s.PageQuery,
    response=s.page_of(s.CriterionOut),
)
def list_criteria(program_id: int, ordinal: int, query: s.PageQuery) -> Response:
    _program, report = gate_service.gate_report(program_id, ordinal, date.today(), content_lang())
    page = api_support.slice_list(report.lines, query.page, query.per_page)
    return page_response([_criterion_json(line) for line in page.rows], page, query)


@operation(
    "POST",
    f"{GATE}/criteria",
    summary=N_("Add a criterion to a gate"),
    description=N_(
        "A metric target met (`metric`), milestones done (`milestones`), no open risk above a "
        "band (`band`), or a manual statement (`text`, judged with `met` and evidence)."
    ),
    tag="gate criteria",
    requirement="manage",
    body=s.CriterionCreate,
    response=s.CriterionOut,
    status=201,
    read_only=CRITERION_READ_ONLY,
    default_field="kind",
)
def create_criterion(program_id: int, ordinal: int, body: s.CriterionCreate) -> Response:
    program = gate_service.load_program(program_id)
    phase = gate_service.phase_by_ordinal(program, ordinal)
    row = gate_service.save_criterion(program, phase, _criterion_input(body, None))
    return created(
        _criterion_json(_line(program_id, ordinal, row.id)),
        "api.get_criterion",
        program_id=program_id,
        ordinal=ordinal,
        criterion_id=row.id,
    )


@operation(
    "GET",
    CRITERION,
    summary=N_("Read a criterion"),
    tag="gate criteria",
    requirement="read",
    response=s.CriterionOut,
)
def get_criterion(program_id: int, ordinal: int, criterion_id: int) -> Response:
    return json_response(_criterion_json(_line(program_id, ordinal, criterion_id)))


@operation(
    "PATCH",
    CRITERION,
    summary=N_("Change a criterion"),
    description=N_(
        "Only the fields sent change (e.g. `met` and `evidence` of a manual criterion)."
    ),
    tag="gate criteria",
    requirement="manage",
    body=s.CriterionUpdate,
    response=s.CriterionOut,
    read_only=CRITERION_READ_ONLY,
    default_field="version",
)
def update_criterion(
    program_id: int, ordinal: int, criterion_id: int, body: s.CriterionUpdate
) -> Response:
    program = gate_service.load_program(program_id)
    phase = gate_service.phase_by_ordinal(program, ordinal)
    row = gate_service.get_criterion(phase, criterion_id)
    check_version(row, body.version)
    gate_service.save_criterion(program, phase, _criterion_input(body, row), row, body.version)
    return json_response(_criterion_json(_line(program_id, ordinal, row.id)))


@operation(
    "DELETE",
    CRITERION,
    summary=N_("Remove a criterion"),
    tag="gate criteria",
    requirement="manage",
    query=s.VersionQuery,
    status=204,
)
def delete_criterion(
    program_id: int, ordinal: int, criterion_id: int, query: s.VersionQuery
) -> Response:
    program = gate_service.load_program(program_id)
    phase = gate_service.phase_by_ordinal(program, ordinal)
    row = gate_service.get_criterion(phase, criterion_id)
    check_version(row, query.version)
    gate_service.delete_criterion(phase, row)
    return no_content()


# --------------------------------------------------------------------------- decisions


@operation(
    "GET",
    f"{GATE}/decisions",
    summary=N_("List a gate's decisions"),
    description=N_("Newest first: the first one is the decision in force."),
    tag="gate decisions",
    requirement="read",
    query=s.PageQuery,
    response=s.page_of(s.DecisionOut),
)
def list_decisions(program_id: int, ordinal: int, query: s.PageQuery) -> Response:
    program = gate_service.load_program(program_id)
    phase = gate_service.phase_by_ordinal(program, ordinal)
    statement = api_support.decisions_query(program, phase)
    page = api_support.paginate(statement, query.page, query.per_page)
    return page_response([dump(s.DecisionOut, d) for d in page.rows], page, query)


@operation(
    "POST",
    f"{GATE}/decisions",
    summary=N_("Record a gate decision"),
    description=N_(
        "Go, conditional go (with conditions and a due date) or no-go (with a replan). The gate "
        "is evaluated now and its verdict recorded with the decision; a go while a criterion is "
        "unmet needs a justification."
    ),
    tag="gate decisions",
    requirement="decide",
    body=s.DecisionCreate,
    response=s.DecisionOut,
    status=201,
    read_only=DECISION_READ_ONLY,
    default_field="kind",
)
def create_decision(program_id: int, ordinal: int, body: s.DecisionCreate) -> Response:
    program = gate_service.load_program(program_id)
    phase = gate_service.phase_by_ordinal(program, ordinal)
    today = date.today()
    data = Decision(
        kind=body.kind,
        decided_by=body.decided_by,
        decided_on=body.decided_on if "decided_on" in body.model_fields_set else today,
        notes=body.notes,
        conditions=body.conditions,
        due=body.due,
        justification=body.justification,
        replan=body.replan,
    )
    decision = gate_service.record_decision(program, phase, data, today, content_lang())
    return created(
        dump(s.DecisionOut, decision),
        "api.get_decision",
        program_id=program_id,
        ordinal=ordinal,
        decision_id=decision.id,
    )


@operation(
    "GET",
    DECISION,
    summary=N_("Read a decision"),
    tag="gate decisions",
    requirement="read",
    response=s.DecisionOut,
)
def get_decision(program_id: int, ordinal: int, decision_id: int) -> Response:
    program = gate_service.load_program(program_id)
    phase = gate_service.phase_by_ordinal(program, ordinal)
    return json_response(dump(s.DecisionOut, api_support.get_decision(program, phase, decision_id)))
