"""RAID log pages: the one filterable list, issues, actions, decisions, change requests.

Thin: parse, call one service, commit, redirect. A refusal re-renders the form with its
coded problems worded in the reader's language (422), a stale edit says so (409); nothing
is written in any of those cases.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from planner.domain.errors import ConflictError, PlannerError
from planner.explain_text import problem_pairs
from planner.extensions import db
from planner.forms.raid import (
    ActionDoneForm,
    ActionEditForm,
    ActionForm,
    ChangeForm,
    DecideForm,
    DecisionForm,
    IssueForm,
    IssueStatusForm,
    RaidImportForm,
    VersionForm,
)
from planner.i18n import content_lang, localized
from planner.models import Program
from planner.services import change_requests as changes
from planner.services import raid as service
from planner.services import risk_cadence
from planner.services.pack_raid import raid_for_gate, raid_for_review
from planner.services.people import people_names
from planner.services.programs import get_program
from planner.services.raid_log import KINDS, RaidQuery, raid_log, raid_summary
from planner.services.risks import get_risk, list_reviews
from planner.web.form_errors import show_on_form
from planner.web.policy import membership_role
from planner.web.redirects import safe_next

bp = Blueprint("raid", __name__)


@bp.record_once
def _globals(state: Any) -> None:
    """Owner fields offer the people directory (a global: macros imported without context
    use it too)."""
    state.app.jinja_env.globals["raid_people"] = people_names


@bp.app_context_processor
def _dashboard_card() -> dict[str, Any]:
    """The dashboard's RAID card reads its figures through this (templates/dashboard)."""
    return {
        "raid_dashboard": raid_summary,
        "raid_for_review": raid_for_review,
        "raid_risk_due": _risk_due,
        "raid_gate": raid_for_gate,
        "raid_today": _today,
        "raid_forms": lambda: {
            "action": ActionForm(formdata=None),
            "done": ActionDoneForm(formdata=None),
        },
    }


def _risk_due(risk: Any) -> Any:
    return risk_cadence.due_of(risk, _today(), risk_cadence.band_cadences(risk.program))


def _today() -> date:
    return date.today()


def _query() -> RaidQuery:
    args = request.args
    kind = args.get("kind", "")
    return RaidQuery(
        kind=kind if kind in KINDS else "",
        status=args.get("status", "")[:20],
        owner=args.get("owner", "")[:120],
        text=args.get("q", "")[:200],
        open_only=args.get("open") == "1",
        overdue_only=args.get("overdue") == "1",
    )


@bp.get("/programs/<int:program_id>/raid")
def index(program_id: int):
    program = get_program(program_id)
    query = _query()
    log = raid_log(program, query, _today())
    return render_template("raid/index.html", program=program, log=log, query=query, kinds=KINDS)


def _back(program: Program, default: str) -> Any:
    return redirect(safe_next(request.form.get("back"), default))


def _refused(form: Any, exc: PlannerError) -> None:
    db.session.rollback()
    show_on_form(form, exc)


# --------------------------------------------------------------------------- issues


def _issue_form_page(program: Program, form: IssueForm, issue: Any = None, status: int = 200):
    return render_template("raid/issue_form.html", program=program, form=form, issue=issue), status


@bp.route("/programs/<int:program_id>/raid/issues/new", methods=["GET", "POST"])
def issue_new(program_id: int):
    program = get_program(program_id)
    form = IssueForm()
    if not form.validate_on_submit():
        return _issue_form_page(program, form, status=422 if form.is_submitted() else 200)
    try:
        issue = service.create_issue(program, form.data, _today())
        db.session.commit()
    except PlannerError as exc:
        _refused(form, exc)
        return _issue_form_page(program, form, status=422)
    flash(_("Issue %(key)s raised.", key=issue.key), "success")
    return redirect(url_for("raid.issue", program_id=program.id, issue_id=issue.id))


