"""Pages of the gates area (URLs under /programs/<id>/...)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from planner.domain.errors import ValidationError
from planner.domain.gates import Decision, decision_kind
from planner.explain_text import (
    band_label,
    join_list,
    renderer,
    stored_summary,
)
from planner.extensions import db
from planner.forms.gates import CriterionForm, DecisionForm
from planner.forms.metrics import choices
from planner.i18n import content_lang, localized
from planner.models.gate import GateCriterion
from planner.models.plan import Phase
from planner.models.program import Program
from planner.services import gates as service
from planner.services import notify_events as notify_hooks
from planner.services.benefits import benefit_review_case
from planner.services.concurrency import StaleEditError
from planner.services.programs import get_program
from planner.web.form_errors import apply_errors, loose_errors, save_or_refuse
from planner.web.metrics import display_value
from planner.web.schedule_risk import gate_chance

bp = Blueprint("gates", __name__)


def _phase_label(phase: Phase) -> str:
    if phase.kind == "diagnosis":
        return _("Diagnosis")
    return _("Phase %(n)d", n=phase.ordinal)


@bp.get("/programs/<int:program_id>/gates")
def index(program_id: int) -> ResponseReturnValue:
    get_program(program_id)
    today = date.today()
    program, reports = service.gate_reports(program_id, today, content_lang())
    return render_template(
        "gates/index.html",
        program=program,
        reports=reports,
        today=today,
        phase_label=_phase_label,
        **explaining(program),
    )


def explaining(program: Program) -> dict[str, Any]:
    """What a template needs to word the domain's explanations for this program."""
    bands = service.band_labels(program, content_lang())
    return {
        "explain": renderer(bands),
        "band_label": lambda band: band_label(band, bands),
        "stored_summary": stored_summary,
        "join_list": join_list,
    }


def _decision_form(today: date) -> DecisionForm:
    form = DecisionForm(formdata=None)
    form.decided_on.data = today
    return form


def _render_gate(
    program: Program,
    report: service.GateReport,
    decision_form: DecisionForm,
    status: int = 200,
    loose: list[str] | None = None,
):
    metric_names = {m.key: localized(m, "name") for m in program.metrics}
    milestone_names = {i.key: localized(i, "name") for i in program.work_items if i.is_milestone}
    return (
        render_template(
            "gates/show.html",
            program=program,
            report=report,
            phase=report.phase,
            decision_form=decision_form,
            loose=loose or [],
            metric_names=metric_names,
            milestone_names=milestone_names,
            phase_label=_phase_label,
            today=report.today,
            format_value=display_value,
            gate_chance=gate_chance(program, report.phase.key, report.today),
            # issue 23: the benefit review reads the benefits case
            benefit_case=benefit_review_case(program, report.phase.ordinal, report.today),
            **explaining(program),
        ),
        status,
    )


@bp.get("/programs/<int:program_id>/gates/<int:ordinal>")
def show(program_id: int, ordinal: int) -> ResponseReturnValue:
    get_program(program_id)
    today = date.today()
    program, report = service.gate_report(program_id, ordinal, today, content_lang())
    return _render_gate(program, report, _decision_form(today))


@bp.post("/programs/<int:program_id>/gates/<int:ordinal>/decisions")
def decide(program_id: int, ordinal: int) -> ResponseReturnValue:
    get_program(program_id)
    today = date.today()
    program = service.load_program(program_id)
    phase = service.phase_by_ordinal(program, ordinal)
    form = DecisionForm()
    loose: list[str] = []
    if form.validate_on_submit():
        try:
            decision = service.record_decision(
                program, phase, _decision_of(form), today, content_lang()
            )
            notify_hooks.gate_decision_recorded(program.id, phase, decision, current_user)
            db.session.commit()
        except ValidationError as exc:
            db.session.rollback()
            # the gate as a whole has no field: its message stands above the form
            loose = apply_errors(form, exc, {"criteria": ""})
        else:
            flash(_recorded(decision.kind, phase), "success")
            return redirect(url_for("gates.show", program_id=program.id, ordinal=ordinal))
    program, report = service.gate_report(program_id, ordinal, today, content_lang())
    return _render_gate(program, report, form, 422, loose)


def _recorded(kind: str, phase: Phase) -> str:
    return _(
        "Decision recorded: %(kind)s at the gate of %(phase)s.",
        kind=_decision_word(kind),
        phase=_phase_label(phase),
    )


def _decision_of(form: DecisionForm) -> Decision:
    return Decision(
        kind=decision_kind(form.kind.data or ""),
        decided_by=form.decided_by.data or "",
        decided_on=form.decided_on.data,
        notes=form.notes.data or "",
        conditions=form.conditions.data or "",
        due=form.due.data,
        justification=form.justification.data or "",
        replan=form.replan.data or "",
    )


def _decision_word(kind: str) -> str:
    return {"go": _("Go"), "conditional_go": _("Conditional go"), "no_go": _("No-go")}.get(
        kind, kind
    )


# --------------------------------------------------------------------------- criteria


