"""What-if scenario pages: list and copy, compare with the live plan, edit, apply, discard.

Thin: parse, call one service, commit, redirect. A refused edit re-renders the scenario with
the errors (422), a stale one says so (409), a live plan changed since the copy lists what
changed (409); nothing is written in any of those cases.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from planner.domain.scenario import ScenarioError
from planner.extensions import db
from planner.forms.replan import (
    NewScenarioForm,
    ScenarioActionForm,
    ScenarioItemForm,
    ScenarioLinkForm,
)
from planner.i18n import localized
from planner.models import Program, Scenario
from planner.replan_text import reason_text
from planner.services import notify_events as notify_hooks
from planner.services import scenarios as service
from planner.services.concurrency import StaleEditError
from planner.services.programs import get_program
from planner.services.workload import is_leveling
from planner.web.plan import _moved_message, _remember
from planner.web.policy import can
from planner.web.replan import attach_reasons

bp = Blueprint("scenarios", __name__)

MOVED_SHOWN = 40


def _names(program: Program) -> dict[str, str]:
    """Item key → its name in the reader's language."""
    return {i.key: localized(i, "name") or i.name for i in program.work_items}


def _index_page(program: Program, form: NewScenarioForm | None = None, status: int = 200):
    return render_template(
        "scenarios/index.html",
        program=program,
        form=form or NewScenarioForm(formdata=None),
        scenarios=service.list_scenarios(program),
        action_form=ScenarioActionForm(formdata=None),
    ), status


@bp.route("/programs/<int:program_id>/scenarios", methods=["GET", "POST"])
def index(program_id: int):
    program = get_program(program_id)
    form = NewScenarioForm()
    if not form.is_submitted():
        return _index_page(program)
    if not form.validate():
        return _index_page(program, form, 422)
    try:
        scenario = service.create_scenario(program, form.name.data)
        db.session.commit()
    except ScenarioError as exc:
        db.session.rollback()
        attach_reasons(form, exc, "name")
        return _index_page(program, form, 422)
    flash(_("Scenario “%(name)s” copied from the live plan.", name=scenario.name), "success")
    return redirect(url_for("scenarios.show", program_id=program.id, scenario_id=scenario.id))


def _show_page(
    program: Program,
    scenario: Scenario,
    *,
    item_form: ScenarioItemForm | None = None,
    link_form: ScenarioLinkForm | None = None,
    problem: str | None = None,
    status: int = 200,
):
    view = service.view_scenario(program, scenario)
    if item_form is None:
        item_form = ScenarioItemForm(formdata=None)
        item_form.version.data = scenario.version
    if link_form is None:
        link_form = ScenarioLinkForm(formdata=None)
        link_form.version.data = scenario.version
    return render_template(
        "scenarios/show.html",
        program=program,
        scenario=scenario,
        view=view,
        names=_names(program),
        phases={p.key: p for p in program.phases},
        item_form=item_form,
        link_form=link_form,
        action_form=ScenarioActionForm(formdata=None),
        problem=problem,
        moved_shown=MOVED_SHOWN,
    ), status


def _load(program_id: int, scenario_id: int) -> tuple[Program, Scenario]:
    program = get_program(program_id)
    return program, service.get_scenario(program, scenario_id)


def _here(program: Program, scenario: Scenario):
    return redirect(url_for("scenarios.show", program_id=program.id, scenario_id=scenario.id))


def _stale() -> str:
    return _("This scenario was changed by someone else since you opened it: nothing was saved.")


@bp.get("/programs/<int:program_id>/scenarios/<int:scenario_id>")
def show(program_id: int, scenario_id: int):
    program, scenario = _load(program_id, scenario_id)
    return _show_page(program, scenario)


@bp.post("/programs/<int:program_id>/scenarios/<int:scenario_id>/item")
def edit_item(program_id: int, scenario_id: int):
    program, scenario = _load(program_id, scenario_id)
    form = ScenarioItemForm()
    if not form.validate():
        return _show_page(program, scenario, item_form=form, status=422)
    try:
        service.edit_scenario_item(
            scenario,
            form.key.data,
            duration=form.duration_days.data,
            constraint_type=form.constraint_type.data or None,
            constraint_date=form.constraint_date.data,
            version=form.version.data,
        )
        db.session.commit()
    except StaleEditError:
        db.session.rollback()
        return _show_page(program, scenario, item_form=form, problem=_stale(), status=409)
    except ScenarioError as exc:
        db.session.rollback()
        attach_reasons(form, exc, "duration_days")
        return _show_page(program, scenario, item_form=form, status=422)
    flash(_("Saved in the scenario; the live plan is unchanged."), "success")
    return _here(program, scenario)