@bp.route("/programs/<int:program_id>/raid/issues/<int:issue_id>/edit", methods=["GET", "POST"])
def issue_edit(program_id: int, issue_id: int):
    program = get_program(program_id)
    issue = service.get_issue(program, issue_id)
    form = IssueForm(obj=None if request.method == "POST" else issue)
    if request.method == "GET":
        form.items.data = " ".join(k.target_key for k in issue.links if k.kind == "item")
        form.phases.data = " ".join(k.target_key for k in issue.links if k.kind == "phase")
        form.risks.data = " ".join(k.target_key for k in issue.links if k.kind == "risk")
    if not form.validate_on_submit():
        return _issue_form_page(program, form, issue, 422 if form.is_submitted() else 200)
    try:
        service.update_issue(issue, form.data, form.version.data)
        db.session.commit()
    except PlannerError as exc:
        _refused(form, exc)
        return _issue_form_page(
            program, form, issue, 409 if isinstance(exc, ConflictError) else 422
        )
    flash(_("Issue %(key)s saved.", key=issue.key), "success")
    return redirect(url_for("raid.issue", program_id=program.id, issue_id=issue.id))


def _issue_page(program: Program, issue: Any, status_form: Any = None, code: int = 200):
    decisions = [d for d in service.list_decisions(program) if d.issue_id == issue.id]
    return render_template(
        "raid/issue.html",
        program=program,
        issue=issue,
        status_form=status_form or IssueStatusForm(formdata=None),
        action_form=ActionForm(formdata=None, owner_kind="issue", parent=str(issue.id)),
        done_form=ActionDoneForm(formdata=None),
        decisions=decisions,
        today=_today(),
    ), code


@bp.get("/programs/<int:program_id>/raid/issues/<int:issue_id>")
def issue(program_id: int, issue_id: int):
    program = get_program(program_id)
    return _issue_page(program, service.get_issue(program, issue_id))


@bp.post("/programs/<int:program_id>/raid/issues/<int:issue_id>/status")
def issue_status(program_id: int, issue_id: int):
    program = get_program(program_id)
    issue = service.get_issue(program, issue_id)
    form = IssueStatusForm()
    try:
        form.validate()
        service.move_issue(
            issue, form.status.data or "", form.version.data, form.resolution.data or "", _today()
        )
        db.session.commit()
    except PlannerError as exc:
        _refused(form, exc)
        code = 409 if isinstance(exc, ConflictError) else 422
        return _issue_page(program, service.get_issue(program, issue_id), form, code)
    flash(_("Issue %(key)s moved.", key=issue.key), "success")
    return redirect(url_for("raid.issue", program_id=program.id, issue_id=issue.id))


# --------------------------------------------------------------------------- risks


@bp.post("/programs/<int:program_id>/raid/risks/<int:risk_id>/issue")
def risk_to_issue(program_id: int, risk_id: int):
    program = get_program(program_id)
    risk = get_risk(program.id, risk_id)
    form = VersionForm()
    form.validate()
    try:
        issue = service.issue_from_risk(risk, form.version.data, _today(), form.note.data or "")
        db.session.commit()
    except PlannerError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for("risks.detail", program_id=program.id, risk_id=risk_id))
    flash(_("%(risk)s occurred: it is now issue %(key)s.", risk=risk.key, key=issue.key), "success")
    return redirect(url_for("raid.issue", program_id=program.id, issue_id=issue.id))


@bp.post("/programs/<int:program_id>/raid/risks/<int:risk_id>/reviewed")
def risk_reviewed(program_id: int, risk_id: int):
    program = get_program(program_id)
    risk = get_risk(program.id, risk_id)
    form = VersionForm()
    form.validate()
    try:
        risk_cadence.review_risk(risk, form.version.data, _today())
        db.session.commit()
        flash(_("%(key)s marked reviewed today.", key=risk.key), "success")
    except PlannerError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
    return redirect(url_for("risks.detail", program_id=program.id, risk_id=risk_id))


# --------------------------------------------------------------------------- actions