def _criterion_form(program: Program, formdata: bool = True) -> CriterionForm:
    form = CriterionForm() if formdata else CriterionForm(formdata=None)
    form.metric.choices = choices(
        [("", "—")] + [(m.key, f"{localized(m, 'name')} ({m.key})") for m in program.metrics]
    )
    phases = {p.id: p for p in program.phases}
    form.milestones.choices = choices(
        (i.key, f"{localized(i, 'name')} · {_phase_label(phases[i.phase_id])}")
        for i in program.work_items
        if i.is_milestone
    )
    bands = service.band_labels(program, content_lang())
    form.band.choices = choices(
        (b, band_label(b, bands)) for b in service.risk_scale(program).band_names
    )
    return form


def _criterion_input(form: CriterionForm) -> service.CriterionInput:
    return service.CriterionInput(
        kind=form.kind.data or "",
        metric=form.metric.data or "",
        milestones=list(form.milestones.data or []),
        band=form.band.data or "",
        text=form.text.data or "",
        text_zh=form.text_zh.data,
        met=form.met_value(),
        evidence=form.evidence.data or "",
        evidence_url=form.evidence_url.data,
        source=form.source.data or "person",
    )


def _fill_criterion_form(form: CriterionForm, row: GateCriterion) -> None:
    form.kind.data = row.kind
    form.metric.data = row.reference if row.kind == "metric_target" else ""
    form.milestones.data = row.milestone_keys
    form.band.data = row.reference if row.kind == "max_risk_band" else ""
    form.text.data = row.text
    form.text_zh.data = row.text_zh or ""
    form.met.data = {True: "yes", False: "no"}.get(row.met, "")  # type: ignore[arg-type]  # None finds no answer: empty
    form.evidence.data = row.evidence
    form.evidence_url.data = row.evidence_url or ""
    form.source.data = row.source or "person"
    form.version.data = row.version


@bp.route("/programs/<int:program_id>/gates/<int:ordinal>/criteria/new", methods=["GET", "POST"])
def new_criterion(program_id: int, ordinal: int) -> ResponseReturnValue:
    get_program(program_id)
    program = service.load_program(program_id)
    phase = service.phase_by_ordinal(program, ordinal)
    form = _criterion_form(program)
    if request.method == "GET":
        form.kind.data = request.args.get("kind", "manual")
        names = service.risk_scale(program).band_names
        form.band.data = "high" if "high" in names else names[-1]
    loose: list[str] = []
    if form.validate_on_submit():
        status, _stale = save_or_refuse(
            form, lambda: service.save_criterion(program, phase, _criterion_input(form))
        )
        loose = loose_errors(form)
        if status == 200:
            flash(_("Criterion added."), "success")
            return redirect(url_for("gates.show", program_id=program.id, ordinal=ordinal))
    status = 200 if request.method == "GET" else 422
    return _render_criterion_form(program, phase, form, None, loose), status


@bp.route(
    "/programs/<int:program_id>/gates/<int:ordinal>/criteria/<int:criterion_id>/edit",
    methods=["GET", "POST"],
)
def edit_criterion(program_id: int, ordinal: int, criterion_id: int) -> ResponseReturnValue:
    get_program(program_id)
    program = service.load_program(program_id)
    phase = service.phase_by_ordinal(program, ordinal)
    criterion = service.get_criterion(phase, criterion_id)
    form = _criterion_form(program)
    if request.method == "GET":
        _fill_criterion_form(form, criterion)
    status, loose, stale = (422 if request.method == "POST" else 200), [], None
    if form.validate_on_submit():
        status, stale = save_or_refuse(
            form,
            lambda: service.save_criterion(
                program, phase, _criterion_input(form), criterion, form.version.data
            ),
        )
        loose = loose_errors(form)
        if status == 200:
            flash(_("Criterion saved."), "success")
            return redirect(url_for("gates.show", program_id=program.id, ordinal=ordinal))
    if status != 200:  # read again: the page shows what is stored now
        program = service.load_program(program_id)
        phase = service.phase_by_ordinal(program, ordinal)
        criterion = service.get_criterion(phase, criterion_id)
    return _render_criterion_form(program, phase, form, criterion, loose, stale), status


def _render_criterion_form(
    program: Program,
    phase: Phase,
    form: Any,
    criterion: GateCriterion | None,
    loose: list[str],
    stale: StaleEditError | None = None,
) -> str:
    return render_template(
        "gates/criterion_form.html",
        program=program,
        phase=phase,
        form=form,
        criterion=criterion,
        loose=loose,
        stale=stale,
        phase_label=_phase_label,
        **explaining(program),
    )


@bp.post("/programs/<int:program_id>/gates/<int:ordinal>/criteria/<int:criterion_id>/delete")
def delete_criterion(program_id: int, ordinal: int, criterion_id: int) -> ResponseReturnValue:
    get_program(program_id)
    program = service.load_program(program_id)
    phase = service.phase_by_ordinal(program, ordinal)
    criterion = service.get_criterion(phase, criterion_id)
    service.delete_criterion(phase, criterion)
    db.session.commit()
    flash(_("Criterion removed."), "success")
    return redirect(url_for("gates.show", program_id=program.id, ordinal=ordinal))
