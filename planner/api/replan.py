"""Replanning through the API: move the program's start, set the diagnosis length."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from flask import Response
from pydantic import Field

from planner.api import schemas as s
from planner.api.core import ID, dump, json_response, operation
from planner.api.markers import N_
from planner.domain.errors import ValidationError
from planner.domain.replan import MAX_DIAGNOSIS_WEEKS, MIN_DIAGNOSIS_WEEKS, ReplanError
from planner.i18n import content_lang
from planner.replan_text import reason_text
from planner.services.plan import describe_moves, program_calendar
from planner.services.programs import get_program as load_program
from planner.services.replan import diagnosis_weeks, replan_program

DiagnosisWeeks = Annotated[
    int,
    Field(
        ge=MIN_DIAGNOSIS_WEEKS,
        le=MAX_DIAGNOSIS_WEEKS,
        description=N_("The diagnosis length in whole weeks, 1 to 8."),
    ),
]


class ReplanIn(s.Input):
    version: s.Version
    start_date: date = s.optional(
        description=N_("The new program start; every phase window moves with it.")
    )
    diagnosis_weeks: DiagnosisWeeks = s.optional()


class MovedItem(s.Output):
    key: str
    name: str
    start: date
    finish: date
    start_shift: int | None = Field(description=N_("Working days the start moved (+ later)."))
    finish_shift: int | None = Field(description=N_("Working days the finish moved (+ later)."))


class ReplanOut(s.Output):
    program: s.ProgramOut
    diagnosis_weeks: int | None
    finish: date = Field(description=N_("The program's forecast finish after the change."))
    finish_shift: int | None = Field(description=N_("Working days the finish moved."))
    moved: list[MovedItem] = Field(description=N_("What moved: every item whose dates changed."))


@operation(
    "POST",
    f"/programs/<{ID}:program_id>/replan",
    summary=N_("Replan a program"),
    description=N_(
        "Move the program's start and/or set the diagnosis length in whole weeks (1–8). Every"
        " phase window moves with the start, the phases after the diagnosis by its change;"
        " work not started moves with its phase (its constraint dates too); actual dates stay."
        " Give the program's version; the answer lists what moved."
    ),
    tag="programs",
    requirement="manage",
    body=ReplanIn,
    response=ReplanOut,
    default_field="start_date",
)
def replan(program_id: int, body: ReplanIn) -> Response:
    program = load_program(program_id)
    try:
        outcome = replan_program(
            program,
            start_date=body.start_date,
            diagnosis_weeks=body.diagnosis_weeks,
            version=body.version,
        )
    except ReplanError as exc:
        worded = [(field, reason_text(reason)) for field, reason in exc.reasons]
        raise ValidationError(worded[0][1], worded) from None
    shift = None
    if outcome.previous_finish is not None:
        calendar = program_calendar(program)
        shift = calendar.workdays_between(outcome.previous_finish, outcome.finish)
    moved = [
        {
            "key": m.key,
            "name": m.name,
            "start": m.new_start,
            "finish": m.new_finish,
            "start_shift": m.start_shift,
            "finish_shift": m.finish_shift,
        }
        for m in describe_moves(program, outcome.moves, content_lang())
        if not m.new_item
    ]
    return json_response(
        dump(
            ReplanOut,
            {
                "program": dump(s.ProgramOut, program),
                "diagnosis_weeks": diagnosis_weeks(program),
                "finish": outcome.finish,
                "finish_shift": shift,
                "moved": moved,
            },
        )
    )