@bp.post("/programs/<int:program_id>/raid/actions")
def action_add(program_id: int):
    program = get_program(program_id)
    form = ActionForm()
    default = url_for("raid.index", program_id=program.id, kind="action")
    if not form.validate():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "danger")
        return _back(program, default)
    try:
        service.add_action(program, form.owner_kind.data, form.parent.data, form.data)
        db.session.commit()
        flash(_("Action added."), "success")
    except PlannerError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
    return _back(program, default)


@bp.post("/programs/<int:program_id>/raid/actions/<int:action_id>/done")
def action_done(program_id: int, action_id: int):
    program = get_program(program_id)
    action = service.get_action(program, action_id)
    form = ActionDoneForm()
    form.validate()
    try:
        service.set_action_done(action, form.done.data == "1", form.version.data, _today())
        db.session.commit()
    except PlannerError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
    return _back(program, url_for("raid.index", program_id=program.id, kind="action"))


def _action_page(program: Program, action: Any, form: ActionEditForm, code: int = 200):
    return render_template(
        "raid/action.html",
        program=program,
        action=action,
        form=form,
        today=_today(),
    ), code


@bp.route("/programs/<int:program_id>/raid/actions/<int:action_id>", methods=["GET", "POST"])
def action(program_id: int, action_id: int):
    """An action: read it, or (editors) change its title, owner, due date and status."""
    program = get_program(program_id)
    found = service.get_action(program, action_id)
    default = url_for("raid.index", program_id=program.id, kind="action")
    if request.method == "GET":
        form = ActionEditForm(obj=found)
        form.status.data = "done" if found.done else "open"
        form.version.data = found.version
        form.back.data = safe_next(request.args.get("next"), default)
        return _action_page(program, found, form)
    form = ActionEditForm()
    if not form.validate():
        return _action_page(program, found, form, 422)
    try:
        service.edit_action(found, form.data, form.version.data, _today())
        db.session.commit()
    except PlannerError as exc:
        _refused(form, exc)
        found = service.get_action(program, action_id)
        return _action_page(program, found, form, 409 if isinstance(exc, ConflictError) else 422)
    flash(_("Action saved."), "success")
    return _back(program, default)


# --------------------------------------------------------------------------- decisions


def _decision_choices(program: Program, form: DecisionForm) -> None:
    form.gate.choices = [("", "—")] + [
        (str(p.id), f"{p.ordinal} · {localized(p, 'name') or p.name}") for p in program.phases
    ]
    form.review.choices = [("", "—")] + [
        (str(r.id), r.title or r.held_on.isoformat()) for r in list_reviews(program.id)
    ]


@bp.route("/programs/<int:program_id>/raid/decisions/new", methods=["GET", "POST"])
def decision_new(program_id: int):
    program = get_program(program_id)
    form = DecisionForm()
    _decision_choices(program, form)
    if request.method == "GET":
        form.issue.data = request.args.get("issue", "")
    if form.validate_on_submit():
        try:
            decision = service.record_decision(program, form.data, _today())
            db.session.commit()
            flash(_("Decision %(key)s recorded.", key=decision.key), "success")
            return redirect(url_for("raid.index", program_id=program.id, kind="decision"))
        except PlannerError as exc:
            _refused(form, exc)
    code = 422 if form.is_submitted() else 200
    return render_template("raid/decision_form.html", program=program, form=form), code


@bp.get("/programs/<int:program_id>/raid/decisions/<int:decision_id>")
def decision(program_id: int, decision_id: int):
    program = get_program(program_id)
    found = service.get_decision(program, decision_id)
    return render_template("raid/decision.html", program=program, decision=found)


# --------------------------------------------------------------------------- changes


def _change_choices(program: Program, form: ChangeForm) -> None:
    form.work_item.choices = [("", "—")] + [
        (i.key, f"{i.key} · {localized(i, 'name') or i.name}") for i in program.work_items
    ]
    form.phase.choices = [("", "—")] + [
        (p.key, f"{p.ordinal} · {localized(p, 'name') or p.name}") for p in program.phases
    ]


