"""The plan area's blueprint and what its pages share: view arguments, the moves
remembered after an edit, form refusals, choices and labels."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, request, session, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from planner.domain.errors import ValidationError
from planner.explain_text import problem_pairs
from planner.extensions import db
from planner.i18n import content_lang, localized
from planner.models import Program, WorkItem
from planner.services import plan as plan_service
from planner.services.plan_view import (
    Filters,
    PlanView,
    load_plan,
)
from planner.services.scheduling import Outcome
from planner.web.redirects import local_path

bp = Blueprint("plan", __name__)

MOVES_SHOWN = 12
TABLE_PAGE = 200


# --------------------------------------------------------------------------- helpers


def _baseline_arg() -> int | None:
    raw = request.args.get("baseline", "")
    if raw == "":
        return None
    try:
        return max(0, int(raw))
    except ValueError:
        abort(400, _("The baseline must be a number."))


def _view_args(view: PlanView | None = None, **extra: Any) -> dict[str, Any]:
    """The query arguments a plan page keeps when linking to another one."""
    filters = view.filters if view else Filters.from_args(request.args)
    args: dict[str, Any] = dict(filters.as_args())
    if "baseline" in request.args:
        args["baseline"] = request.args["baseline"]
    args.update({k: v for k, v in extra.items() if v is not None})
    return args


def _load(program: Program) -> PlanView:
    view = load_plan(
        program,
        filters=Filters.from_args(request.args),
        baseline_id=_baseline_arg(),
        lang=content_lang(),
    )
    if view.refreshed:
        db.session.commit()  # today moved on: the stored schedule was brought up to date
    return view


def _remember(program: Program, outcome: Outcome, message: str) -> None:
    """Flash ``message`` and keep what moved for the next page to show."""
    flash(message, "success")
    shown = plan_service.describe_moves(program, outcome.moves, content_lang(), first=MOVES_SHOWN)
    shift = None
    if outcome.previous_finish is not None:
        calendar = plan_service.program_calendar(program)
        shift = calendar.workdays_between(outcome.previous_finish, outcome.finish)
    moved = [m for m in shown if not m.new_item]
    session["plan_moves"] = {
        "program": program.id,
        "count": outcome.moves.moved_count(),
        "finish": outcome.finish.isoformat(),
        "finish_shift": shift,
        "overruns": [[o.phase, o.days_over] for o in outcome.overruns][:6],
        "items": [
            [
                m.key,
                m.name[:60],
                m.new_item,
                m.start_shift,
                m.finish_shift,
                m.new_start.isoformat(),
                m.new_finish.isoformat(),
            ]
            for m in moved[:MOVES_SHOWN]
        ],
    }


def _pop_moves(program: Program) -> dict[str, Any] | None:
    """What moved, kept by ``_remember`` for this page: dates back to dates (the session
    holds ISO text) and phases by their name in the reader's language."""
    moves = session.get("plan_moves")
    if not (moves and moves.get("program") == program.id):
        return None
    session.pop("plan_moves", None)
    shown = dict(moves)
    shown["finish"] = _day(moves.get("finish"))
    phases = {p.key: localized(p, "name") or p.key for p in program.phases}
    shown["overruns"] = [[phases.get(key, key), days] for key, days in moves.get("overruns", [])]
    shown["items"] = [
        [key, name, new, start_shift, finish_shift, _day(start), _day(finish)]
        for key, name, new, start_shift, finish_shift, start, finish in moves.get("items", [])
    ]
    return shown


def _day(text: Any) -> date | None:
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        return None


def _attach(form: FlaskForm, exc: ValidationError, fallback: str) -> list[str]:
    """Put a service's (field, message) errors on the form; return those with no field."""
    general: list[str] = []
    for name, message in problem_pairs(exc):
        name = name or fallback
        field = getattr(form, name, None)
        if field is None or not hasattr(field, "errors"):
            general.append(message)
        else:
            field.errors = [*field.errors, message]
    return general


def _phase_choices(program: Program) -> list[tuple[int, str]]:
    from planner.i18n import localized

    return [(p.id, f"{p.ordinal} · {localized(p, 'name')}") for p in program.phases]


def _next_url(program: Program, item: WorkItem | None = None) -> str:
    target = local_path(request.form.get("next"))
    if target is not None:
        return target
    if item is not None:
        return url_for("plan.item", program_id=program.id, item_id=item.id)
    return url_for("plan.table", program_id=program.id)


def _moved_message(outcome: Outcome, what: str) -> str:
    moved = outcome.moves.moved_count()
    if moved:
        return _("%(what)s — %(n)d item(s) moved.", what=what, n=moved)
    return _("%(what)s — no dates moved.", what=what)


def _labels() -> dict[str, str]:
    return {
        "done": _("Done"),
        "in_progress": _("In progress"),
        "not_started": _("Not started"),
        "late": _("Late"),
        "critical": _("Critical"),
        "baseline": _("Baseline"),
        "milestone": _("Milestones"),
        "critical_links": _("Critical path links"),
        "driving": _("Drives a gate"),
        "other_links": _("Other links"),
        "summary": _("Workstream summary"),
        "progress": _("Work done"),
        "today": _("Today"),
        "status_date": _("Status date"),
        "gate": _("Gate"),
        "overrun": _("overrun"),
        "float": _("Float"),
        "free_float": _("free"),
        "owner": _("Owner"),
        "after": _("After"),
        "variance": _("vs baseline"),
        "items": _("items"),
        "wd": _("wd"),
        "complete": _("complete"),
        "no_workstream": _("(no workstream)"),
        "nothing": _("No work items match these filters."),
    }


# --------------------------------------------------------------------------- views
