"""Adding and removing dependencies (the cycle check names the cycle)."""

from __future__ import annotations

from flask import abort, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from planner.domain.errors import ValidationError
from planner.domain.ids import as_id
from planner.extensions import db
from planner.forms.plan import (
    DeleteForm,
    DependencyForm,
)
from planner.models import Program, WorkItem
from planner.services import plan as plan_service
from planner.services.programs import get_program
from planner.web.plan.common import (
    _attach,
    _moved_message,
    _next_url,
    _remember,
    bp,
)
from planner.web.plan.items import _datalists, _item_page


def _context_item(program: Program) -> WorkItem | None:
    """The item whose page the form was sent from (None: the stand-alone form)."""
    if not request.form.get("item_id"):
        return None
    item_id = as_id(request.form["item_id"])
    if item_id is None:
        abort(404)  # no such item (the URL's own ids answer the same)
    return plan_service.get_item(program, item_id)


def _refused(
    program: Program, form: DependencyForm, item: WorkItem | None, general: list[str]
) -> ResponseReturnValue:
    """The form again with its errors, on the page it was sent from."""
    if item is not None:
        return _item_page(program, item, dependency=form, general=general, status=422)
    return render_template(
        "plan/dependency_new.html",
        program=program,
        form=form,
        general=general,
        **_datalists(program),
    ), 422


@bp.post("/programs/<int:program_id>/plan/dependencies")
def dependency_add(program_id: int) -> ResponseReturnValue:
    program = get_program(program_id)
    form = DependencyForm()
    context_item = _context_item(program)
    if not form.validate_on_submit():
        return _refused(program, form, context_item, [])
    predecessor, successor = form.predecessor.data, form.successor.data
    try:
        _dep, outcome = plan_service.add_dependency(
            program, predecessor, successor, form.type.data, form.lag.data
        )
        db.session.commit()
    except ValidationError as exc:
        db.session.rollback()
        return _refused(program, form, context_item, _attach(form, exc, "predecessor"))
    name = f"{predecessor.strip()} → {successor.strip()}"
    _remember(program, outcome, _moved_message(outcome, _("Dependency %(name)s added", name=name)))
    return redirect(_next_url(program, context_item))


@bp.get("/programs/<int:program_id>/plan/dependencies/new")
def dependency_new(program_id: int) -> ResponseReturnValue:
    program = get_program(program_id)
    form = DependencyForm(formdata=None)
    form.predecessor.data = request.args.get("predecessor", "")
    form.successor.data = request.args.get("successor", "")
    return render_template(
        "plan/dependency_new.html", program=program, form=form, general=[], **_datalists(program)
    )


@bp.post("/programs/<int:program_id>/plan/dependencies/<int:dependency_id>/delete")
def dependency_delete(program_id: int, dependency_id: int) -> ResponseReturnValue:
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