@bp.route("/programs/<int:program_id>/raid/changes/new", methods=["GET", "POST"])
def change_new(program_id: int):
    program = get_program(program_id)
    form = ChangeForm()
    _change_choices(program, form)
    if form.validate_on_submit():
        try:
            change = changes.create_change(program, form.data, _today())
            db.session.commit()
            flash(_("Change request %(key)s recorded and analysed.", key=change.key), "success")
            return redirect(url_for("raid.change", program_id=program.id, change_id=change.id))
        except PlannerError as exc:
            _refused(form, exc)
    code = 422 if form.is_submitted() else 200
    return render_template("raid/change_form.html", program=program, form=form), code


def _change_page(program: Program, change: Any, form: Any = None, code: int = 200):
    form = form or DecideForm(formdata=None)
    form.version.data = change.version
    return render_template(
        "raid/change.html",
        program=program,
        change=change,
        impact=changes.impact_of(program, change, _today()),
        form=form,
        action_form=VersionForm(formdata=None),
        phases={p.key: p for p in program.phases},
        risks_by_key={r.key: r for r in program.risks},
    ), code


@bp.get("/programs/<int:program_id>/raid/changes/<int:change_id>")
def change(program_id: int, change_id: int):
    program = get_program(program_id)
    return _change_page(program, changes.get_change(program, change_id))


@bp.post("/programs/<int:program_id>/raid/changes/<int:change_id>/decide")
def change_decide(program_id: int, change_id: int):
    program = get_program(program_id)
    change = changes.get_change(program, change_id)
    form = DecideForm()
    form.validate()
    try:
        changes.decide(
            program,
            change,
            approve=bool(form.approve.data),
            version=form.version.data,
            role=membership_role(program.id),
            rationale=form.rationale.data or "",
            options=form.options.data or "",
            today=_today(),
        )
        db.session.commit()
    except PlannerError as exc:
        _refused(form, exc)
        code = 409 if isinstance(exc, ConflictError) else 422
        return _change_page(program, changes.get_change(program, change_id), form, code)
    flash(_("Decision on %(key)s recorded.", key=change.key), "success")
    return redirect(url_for("raid.change", program_id=program.id, change_id=change.id))


@bp.post("/programs/<int:program_id>/raid/changes/<int:change_id>/<op>")
def change_update(program_id: int, change_id: int, op: str):
    if op not in ("reanalyse", "withdraw"):
        abort(404)
    program = get_program(program_id)
    change = changes.get_change(program, change_id)
    form = VersionForm()
    form.validate()
    try:
        if op == "reanalyse":
            changes.reanalyse(program, change, form.version.data)
        else:
            changes.withdraw(change, form.version.data)
        db.session.commit()
    except PlannerError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
    return redirect(url_for("raid.change", program_id=program.id, change_id=change.id))


# --------------------------------------------------------------------------- files


@bp.get("/programs/<int:program_id>/raid/export.xlsx")
def export_xlsx(program_id: int):
    program = get_program(program_id)
    from planner.services import raid_xlsx  # openpyxl: only when asked

    data = raid_xlsx.export_xlsx(program, content_lang())
    name = f"raid-log-{program.id}-{_today().isoformat()}.xlsx"
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/programs/<int:program_id>/raid/import", methods=["GET", "POST"])
def import_xlsx(program_id: int):
    program = get_program(program_id)
    form = RaidImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            from planner.services import raid_xlsx  # openpyxl: only when asked

            result = raid_xlsx.import_xlsx(program, form.file.data.read(), _today())
            db.session.commit()
        except PlannerError as exc:
            db.session.rollback()
            problems = [f"{path}: {text}" if path else text for path, text in problem_pairs(exc)]
        else:
            added, updated = sum(result.added.values()), sum(result.updated.values())
            flash(
                _("RAID log imported: %(a)s added, %(u)s updated.", a=added, u=updated), "success"
            )
            return redirect(url_for("raid.index", program_id=program.id))
    code = 422 if form.is_submitted() else 200
    return render_template("raid/import.html", program=program, form=form, problems=problems), code
