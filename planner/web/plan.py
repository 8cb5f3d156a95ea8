"""Pages of the plan area (URLs under /programs/<id>/plan/...): Gantt, table, phases, editing.

Views are thin: parse the form, call one service, commit, say what moved, redirect. A
refused edit re-renders its form with the errors (422), a stale one with who changed it and
the stored values beside the user's input (409); both roll back, so nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from markupsafe import Markup

from planner.domain.errors import ValidationError
from planner.domain.ids import as_id
from planner.explain_text import problem_pairs
from planner.extensions import db
from planner.forms.plan import (
    BaselineForm,
    CalendarDayForm,
    DeleteForm,
    DependencyForm,
    ItemDetailsForm,
    MoveForm,
    NewItemForm,
    ProgressForm,
    StatusDateForm,
)
from planner.i18n import content_lang, format_day, localized
from planner.models import Program, WorkItem
from planner.ops.cache import derived
from planner.services import plan as plan_service
from planner.services.concurrency import StaleEditError
from planner.services.plan_view import (
    DEFAULT_SORT,
    SORT_KEYS,
    Filters,
    PlanView,
    load_plan,
    sort_rows,
)
from planner.services.programs import get_program
from planner.services.scheduling import Outcome, refresh_if_stale
from planner.web.gantt_text import gantt_text
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
    moves = plan_service.describe_moves(program, outcome.moves, content_lang())
    shift = None
    if outcome.previous_finish is not None:
        calendar = plan_service.program_calendar(program)
        shift = calendar.workdays_between(outcome.previous_finish, outcome.finish)
    moved = [m for m in moves if not m.new_item]
    session["plan_moves"] = {
        "program": program.id,
        "count": len(moved),
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
    moved = sum(1 for m in outcome.moves if m.old_start is not None)
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


def _details(form: ItemDetailsForm) -> plan_service.ItemDetails:
    kind = form.kind.data or "task"
    duration = form.duration_days.data
    return plan_service.ItemDetails(
        name=form.name.data or "",
        kind=kind,
        duration_days=0 if kind == "milestone" else (duration if duration is not None else 0),
        owner=form.owner.data,
        constraint_type=form.constraint_type.data or None,
        constraint_date=form.constraint_date.data,
        deliverable=form.deliverable.data,
    )


def _datalists(program: Program) -> dict[str, list[str]]:
    return {"keys": plan_service.item_keys(program), "streams": plan_service.workstreams(program)}


@bp.route("/programs/<int:program_id>/plan/items/new", methods=["GET", "POST"])
def item_new(program_id: int):
    program = get_program(program_id)
    form = NewItemForm()
    form.phase.choices = _phase_choices(program)
    general: list[str] = []
    if request.method == "GET":
        form.phase.data = int(request.args.get("phase", 0, type=int) or 0) or None
        form.workstream.data = request.args.get("workstream") or None
        form.duration_days.data = 5
    if form.validate_on_submit():
        try:
            item, outcome = plan_service.add_item(
                program,
                key=form.key.data,
                phase_id=form.phase.data,
                workstream=form.workstream.data,
                details=_details(form),
                predecessor_key=form.predecessor.data,
            )
            db.session.commit()
        except ValidationError as exc:
            db.session.rollback()
            general = _attach(form, exc, "key")
        else:
            _remember(program, outcome, _moved_message(outcome, _("Work item added")))
            return redirect(url_for("plan.item", program_id=program.id, item_id=item.id))
    status = 200 if request.method == "GET" else 422
    return render_template(
        "plan/item_new.html", program=program, form=form, general=general, **_datalists(program)
    ), status


@bp.get("/programs/<int:program_id>/plan/items/key-suggestion")
def item_key_suggestion(program_id: int):
    """The key the add-item form proposes for the name typed so far (JSON, item_key.js)."""
    program = get_program(program_id)
    name = request.args.get("name", "")[:300]
    return {"key": plan_service.suggest_key(program, name)}


def _item_page(
    program: Program,
    item: WorkItem,
    *,
    details: ItemDetailsForm | None = None,
    progress: ProgressForm | None = None,
    move: MoveForm | None = None,
    dependency: DependencyForm | None = None,
    general: list[str] | None = None,
    conflict: dict[str, Any] | None = None,
    status: int = 200,
):
    if details is None:
        details = ItemDetailsForm(formdata=None, obj=item)
        details.version.data = item.version
    if progress is None:
        progress = ProgressForm(formdata=None, obj=item)
        progress.version.data = item.version
    if move is None:
        move = MoveForm(formdata=None, obj=item)
        move.phase.data = item.phase_id
        move.version.data = item.version
    move.phase.choices = _phase_choices(program)
    if item.is_milestone:
        progress.actual_finish.label.text = _("Reached on")
        progress.actual_finish.description = _("Leave empty while the milestone is ahead.")
    if dependency is None:
        dependency = DependencyForm(formdata=None)
        dependency.successor.data = item.key
    incoming, outgoing = plan_service.item_dependencies(item)
    return render_template(
        "plan/item.html",
        program=program,
        item=item,
        details=details,
        progress=progress,
        move=move,
        dependency=dependency,
        delete_form=DeleteForm(formdata=None),
        incoming=incoming,
        outgoing=outgoing,
        general=general or [],
        conflict=conflict,
        moves=_pop_moves(program),
        status_date=plan_service.status_date_of(program),
        **_datalists(program),
    ), status


def _conflict(item: WorkItem, exc: StaleEditError, fields: list[str]) -> dict[str, Any]:
    current = {}
    for name in fields:
        value = getattr(item, "phase_id" if name == "phase" else name, None)
        if name == "phase":
            value = f"{item.phase.ordinal} · {item.phase.name}"
        current[name] = "—" if value in (None, "") else str(value)
    return {"message": str(exc), "current": current}


@bp.get("/programs/<int:program_id>/plan/items/<int:item_id>")
def item(program_id: int, item_id: int):
    program = get_program(program_id)
    return _item_page(program, plan_service.get_item(program, item_id))


@bp.post("/programs/<int:program_id>/plan/items/<int:item_id>/edit")
def item_edit(program_id: int, item_id: int):
    program = get_program(program_id)
    work_item = plan_service.get_item(program, item_id)
    form = ItemDetailsForm()
    if not form.validate_on_submit():
        return _item_page(program, work_item, details=form, status=422)
    try:
        outcome = plan_service.update_item(program, work_item, _details(form), form.version.data)
        db.session.commit()
    except StaleEditError as exc:
        db.session.rollback()
        form.version.data = exc.current_version
        fields = ["name", "kind", "duration_days", "owner", "constraint_type", "constraint_date"]
        conflict = _conflict(work_item, exc, fields)
        return _item_page(program, work_item, details=form, conflict=conflict, status=409)
    except ValidationError as exc:
        db.session.rollback()
        general = _attach(form, exc, "name")
        return _item_page(program, work_item, details=form, general=general, status=422)
    _remember(program, outcome, _moved_message(outcome, _("Work item saved")))
    return redirect(_next_url(program, work_item))


@bp.post("/programs/<int:program_id>/plan/items/<int:item_id>/progress")
def item_progress(program_id: int, item_id: int):
    program = get_program(program_id)
    work_item = plan_service.get_item(program, item_id)
    form = ProgressForm()
    if not form.validate_on_submit():
        return _item_page(program, work_item, progress=form, status=422)
    try:
        outcome = plan_service.set_progress(
            program,
            work_item,
            percent_complete=form.percent_complete.data,
            actual_start=form.actual_start.data,
            actual_finish=form.actual_finish.data,
            version=form.version.data,
        )
        db.session.commit()
    except StaleEditError as exc:
        db.session.rollback()
        form.version.data = exc.current_version
        conflict = _conflict(work_item, exc, ["percent_complete", "actual_start", "actual_finish"])
        return _item_page(program, work_item, progress=form, conflict=conflict, status=409)
    except ValidationError as exc:
        db.session.rollback()
        general = _attach(form, exc, "percent_complete")
        return _item_page(program, work_item, progress=form, general=general, status=422)
    _remember(program, outcome, _moved_message(outcome, _("Progress saved")))
    return redirect(_next_url(program, work_item))


@bp.post("/programs/<int:program_id>/plan/items/<int:item_id>/move")
def item_move(program_id: int, item_id: int):
    program = get_program(program_id)
    work_item = plan_service.get_item(program, item_id)
    form = MoveForm()
    form.phase.choices = _phase_choices(program)
    if not form.validate_on_submit():
        return _item_page(program, work_item, move=form, status=422)
    try:
        outcome = plan_service.move_item(
            program, work_item, form.phase.data, form.workstream.data, form.version.data
        )
        db.session.commit()
    except StaleEditError as exc:
        db.session.rollback()
        form.version.data = exc.current_version
        conflict = _conflict(work_item, exc, ["phase", "workstream"])
        return _item_page(program, work_item, move=form, conflict=conflict, status=409)
    except ValidationError as exc:
        db.session.rollback()
        general = _attach(form, exc, "phase")
        return _item_page(program, work_item, move=form, general=general, status=422)
    _remember(program, outcome, _moved_message(outcome, _("Work item moved")))
    return redirect(_next_url(program, work_item))


@bp.route("/programs/<int:program_id>/plan/items/<int:item_id>/delete", methods=["GET", "POST"])
def item_delete(program_id: int, item_id: int):
    program = get_program(program_id)
    work_item = plan_service.get_item(program, item_id)
    form = DeleteForm()
    conflict = None
    status = 200
    if request.method == "GET":
        form.version.data = work_item.version
    elif form.validate_on_submit():
        key = work_item.key
        try:
            outcome = plan_service.delete_item(program, work_item, form.version.data)
            db.session.commit()
        except StaleEditError as exc:
            db.session.rollback()
            form.version.data = exc.current_version
            conflict = {"message": str(exc), "current": {}}
            status = 409
        else:
            _remember(program, outcome, _moved_message(outcome, _("%(key)s deleted", key=key)))
            return redirect(url_for("plan.table", program_id=program.id))
    else:
        status = 400
    incoming, outgoing = plan_service.item_dependencies(work_item)
    return render_template(
        "plan/item_delete.html",
        program=program,
        item=work_item,
        form=form,
        conflict=conflict,
        links=len(incoming) + len(outgoing),
    ), status


# --------------------------------------------------------------------------- dependencies


@bp.post("/programs/<int:program_id>/plan/dependencies")
def dependency_add(program_id: int):
    program = get_program(program_id)
    form = DependencyForm()
    context_item = None
    if request.form.get("item_id"):
        item_id = as_id(request.form["item_id"])
        if item_id is None:
            abort(404)  # no such item (the URL's own ids answer the same)
        context_item = plan_service.get_item(program, item_id)
    general: list[str] = []
    if form.validate_on_submit():
        try:
            _dep, outcome = plan_service.add_dependency(
                program,
                form.predecessor.data,
                form.successor.data,
                form.type.data,
                form.lag.data,
            )
            db.session.commit()
        except ValidationError as exc:
            db.session.rollback()
            general = _attach(form, exc, "predecessor")
        else:
            name = f"{form.predecessor.data.strip()} → {form.successor.data.strip()}"
            _remember(
                program, outcome, _moved_message(outcome, _("Dependency %(name)s added", name=name))
            )
            return redirect(_next_url(program, context_item))
    if context_item is not None:
        return _item_page(program, context_item, dependency=form, general=general, status=422)
    return render_template(
        "plan/dependency_new.html",
        program=program,
        form=form,
        general=general,
        **_datalists(program),
    ), 422


@bp.get("/programs/<int:program_id>/plan/dependencies/new")
def dependency_new(program_id: int):
    program = get_program(program_id)
    form = DependencyForm(formdata=None)
    form.predecessor.data = request.args.get("predecessor", "")
    form.successor.data = request.args.get("successor", "")
    return render_template(
        "plan/dependency_new.html", program=program, form=form, general=[], **_datalists(program)
    )


@bp.post("/programs/<int:program_id>/plan/dependencies/<int:dependency_id>/delete")
def dependency_delete(program_id: int, dependency_id: int):
    program = get_program(program_id)
    dependency = plan_service.get_dependency(program, dependency_id)
    if not DeleteForm().validate_on_submit():
        abort(400)
    label = dependency.audit_label
    outcome = plan_service.delete_dependency(program, dependency)
    db.session.commit()
    _remember(
        program, outcome, _moved_message(outcome, _("Dependency %(name)s removed", name=label))
    )
    return redirect(_next_url(program))


# --------------------------------------------------------------------------- baselines


@bp.route("/programs/<int:program_id>/plan/baselines", methods=["GET", "POST"])
def baselines(program_id: int):
    program = get_program(program_id)
    form = BaselineForm()
    status = 200
    if request.method == "GET" and not form.name.data:
        form.name.data = _("Baseline %(day)s", day=date.today().isoformat())
    if form.validate_on_submit():
        try:
            baseline = plan_service.take_baseline(program, form.name.data)
            db.session.commit()
        except ValidationError as exc:
            db.session.rollback()
            _attach(form, exc, "name")
            status = 422
        else:
            flash(_("Baseline “%(name)s” taken.", name=baseline.name), "success")
            return redirect(url_for("plan.baselines", program_id=program.id))
    elif request.method == "POST":
        status = 422
    if refresh_if_stale(program) is not None:
        db.session.commit()
    return render_template(
        "plan/baselines.html",
        program=program,
        form=form,
        summaries=plan_service.baseline_summaries(program),
        delete_form=DeleteForm(formdata=None),
    ), status


@bp.post("/programs/<int:program_id>/plan/baselines/<int:baseline_id>/delete")
def baseline_delete(program_id: int, baseline_id: int):
    program = get_program(program_id)
    baseline = plan_service.get_baseline(program, baseline_id)
    form = DeleteForm()
    if not form.validate_on_submit():
        abort(400)
    name = baseline.name
    try:
        plan_service.delete_baseline(program, baseline, form.version.data)
        db.session.commit()
    except StaleEditError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("plan.baselines", program_id=program.id))
    flash(_("Baseline “%(name)s” deleted.", name=name), "success")
    return redirect(url_for("plan.baselines", program_id=program.id))


# --------------------------------------------------------------------------- calendar


def _calendar_page(
    program: Program,
    day_form: CalendarDayForm | None = None,
    status_form: StatusDateForm | None = None,
    conflict: dict[str, Any] | None = None,
    status: int = 200,
):
    if day_form is None:
        day_form = CalendarDayForm(formdata=None)
    if status_form is None:
        status_form = StatusDateForm(formdata=None)
        status_form.status_date.data = program.status_date
        status_form.version.data = program.version
    return render_template(
        "plan/calendar.html",
        program=program,
        day_form=day_form,
        status_form=status_form,
        delete_form=DeleteForm(formdata=None),
        conflict=conflict,
        effective_status=plan_service.status_date_of(program),
        moves=_pop_moves(program),
    ), status


@bp.route("/programs/<int:program_id>/plan/calendar", methods=["GET", "POST"])
def calendar(program_id: int):
    program = get_program(program_id)
    if request.method == "GET":
        return _calendar_page(program)
    form = CalendarDayForm()
    if not form.validate_on_submit():
        return _calendar_page(program, day_form=form, status=422)
    try:
        outcome = plan_service.add_calendar_day(
            program, form.day.data, form.working.data == "1", form.name.data or ""
        )
        db.session.commit()
    except ValidationError as exc:
        db.session.rollback()
        _attach(form, exc, "day")
        return _calendar_page(program, day_form=form, status=422)
    what = _("%(day)s added to the calendar", day=format_day(form.day.data))
    _remember(program, outcome, _moved_message(outcome, what))
    return redirect(url_for("plan.calendar", program_id=program.id))


@bp.post("/programs/<int:program_id>/plan/calendar/<int:day_id>/delete")
def calendar_day_delete(program_id: int, day_id: int):
    program = get_program(program_id)
    if not DeleteForm().validate_on_submit():
        abort(400)
    outcome = plan_service.delete_calendar_day(program, day_id)
    db.session.commit()
    _remember(program, outcome, _moved_message(outcome, _("Calendar day removed")))
    return redirect(url_for("plan.calendar", program_id=program.id))


@bp.post("/programs/<int:program_id>/plan/status-date")
def status_date(program_id: int):
    program = get_program(program_id)
    form = StatusDateForm()
    if not form.validate_on_submit():
        return _calendar_page(program, status_form=form, status=422)
    try:
        outcome = plan_service.set_status_date(program, form.status_date.data, form.version.data)
        db.session.commit()
    except StaleEditError as exc:
        db.session.rollback()
        form.version.data = exc.current_version
        current = {"status_date": format_day(program.status_date) if program.status_date else "—"}
        conflict = {"message": str(exc), "current": current}
        return _calendar_page(program, status_form=form, conflict=conflict, status=409)
    except ValidationError as exc:
        db.session.rollback()
        _attach(form, exc, "status_date")
        return _calendar_page(program, status_form=form, status=422)
    _remember(program, outcome, _moved_message(outcome, _("Status date saved")))
    return redirect(url_for("plan.calendar", program_id=program.id))
