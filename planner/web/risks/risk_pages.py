"""One risk's pages: new, edit, detail; its status, actions and links to items and phases."""

from __future__ import annotations

from typing import Any

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from planner.domain.errors import ValidationError
from planner.domain.risk import ALLOWED_TRANSITIONS, STATUSES
from planner.extensions import db
from planner.forms.risks import (
    RESPONSE_LABELS,
    STATUS_LABELS,
    ActionForm,
    LinkItemForm,
    LinkPhaseForm,
    RiskForm,
    StatusForm,
    VersionForm,
    choices,
)
from planner.i18n import content_lang, localized
from planner.services import notify_events as notify_hooks
from planner.services import risks as service
from planner.services.concurrency import StaleEditError
from planner.services.programs import get_program
from planner.web.form_errors import show_on_form
from planner.web.risks.common import bp, stale_message, template_labels, today_date

# --------------------------------------------------------------------------- one risk


def _risk_form(program: Any, info: Any, formdata: Any = None, obj: Any = None) -> RiskForm:
    form = RiskForm(formdata=formdata, obj=obj) if formdata is not None else RiskForm(obj=obj)
    phases = [(str(p.id), localized(p, "name")) for p in service.program_phases(program.id)]
    form.set_choices(
        list(info.scale.likelihood_levels),
        list(info.scale.impact_levels),
        phases,
        _("Not reassessed (same as inherent)"),
        _("No phase"),
    )
    return form


def _current_values(risk: Any, form: RiskForm, info: Any) -> dict[str, str]:
    """The stored values that differ from what the user submitted (shown beside the field)."""
    shown: dict[str, str] = {}
    for name in RiskForm.SERVICE_FIELDS:
        if name not in form._fields:
            continue
        stored = getattr(risk, name)
        submitted = form._fields[name].data
        if str(stored if stored is not None else "") == str(
            submitted if submitted is not None else ""
        ):
            continue
        if name == "proximity_phase_id":
            shown[name] = localized(risk.proximity_phase, "name") if risk.proximity_phase else "—"
        elif name == "status":
            shown[name] = str(STATUS_LABELS.get(stored, stored))
        elif name == "response":
            shown[name] = str(RESPONSE_LABELS.get(stored, stored))
        else:
            shown[name] = "—" if stored in (None, "") else str(stored)
    return shown


@bp.route("/programs/<int:program_id>/risks/new", methods=["GET", "POST"])
def new(program_id: int):
    program = get_program(program_id)
    info = service.scale_for(program, content_lang())
    form = _new_risk_form(program, info)
    if request.method != "POST":
        return _render_risk_form(program, form, None, info)
    if form.validate_on_submit():
        try:
            risk = service.create_risk(program, form.service_data())
            db.session.commit()
        except ValidationError as exc:
            db.session.rollback()
            show_on_form(form, exc)
        else:
            flash(_("Risk %(key)s added.", key=risk.key), "success")
            return redirect(url_for("risks.detail", program_id=program.id, risk_id=risk.id))
    return _render_risk_form(program, form, None, info, 422)


def _new_risk_form(program: Any, info: Any) -> RiskForm:
    """The form of a new risk (no status: it starts open), with defaults on a GET."""
    form = _risk_form(program, info)
    del form.status
    if request.method == "GET":
        # suggested, not filled in: an empty key is numbered when saved, so two people
        # adding risks at the same moment do not both send the same R-number
        form.key.render_kw = {
            **(form.key.render_kw or {}),
            "placeholder": service.next_key(program.id),
        }
        form.likelihood.data = "3"
        form.impact.data = "3"
        form.response.data = "mitigate"
    return form


@bp.route("/programs/<int:program_id>/risks/<int:risk_id>/edit", methods=["GET", "POST"])
def edit(program_id: int, risk_id: int):
    program = get_program(program_id)
    risk = service.get_risk(program.id, risk_id)
    info = service.scale_for(program, content_lang())
    form = _edit_risk_form(program, info, risk)
    if request.method != "POST":
        return _render_risk_form(program, form, risk, info)
    current: dict[str, str] = {}
    status, stale = 422, ""
    if form.validate_on_submit():
        try:
            old_score = risk.residual_score
            service.update_risk(risk, form.service_data(), form.version.data)
            notify_hooks.risk_rescored(risk, old_score, current_user)
            db.session.commit()
        except StaleEditError as exc:
            db.session.rollback()
            status, stale = 409, stale_message(exc)
            risk = service.get_risk(program.id, risk_id)
            current = _current_values(risk, form, info)
            form.version.data = str(risk.version)
        except ValidationError as exc:
            db.session.rollback()
            show_on_form(form, exc)
        else:
            flash(_("Risk %(key)s saved.", key=risk.key), "success")
            return redirect(url_for("risks.detail", program_id=program.id, risk_id=risk.id))
    return _render_risk_form(program, form, risk, info, status, current, stale)


