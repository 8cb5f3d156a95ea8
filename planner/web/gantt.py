"""The Gantt chart's JSON: its data (read) and its edits (session, CSRF token in the
``X-CSRFToken`` header, the permission table's "edit").

An edit answers with what moved (worded in the reader's language), the edited row's new
version and the edit that undoes it; a refused edit with 422 (the problems, the cycle
named), a stale one with 409. Both roll back, so nothing changes.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from planner.domain.errors import ValidationError
from planner.explain_text import problem_pairs
from planner.extensions import db
from planner.i18n import content_lang
from planner.models import Program
from planner.ops.assets import chosen_encoding, compress
from planner.ops.cache import derived
from planner.services import plan as plan_service
from planner.services.concurrency import StaleEditError
from planner.services.gantt_data import gantt_payload
from planner.services.gantt_edit import GanttEdit, apply_edit
from planner.services.plan_view import Filters
from planner.services.programs import get_program
from planner.services.scheduling import refresh_if_stale

bp = Blueprint("gantt", __name__)

MOVES_LISTED = 12
#: up to this many moved items, the answer carries their new dates: the chart moves their
#: bars at once, before its data is read again (floats, critical path, statuses)
MOVES_DATED = 3000


@bp.get("/programs/<int:program_id>/plan/gantt/data")
def data(program_id: int) -> ResponseReturnValue:
    program = get_program(program_id)
    if refresh_if_stale(program) is not None:
        db.session.commit()  # today moved on: the stored schedule was brought up to date
    baseline = request.args.get("baseline", "")
    filters = Filters.from_args(request.args)
    baseline_id = int(baseline) if baseline.isdigit() else None
    lang = content_lang()

    def text() -> str:
        return gantt_payload(program, filters=filters, baseline_id=baseline_id, lang=lang)

    encoding = chosen_encoding(request.headers.get("Accept-Encoding", ""))
    if encoding is None:
        response = Response(text(), mimetype="application/json")
    else:
        # 10,000 items are 1.2 MB of JSON: compressed once per revision, not per reader
        parts = (filters.as_args(), baseline_id, lang, encoding)
        body = derived(
            "gantt-data-z", program.id, lambda: compress(text().encode(), encoding), *parts
        )
        response = Response(body, mimetype="application/json")
        response.headers["Content-Encoding"] = encoding
        response.vary.add("Accept-Encoding")
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.post("/programs/<int:program_id>/plan/gantt/edits")
def edit(program_id: int) -> ResponseReturnValue:
    program = get_program(program_id)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        body = {}
    try:
        done = apply_edit(program, body)
        db.session.commit()
    except StaleEditError as exc:
        db.session.rollback()
        message = _("Someone else changed this item since the chart was loaded: reload it.")
        return jsonify(ok=False, stale=True, message=message, detail=str(exc)), 409
    except ValidationError as exc:
        db.session.rollback()
        pairs = problem_pairs(exc)
        return jsonify(ok=False, message=pairs[0][1], problems=pairs), 422
    return jsonify(_answer(program, done))


def _answer(program: Program, done: GanttEdit) -> dict[str, Any]:
    """What moved, in the reader's language, with the shift of the program's finish."""
    outcome = done.outcome
    listed = plan_service.describe_moves(program, outcome.moves, content_lang(), first=MOVES_LISTED)
    moves = [m for m in listed if not m.new_item]
    count = outcome.moves.moved_count()
    shift = None
    if outcome.previous_finish is not None:
        calendar = plan_service.program_calendar(program)
        shift = calendar.workdays_between(outcome.previous_finish, outcome.finish)
    if count:
        message = _("%(n)d item(s) moved.", n=count)
    else:
        message = _("Saved — no dates moved.")
    return {
        "ok": True,
        "message": message,
        "count": count,
        "finish": outcome.finish.isoformat(),
        "finishShift": shift,
        "moved": [
            [m.key, m.name, m.start_shift, m.finish_shift, m.new_start.isoformat()] for m in moves
        ],
        "dates": [[m.key, m.new_start.isoformat(), m.new_finish.isoformat()] for m in outcome.moves]
        if len(outcome.moves) <= MOVES_DATED
        else None,
        "item": done.item_id,
        "version": done.version,
        "dependency": done.dependency_id,
        "undo": done.undo,
    }
