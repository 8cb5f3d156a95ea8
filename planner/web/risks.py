"""Pages of the risks area: the register, a risk, its actions and links, steering reviews,
and the register as a spreadsheet (URLs under /programs/<id>/...)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from planner.charts.risks import exposure_trend_figure, heat_map_figure
from planner.domain.errors import ImportFormatError, ValidationError
from planner.domain.risk import ALLOWED_TRANSITIONS, LEVELS, STATUSES
from planner.explain_text import problem_pairs
from planner.extensions import db
from planner.forms.risks import (
    DECISION_LABELS,
    ENTITY_LABELS,
    FIELD_LABELS,
    OVERDUE_LABELS,
    RESPONSE_LABELS,
    STATUS_ACTIONS,
    STATUS_LABELS,
    ActionForm,
    DecisionForm,
    ImportForm,
    LinkItemForm,
    LinkPhaseForm,
    ReviewForm,
    RiskForm,
    StatusForm,
    VersionForm,
    choices,
)
from planner.i18n import content_lang, format_day, localized
from planner.ops.cache import derived
from planner.services import notify_events as notify_hooks
from planner.services import risks as service
from planner.services.concurrency import StaleEditError
from planner.services.programs import get_program
from planner.web.form_errors import show_on_form
from planner.web.policy import can

bp = Blueprint("risks", __name__)

SORTABLE = {
    "key": "asc",
    "title": "asc",
    "category": "asc",
    "owner": "asc",
    "status": "asc",
    "inherent_score": "desc",
    "residual_score": "desc",
    "phase": "asc",
    "review_date": "asc",
}


def _today() -> date:
    return date.today()


def _labels() -> dict[str, Any]:
    """Code → label tables every risk template uses."""
    return {
        "status_labels": STATUS_LABELS,
        "status_actions": STATUS_ACTIONS,
        "response_labels": RESPONSE_LABELS,
        "decision_labels": DECISION_LABELS,
        "overdue_labels": OVERDUE_LABELS,
        "field_labels": FIELD_LABELS,
        "entity_labels": ENTITY_LABELS,
        "statuses": STATUSES,
    }


def _stale_message(exc: StaleEditError) -> str:
    if exc.last is None:
        return _("This was changed by someone else since you opened it.")
    when = f"{format_day(exc.last.at)} {exc.last.at:%H:%M}"
    return _(
        "This was changed by %(who)s at %(when)s UTC since you opened it: your input is kept "
        "below beside the values stored now; save again to overwrite them.",
        who=exc.last.actor,
        when=when,
    )


# --------------------------------------------------------------------------- register


def _heat_map(program_id: int, view: Any, info: Any, which: str, query: Any) -> dict[str, Any]:
    counts = view.heat_inherent if which == "inherent" else view.heat_residual
    urls = [
        [
            url_for(
                "risks.register",
                program_id=program_id,
                cell=f"{lk}-{im}-{which}",
                sort=query.sort,
                dir="desc" if query.descending else "asc",
            )
            for im in LEVELS
        ]
        for lk in LEVELS
    ]
    selected = None
    if query.cell and query.cell[2] == which and query.cell[0] in LEVELS:
        selected = (query.cell[0], query.cell[1])
    title = (
        _("Inherent (before the response)")
        if which == "inherent"
        else _("Residual (after the response)")
    )
    figure = heat_map_figure(
        counts,
        view.cell_bands,
        band_names=info.band_names,
        band_labels=info.band_labels,
        likelihood_labels=list(info.scale.likelihood_levels),
        impact_labels=list(info.scale.impact_levels),
        title=title,
        x_title=_("Impact"),
        y_title=_("Likelihood"),
        hover=_(
            "Likelihood %%(likelihood)d × impact %%(impact)d (%%(band)s): "
            "%%(count)d open risks — click to list them"
        ).replace("%%", "%"),
        cell_urls=urls,
        selected=selected,
    )
    return {"figure": figure, "counts": counts, "urls": urls, "title": title, "which": which}


@bp.get("/programs/<int:program_id>/risks")
def register(program_id: int):
    program = get_program(program_id)
    can_edit = can("edit", program.id)
    # a steering room reads the same register: render its body once per program revision,
    # filters, language and right to edit (today and the locale are part of the key)
    body_html, status = derived(
        "risk-register",
        program.id,
        lambda: _register_body(program, can_edit),
        request.query_string.decode("utf-8", "replace"),
        can_edit,
    )
    return render_template(
        "risks/register.html",
        program=program,
        body_html=Markup(body_html),  # nosec B704 - rendered by Jinja with autoescape
    ), status


def _register_body(program: Any, can_edit: bool) -> tuple[str, int]:
    info = service.scale_for(program, content_lang())
    query = service.RegisterQuery.from_args(request.args)
    today = _today()
    view = service.register_view(program, query, info, today)
    maps = [_heat_map(program.id, view, info, which, query) for which in ("inherent", "residual")]
    html = render_template(
        "risks/_register_body.html",
        program=program,
        info=info,
        view=view,
        query=query,
        maps=maps,
        sortable=SORTABLE,
        levels=LEVELS,
        today=today,
        can_edit=can_edit,
        **_labels(),
    )
    return html, (400 if view.errors else 200)


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
    status = 200
    if request.method == "POST":
        status = 422
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
    return render_template(
        "risks/form.html", program=program, form=form, risk=None, info=info, current={}, **_labels()
    ), status


@bp.route("/programs/<int:program_id>/risks/<int:risk_id>/edit", methods=["GET", "POST"])
def edit(program_id: int, risk_id: int):
    program = get_program(program_id)
    risk = service.get_risk(program.id, risk_id)
    info = service.scale_for(program, content_lang())
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
    # offer the current status and the ones it may move to (the service checks again)
    form.status.choices = choices(
        (s, STATUS_LABELS[s])
        for s in STATUSES
        if s == risk.status or s in ALLOWED_TRANSITIONS[risk.status]
    )
    status = 200
    current: dict[str, str] = {}
    stale = ""
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                old_score = risk.residual_score
                service.update_risk(risk, form.service_data(), form.version.data)
                notify_hooks.risk_rescored(risk, old_score, current_user)
                db.session.commit()
            except StaleEditError as exc:
                db.session.rollback()
                status = 409
                stale = _stale_message(exc)
                risk = service.get_risk(program.id, risk_id)
                current = _current_values(risk, form, info)
                form.version.data = str(risk.version)
            except ValidationError as exc:
                db.session.rollback()
                show_on_form(form, exc)
            else:
                flash(_("Risk %(key)s saved.", key=risk.key), "success")
                return redirect(url_for("risks.detail", program_id=program.id, risk_id=risk.id))
    return render_template(
        "risks/form.html",
        program=program,
        form=form,
        risk=risk,
        info=info,
        current=current,
        stale=stale,
        **_labels(),
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
        today=_today(),
        history=service.risk_history(risk),
        decisions=decisions,
        action_form=action_form,
        item_form=item_form,
        phase_form=phase_form,
        status_form=forms.get("status_form") or StatusForm(formdata=None),
        transitions=[s for s in STATUSES if s in ALLOWED_TRANSITIONS[risk.status]],
        phase_names={str(p.id): localized(p, "name") for p in service.program_phases(program.id)},
        message=forms.get("message", ""),
        **_labels(),
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
        return _render_detail(program, risk, 409, message=_stale_message(exc), **forms)
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
        service.set_action_done(action, form.done.data == "1", form.version.data, _today())
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


# --------------------------------------------------------------------------- files


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "program"


@bp.get("/programs/<int:program_id>/risks/export.xlsx")
def export_xlsx(program_id: int):
    program = get_program(program_id)
    lang = content_lang()
    info = service.scale_for(program, lang)
    today = _today()
    data = service.export_xlsx(program, info, today, lang, translate=_)
    name = f"risk-register-{_slug(program.name)}-{today.isoformat()}.xlsx"
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/programs/<int:program_id>/risks/export.csv")
def export_csv(program_id: int):
    program = get_program(program_id)
    lang = content_lang()
    info = service.scale_for(program, lang)
    today = _today()
    data = service.export_csv(program, info, today, lang)
    name = f"risk-register-{_slug(program.name)}-{today.isoformat()}.csv"
    return Response(
        data,
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/programs/<int:program_id>/risks/import", methods=["GET", "POST"])
def import_register(program_id: int):
    program = get_program(program_id)
    form = ImportForm()
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            upload = form.file.data
            try:
                result = service.import_register(
                    program,
                    upload.filename or "",
                    upload.read(),
                    replace=bool(form.replace.data),
                    today=_today(),
                )
                db.session.commit()
            except ImportFormatError as exc:
                db.session.rollback()
                problems = [
                    _("%(element)s: %(problem)s", element=p, problem=m) if p else m
                    for p, m in problem_pairs(exc)
                ]
            else:
                flash(
                    _(
                        "Register imported: %(created)d added, %(updated)d updated, "
                        "%(unchanged)d unchanged, %(removed)d removed.",
                        created=len(result.created),
                        updated=len(result.updated),
                        unchanged=len(result.unchanged),
                        removed=len(result.removed),
                    ),
                    "success",
                )
                if result.ignored_columns:
                    flash(
                        _(
                            "Columns not imported: %(names)s.",
                            names=", ".join(result.ignored_columns),
                        ),
                        "info",
                    )
                return redirect(url_for("risks.register", program_id=program.id))
    from planner.interop.risks import COLUMNS

    return render_template(
        "risks/import.html",
        program=program,
        form=form,
        problems=problems,
        columns=COLUMNS,
        **_labels(),
    ), status


# --------------------------------------------------------------------------- reviews


def _trend_figure(points: list[Any], info: Any) -> dict[str, Any]:
    return exposure_trend_figure(
        points,
        band_names=info.band_names,
        band_labels=info.band_labels,
        title=_("Exposure trend: open risks by residual band"),
        count_title=_("Open risks"),
        score_title=_("Total residual score"),
        total_name=_("Total residual score"),
    )


@bp.route("/programs/<int:program_id>/reviews", methods=["GET", "POST"])
def reviews(program_id: int):
    program = get_program(program_id)
    info = service.scale_for(program, content_lang())
    today = _today()
    form = ReviewForm()
    status = 200
    if request.method == "GET":
        form.held_on.data = today
    elif form.validate_on_submit():
        try:
            review = service.open_review(program, form.data)
            db.session.commit()
        except ValidationError as exc:
            db.session.rollback()
            show_on_form(form, exc)
            status = 422
        else:
            flash(
                _("Steering review of %(day)s opened.", day=format_day(review.held_on)),
                "success",
            )
            return redirect(url_for("risks.review", program_id=program.id, review_id=review.id))
    else:
        status = 422
    listed = service.list_reviews(program.id)
    points = service.reviews_trend(program.id, listed, info, today)
    summaries = {}
    for review in listed:
        snaps = [service.entry_snapshot(e) for e in review.entries]
        live = [s for s in snaps if s.is_open]
        summaries[review.id] = {
            "open": len(live),
            "score": sum(s.residual_score for s in live),
        }
    return render_template(
        "risks/reviews.html",
        program=program,
        info=info,
        form=form,
        reviews=listed,
        summaries=summaries,
        points=points,
        trend=_trend_figure(points, info),
        today=today,
        **_labels(),
    ), status


def _render_review(program: Any, review: Any, status: int = 200, message: str = ""):
    info = service.scale_for(program, content_lang())
    view = service.review_view(review, info)
    return render_template(
        "risks/review.html",
        program=program,
        review=review,
        view=view,
        info=info,
        trend=_trend_figure(view.trend, info),
        message=message,
        **_labels(),
    ), status


@bp.get("/programs/<int:program_id>/reviews/<int:review_id>")
def review(program_id: int, review_id: int):
    program = get_program(program_id)
    return _render_review(program, service.get_review(program.id, review_id))


@bp.route("/programs/<int:program_id>/reviews/<int:review_id>/edit", methods=["GET", "POST"])
def edit_review(program_id: int, review_id: int):
    program = get_program(program_id)
    review_row = service.get_review(program.id, review_id)
    if request.method == "GET":
        form = ReviewForm(obj=review_row)
        form.version.data = str(review_row.version)
    else:
        form = ReviewForm()
    form.submit.label.text = _("Save review")
    status = 200
    stale = ""
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                service.update_review(review_row, form.data, form.version.data)
                db.session.commit()
            except StaleEditError as exc:
                db.session.rollback()
                status = 409
                stale = _stale_message(exc)
                review_row = service.get_review(program.id, review_id)
                form.version.data = str(review_row.version)
            except ValidationError as exc:
                db.session.rollback()
                show_on_form(form, exc)
            else:
                flash(_("Review saved."), "success")
                return redirect(
                    url_for("risks.review", program_id=program.id, review_id=review_row.id)
                )
    return render_template(
        "risks/review_form.html",
        program=program,
        review=review_row,
        form=form,
        stale=stale,
        **_labels(),
    ), status


@bp.post("/programs/<int:program_id>/reviews/<int:review_id>/snapshot")
def refresh_snapshot(program_id: int, review_id: int):
    program = get_program(program_id)
    review_row = service.get_review(program.id, review_id)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        service.refresh_snapshot(review_row, form.version.data)
        db.session.commit()
    except StaleEditError as exc:
        db.session.rollback()
        return _render_review(
            program, service.get_review(program.id, review_id), 409, _stale_message(exc)
        )
    flash(_("The review now holds the register as it stands."), "success")
    return redirect(url_for("risks.review", program_id=program.id, review_id=review_row.id))


@bp.post("/programs/<int:program_id>/reviews/<int:review_id>/decisions")
def decide(program_id: int, review_id: int):
    program = get_program(program_id)
    review_row = service.get_review(program.id, review_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _render_review(program, review_row, 422, _("Choose a risk and a decision."))
    try:
        decision = service.record_decision(
            review_row, form.risk_id.data, form.decision.data, form.note.data, form.version.data
        )
        notify_hooks.review_decision_recorded(program.id, review_row, decision, current_user)
        db.session.commit()
    except (StaleEditError, ValidationError) as exc:
        db.session.rollback()
        review_row = service.get_review(program.id, review_id)
        if isinstance(exc, StaleEditError):
            return _render_review(program, review_row, 409, _stale_message(exc))
        message = "; ".join(m for _p, m in exc.errors) or str(exc)
        return _render_review(program, review_row, 422, message)
    flash(_("Decision on %(key)s recorded.", key=decision.risk.key), "success")
    url = url_for("risks.review", program_id=program.id, review_id=review_row.id)
    return redirect(f"{url}#risk-{decision.risk.key}")