def _edit_risk_form(program: Any, info: Any, risk: Any) -> RiskForm:
    """The form of a stored risk: its values on a GET, the posted ones otherwise; no key;
    the current status and the ones it may move to (the service checks again)."""
    if request.method == "GET":
        form = _risk_form(program, info, obj=risk)
        for name in ("likelihood", "impact", "residual_likelihood", "residual_impact"):
            value = getattr(risk, name)
            form[name].data = "" if value is None else str(value)
        form.proximity_phase_id.data = str(risk.proximity_phase_id or "")
        form.version.data = str(risk.version)
    else:
        form = _risk_form(program, info, formdata=request.form)
    del form.key
    form.status.choices = choices(
        (s, STATUS_LABELS[s])
        for s in STATUSES
        if s == risk.status or s in ALLOWED_TRANSITIONS[risk.status]
    )
    return form


def _render_risk_form(
    program: Any,
    form: RiskForm,
    risk: Any,
    info: Any,
    status: int = 200,
    current: dict[str, str] | None = None,
    stale: str = "",
):
    return render_template(
        "risks/form.html",
        program=program,
        form=form,
        risk=risk,
        info=info,
        current=current or {},
        stale=stale,
        **template_labels(),
    ), status


def _render_detail(program: Any, risk: Any, status: int = 200, **forms: Any):
    info = service.scale_for(program, content_lang())
    action_form = forms.get("action_form") or ActionForm(formdata=None)
    item_form = forms.get("item_form") or LinkItemForm(formdata=None)
    phase_form = forms.get("phase_form") or LinkPhaseForm(formdata=None)
    linked_items = {link.work_item_id for link in risk.item_links}
    linked_phases = {link.phase_id for link in risk.phase_links}
    item_form.work_item_id.choices = choices(
        (i.id, f"{i.key} — {localized(i, 'name')}")
        for i in service.program_work_items(program.id)
        if i.id not in linked_items
    )
    phase_form.phase_id.choices = choices(
        (p.id, localized(p, "name"))
        for p in service.program_phases(program.id)
        if p.id not in linked_phases
    )
    decisions = service.risk_decisions(risk)
    snap = service.snapshot_of(risk)
    return render_template(
        "risks/detail.html",
        program=program,
        risk=risk,
        snap=snap,
        info=info,
        today=today_date(),
        history=service.risk_history(risk),
        decisions=decisions,
        action_form=action_form,
        item_form=item_form,
        phase_form=phase_form,
        status_form=forms.get("status_form") or StatusForm(formdata=None),
        transitions=[s for s in STATUSES if s in ALLOWED_TRANSITIONS[risk.status]],
        phase_names={str(p.id): localized(p, "name") for p in service.program_phases(program.id)},
        message=forms.get("message", ""),
        **template_labels(),
    ), status


@bp.get("/programs/<int:program_id>/risks/<int:risk_id>")
def detail(program_id: int, risk_id: int):
    program = get_program(program_id)
    return _render_detail(program, service.get_risk(program.id, risk_id))


def _back(program_id: int, risk_id: int, anchor: str = ""):
    url = url_for("risks.detail", program_id=program_id, risk_id=risk_id)
    return redirect(f"{url}#{anchor}" if anchor else url)


def _refused(program: Any, risk_id: int, exc: Exception, **forms: Any):
    """Re-render the risk page after a refused change: 409 when stale, else 422."""
    db.session.rollback()
    risk = service.get_risk(program.id, risk_id)
    if isinstance(exc, StaleEditError):
        return _render_detail(program, risk, 409, message=stale_message(exc), **forms)
    message = "; ".join(m for _p, m in getattr(exc, "errors", [])) or str(exc)
    return _render_detail(program, risk, 422, message=message, **forms)


@bp.post("/programs/<int:program_id>/risks/<int:risk_id>/status")
def set_status(program_id: int, risk_id: int):
    program = get_program(program_id)
    risk = service.get_risk(program.id, risk_id)
    form = StatusForm()
    if not form.validate_on_submit():
        return _refused(program, risk.id, ValidationError(_("Choose a status.")))
    try:
        service.change_status(risk, form.status.data, form.version.data, form.note.data or "")
        db.session.commit()
    except (StaleEditError, ValidationError) as exc:
        return _refused(program, risk_id, exc, status_form=form)
    flash(
        _(
            "Risk %(key)s is now %(status)s.",
            key=risk.key,
            status=STATUS_LABELS.get(risk.status, risk.status),
        ),
        "success",
    )
    return _back(program.id, risk.id)


