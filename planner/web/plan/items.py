"""Editing work items: new, details, progress, move, delete."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from planner.domain.errors import ValidationError
from planner.extensions import db
from planner.forms.plan import (
    DeleteForm,
    DependencyForm,
    ItemDetailsForm,
    MoveForm,
    NewItemForm,
    ProgressForm,
)
from planner.models import Program, WorkItem
from planner.services import plan as plan_service
from planner.services.concurrency import StaleEditError
from planner.services.programs import get_program
from planner.web.plan.common import (
    _attach,
    _moved_message,
    _next_url,
    _phase_choices,
    _pop_moves,
    _remember,
    bp,
)


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


def _prefill(form: NewItemForm) -> None:
    """The add form opened from a phase or a workstream starts in it."""
    form.phase.data = int(request.args.get("phase", 0, type=int) or 0) or None
    form.workstream.data = request.args.get("workstream") or None
    form.duration_days.data = 5


@bp.route("/programs/<int:program_id>/plan/items/new", methods=["GET", "POST"])
def item_new(program_id: int) -> ResponseReturnValue:
    program = get_program(program_id)
    form = NewItemForm()
    form.phase.choices = _phase_choices(program)
    general: list[str] = []
    if request.method == "GET":
        _prefill(form)
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
def item_key_suggestion(program_id: int) -> ResponseReturnValue:
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
def item(program_id: int, item_id: int) -> ResponseReturnValue:
    program = get_program(program_id)
    return _item_page(program, plan_service.get_item(program, item_id))


@bp.post("/programs/<int:program_id>/plan/items/<int:item_id>/edit")
def item_edit(program_id: int, item_id: int) -> ResponseReturnValue:
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
def item_progress(program_id: int, item_id: int) -> ResponseReturnValue:
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
def item_move(program_id: int, item_id: int) -> ResponseReturnValue:
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


def _delete_page(
    program: Program,
    item: WorkItem,
    form: DeleteForm,
    conflict: dict[str, Any] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    incoming, outgoing = plan_service.item_dependencies(item)
    return render_template(
        "plan/item_delete.html",
        program=program,
        item=item,
        form=form,
        conflict=conflict,
        links=len(incoming) + len(outgoing),
    ), status


@bp.route("/programs/<int:program_id>/plan/items/<int:item_id>/delete", methods=["GET", "POST"])
def item_delete(program_id: int, item_id: int) -> ResponseReturnValue:
    program = get_program(program_id)
    work_item = plan_service.get_item(program, item_id)
    form = DeleteForm()
    if request.method == "GET":
        form.version.data = work_item.version
        return _delete_page(program, work_item, form)
    if not form.validate_on_submit():
        return _delete_page(program, work_item, form, status=400)
    key = work_item.key
    try:
        outcome = plan_service.delete_item(program, work_item, form.version.data)
        db.session.commit()
    except StaleEditError as exc:
        db.session.rollback()
        form.version.data = exc.current_version
        conflict = {"message": str(exc), "current": {}}
        return _delete_page(program, work_item, form, conflict, status=409)
    _remember(program, outcome, _moved_message(outcome, _("%(key)s deleted", key=key)))
    return redirect(url_for("plan.table", program_id=program.id))


# --------------------------------------------------------------------------- dependencies