@bp.post("/programs/<int:program_id>/scenarios/<int:scenario_id>/links")
def add_link(program_id: int, scenario_id: int):
    program, scenario = _load(program_id, scenario_id)
    form = ScenarioLinkForm()
    if not form.validate():
        return _show_page(program, scenario, link_form=form, status=422)
    try:
        service.add_scenario_link(
            scenario,
            form.predecessor.data,
            form.successor.data,
            form.type.data,
            form.lag_days.data or 0,
            form.version.data,
        )
        db.session.commit()
    except StaleEditError:
        db.session.rollback()
        return _show_page(program, scenario, link_form=form, problem=_stale(), status=409)
    except ScenarioError as exc:
        db.session.rollback()
        attach_reasons(form, exc, "successor")
        return _show_page(program, scenario, link_form=form, status=422)
    flash(_("Saved in the scenario; the live plan is unchanged."), "success")
    return _here(program, scenario)


def _pair() -> tuple[str, str]:
    link = request.form.get("link", "")
    predecessor, _sep, successor = link.partition(">")
    return predecessor, successor


@bp.post("/programs/<int:program_id>/scenarios/<int:scenario_id>/links/remove")
def remove_link(program_id: int, scenario_id: int):
    program, scenario = _load(program_id, scenario_id)
    form = ScenarioActionForm()
    if not form.validate():
        abort(400)
    predecessor, successor = _pair()
    try:
        service.remove_scenario_link(scenario, predecessor, successor, form.version.data)
        db.session.commit()
    except StaleEditError:
        db.session.rollback()
        return _show_page(program, scenario, problem=_stale(), status=409)
    except ScenarioError as exc:
        db.session.rollback()
        return _show_page(program, scenario, problem=reason_text(exc.reasons[0][1]), status=422)
    flash(_("Saved in the scenario; the live plan is unchanged."), "success")
    return _here(program, scenario)


@bp.post("/programs/<int:program_id>/scenarios/<int:scenario_id>/apply")
def apply(program_id: int, scenario_id: int):
    program, scenario = _load(program_id, scenario_id)
    form = ScenarioActionForm()
    if not form.validate():
        abort(400)
    if is_leveling(scenario) and not can("manage", program.id):
        abort(403)  # a leveling suggestion delays people's work: the lead applies it
    try:
        outcome = service.apply_scenario(program, scenario, form.version.data)
        notify_hooks.scenario_applied(program.id, scenario, current_user)
        db.session.commit()
    except StaleEditError:
        db.session.rollback()
        return _show_page(program, scenario, problem=_stale(), status=409)
    except service.ScenarioConflict:
        db.session.rollback()
        problem = _("The live plan changed since this scenario was copied: it was not applied.")
        return _show_page(program, scenario, problem=problem, status=409)
    except ScenarioError as exc:
        db.session.rollback()
        return _show_page(program, scenario, problem=reason_text(exc.reasons[0][1]), status=409)
    what = _("Scenario “%(name)s” applied to the live plan", name=scenario.name)
    _remember(program, outcome, _moved_message(outcome, what))
    return redirect(url_for("plan.gantt", program_id=program.id))


@bp.post("/programs/<int:program_id>/scenarios/<int:scenario_id>/discard")
def discard(program_id: int, scenario_id: int):
    program, scenario = _load(program_id, scenario_id)
    form = ScenarioActionForm()
    if not form.validate():
        abort(400)
    name = scenario.name
    try:
        service.discard_scenario(scenario, form.version.data)
        db.session.commit()
    except StaleEditError:
        db.session.rollback()
        return _show_page(program, scenario, problem=_stale(), status=409)
    flash(_("Scenario “%(name)s” discarded; the live plan is unchanged.", name=name), "success")
    return redirect(url_for("scenarios.index", program_id=program.id))