@bp.post("/programs/<int:program_id>/risks/<int:risk_id>/actions")
def add_action(program_id: int, risk_id: int):
    program = get_program(program_id)
    risk = service.get_risk(program.id, risk_id)
    form = ActionForm()
    if not form.validate_on_submit():
        return _render_detail(program, risk, 422, action_form=form)
    try:
        service.add_action(risk, form.title.data, form.owner.data, form.due_date.data)
        db.session.commit()
    except ValidationError as exc:
        db.session.rollback()
        risk = service.get_risk(program.id, risk_id)
        show_on_form(form, exc)
        return _render_detail(program, risk, 422, action_form=form)
    flash(_("Action added to %(key)s.", key=risk.key), "success")
    return _back(program.id, risk.id, "actions")


@bp.post("/programs/<int:program_id>/risks/<int:risk_id>/actions/<int:action_id>/done")
def toggle_action(program_id: int, risk_id: int, action_id: int):
    program = get_program(program_id)
    risk = service.get_risk(program.id, risk_id)
    action = service.get_action(risk, action_id)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        service.set_action_done(action, form.done.data == "1", form.version.data, today_date())
        db.session.commit()
    except (StaleEditError, ValidationError) as exc:
        return _refused(program, risk_id, exc)
    return _back(program.id, risk.id, "actions")


@bp.post("/programs/<int:program_id>/risks/<int:risk_id>/actions/<int:action_id>/delete")
def delete_action(program_id: int, risk_id: int, action_id: int):
    program = get_program(program_id)
    risk = service.get_risk(program.id, risk_id)
    action = service.get_action(risk, action_id)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        service.delete_action(action, form.version.data)
        db.session.commit()
    except (StaleEditError, ValidationError) as exc:
        return _refused(program, risk_id, exc)
    flash(_("Action removed."), "success")
    return _back(program.id, risk.id, "actions")


@bp.post("/programs/<int:program_id>/risks/<int:risk_id>/links/items")
def link_item(program_id: int, risk_id: int):
    program = get_program(program_id)
    risk = service.get_risk(program.id, risk_id)
    form = LinkItemForm()
    try:
        service.link_work_item(risk, form.work_item_id.data)
        db.session.commit()
    except ValidationError as exc:
        db.session.rollback()
        risk = service.get_risk(program.id, risk_id)
        show_on_form(form, exc)
        return _render_detail(program, risk, 422, item_form=form)
    flash(_("Work item linked to %(key)s.", key=risk.key), "success")
    return _back(program.id, risk.id, "threatens")


@bp.post("/programs/<int:program_id>/risks/<int:risk_id>/links/items/<int:link_id>/delete")
def unlink_item(program_id: int, risk_id: int, link_id: int):
    program = get_program(program_id)
    risk = service.get_risk(program.id, risk_id)
    if not VersionForm().validate_on_submit():
        abort(400)
    service.unlink_work_item(risk, link_id)
    db.session.commit()
    flash(_("Link removed."), "success")
    return _back(program.id, risk.id, "threatens")


@bp.post("/programs/<int:program_id>/risks/<int:risk_id>/links/phases")
def link_phase(program_id: int, risk_id: int):
    program = get_program(program_id)
    risk = service.get_risk(program.id, risk_id)
    form = LinkPhaseForm()
    try:
        service.link_phase(risk, form.phase_id.data)
        db.session.commit()
    except ValidationError as exc:
        db.session.rollback()
        risk = service.get_risk(program.id, risk_id)
        show_on_form(form, exc)
        return _render_detail(program, risk, 422, phase_form=form)
    flash(_("Phase linked to %(key)s.", key=risk.key), "success")
    return _back(program.id, risk.id, "threatens")


@bp.post("/programs/<int:program_id>/risks/<int:risk_id>/links/phases/<int:link_id>/delete")
def unlink_phase(program_id: int, risk_id: int, link_id: int):
    program = get_program(program_id)
    risk = service.get_risk(program.id, risk_id)
    if not VersionForm().validate_on_submit():
        abort(400)
    service.unlink_phase(risk, link_id)
    db.session.commit()
    flash(_("Link removed."), "success")
    return _back(program.id, risk.id, "threatens")
