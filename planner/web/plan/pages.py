"""Reading the plan: the Gantt, the table and the phases."""

from __future__ import annotations

from collections.abc import Callable

from flask import render_template, request
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from planner.extensions import db
from planner.models import Program
from planner.ops.cache import derived
from planner.services.plan_view import (
    DEFAULT_SORT,
    SORT_KEYS,
    sort_rows,
)
from planner.services.programs import get_program
from planner.services.scheduling import refresh_if_stale
from planner.web.gantt_text import gantt_text
from planner.web.plan.common import (
    TABLE_PAGE,
    _load,
    _pop_moves,
    _view_args,
    bp,
)


@bp.get("/programs/<int:program_id>/plan/gantt")
def gantt(program_id: int):
    return _shared_body_page(program_id, "gantt-page", "plan/gantt.html", _gantt_body)


def _shared_body_page(
    program_id: int, name: str, template: str, body: Callable[[Program], str]
) -> ResponseReturnValue:
    """A plan page whose body under the header (summary, filters, chart or table) is the same
    for every reader of this revision with the same query and language: rendered once, then
    shared; the header and "what moved" stay per reader."""
    program = get_program(program_id)
    if refresh_if_stale(program) is not None:
        db.session.commit()  # today moved on: the stored schedule was brought up to date
    body_html = derived(
        name,
        program.id,
        lambda: body(program),
        request.query_string.decode("utf-8", "replace"),
    )
    return render_template(
        template,
        program=program,
        body_html=Markup(body_html),  # nosec B704 - rendered by Jinja with autoescape
        moves=_pop_moves(program),
    )


def _gantt_body(program: Program) -> str:
    view = _load(program)
    return render_template(
        "plan/_gantt_body.html",
        program=program,
        view=view,
        gantt_text=gantt_text(),
        args=_view_args(view),
    )


@bp.get("/programs/<int:program_id>/plan/table")
def table(program_id: int):
    # 70 % of this page was Jinja: its body is shared as the Gantt's is
    return _shared_body_page(program_id, "table-page", "plan/table.html", _table_body)


def _table_body(program: Program) -> str:
    view = _load(program)
    sort = request.args.get("sort", DEFAULT_SORT)
    if sort not in SORT_KEYS:
        sort = DEFAULT_SORT
    descending = request.args.get("order") == "desc"
    rows = sort_rows(view.rows, sort, descending)
    pages = max(1, (len(rows) + TABLE_PAGE - 1) // TABLE_PAGE)
    page = min(max(1, request.args.get("page", 1, type=int) or 1), pages)
    shown = rows[(page - 1) * TABLE_PAGE : page * TABLE_PAGE]
    return render_template(
        "plan/_table_body.html",
        program=program,
        view=view,
        rows=shown,
        total=len(rows),
        sort=sort,
        descending=descending,
        page=page,
        pages=pages,
        args=_view_args(view),
    )


@bp.get("/programs/<int:program_id>/plan/phases")
def phases(program_id: int):
    program = get_program(program_id)
    view = _load(program)
    return render_template(
        "plan/phases.html",
        program=program,
        view=view,
        moves=_pop_moves(program),
        args=_view_args(view),
    )


# --------------------------------------------------------------------------- work items
