"""Schedule risk pages: the analysis (gates, S-curve, tornado, what-if mitigation), its
inputs (quick ranges, item ranges, risk delays) and the xlsx export. Thin: parse, call the
service, commit, redirect."""

from __future__ import annotations

from datetime import date
from typing import Any

from babel import numbers as babel_numbers
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _

from planner.charts.schedule_risk import Series, s_curve_figure, tornado_figure
from planner.domain.errors import PlannerError, ValidationError
from planner.domain.schedule_risk import DEFAULT_ITERATIONS, LIKELIHOOD_PROBABILITY, RiskAnalysis
from planner.explain_text import format_number, join_list
from planner.extensions import db
from planner.forms.schedule_risk import DeleteForm, ItemRangeForm, RangeForm, RiskDelayForm
from planner.i18n import localized
from planner.models import Program
from planner.services import schedule_risk as service
from planner.services.concurrency import StaleEditError
from planner.services.programs import get_program
from planner.web.form_errors import show_on_form

bp = Blueprint("schedule_risk", __name__)


def _lang() -> str:
    return str(get_locale() or "en")


def _options(program: Program) -> tuple[int, tuple[str, ...], str | None, list[str]]:
    """Iterations, risks to take as mitigated, the phase of the tornado; and what was refused."""
    refused: list[str] = []
    iterations = DEFAULT_ITERATIONS
    if request.args.get("iterations"):
        try:
            iterations = service.check_iterations(request.args["iterations"])
        except ValidationError as exc:
            refused.extend(m for _f, m in exc.errors)
    known = {r.key for r in program.risks}
    mitigate = tuple(k for k in request.args.getlist("mitigate") if k in known)
    return iterations, mitigate, request.args.get("phase") or None, refused


def format_percent(share: float | None) -> str:
    """A share (0–1) as a whole percent in the reader's locale."""
    if share is None:
        return "—"
    return babel_numbers.format_percent(round(share, 2), locale=_lang())


def schedule_risk_card(program: Program, today: date) -> dict[str, Any] | None:
    """The gates ahead with their chance, P80 and drivers named in the reader's language;
    dated when the analysis predates the latest changes, an invitation when there is none."""
    outlook = service.gate_outlook(program, today)
    if outlook.pending:
        return {"gates": [], "pending": True, "as_of": None}
    gates = outlook.gates
    if not gates:
        return None
    phases = phase_names(program)
    names = service.item_names(program, _lang())
    return {
        "pending": False,
        "as_of": outlook.as_of,
        "gates": [
            {
                "phase": g.phase,
                "name": phases.get(g.phase, g.phase),
                "probability": g.probability,
                "chance": format_percent(g.probability),
                "p80": g.p80,
                "days_late": g.days_late,
                "drivers": join_list([names.get(k, k) for k in g.driver_keys]),
            }
            for g in gates
        ],
    }


def gate_chance(program: Program, phase_key: str, today: date) -> dict[str, Any] | None:
    """One gate ahead of the card (for the gate page), or None when it is past."""
    card = schedule_risk_card(program, today)
    if card is None:
        return None
    found = next((g for g in card["gates"] if g["phase"] == phase_key), None)
    return None if found is None else {**found, "as_of": card["as_of"]}


def labels() -> dict[str, str]:
    return {
        "probability": _("Chance of finishing by then"),
        "finish": _("Finish date"),
        "correlation": _("Rank correlation with the finish"),
    }


def xlsx_words() -> dict[str, str]:
    return {
        "sheet_gates": _("Gates"),
        "sheet_curves": _("S-curves"),
        "sheet_drivers": _("Drivers"),
        "sheet_criticality": _("Criticality"),
        "program_finish": _("Program finish"),
        "phase": _("Phase"),
        "gate": _("Gate"),
        "deterministic": _("Planned finish"),
        "mean": _("Mean finish"),
        "p50": "P50",
        "p80": "P80",
        "p90": "P90",
        "probability": _("Chance of meeting the gate"),
        "iterations": _("Iterations"),
        "seed": _("Seed"),
        "finish": _("Finish date"),
        "cumulative": _("Share finished by then"),
        "kind": _("Kind"),
        "kind_item": _("Work item"),
        "kind_risk": _("Risk"),
        "key": _("Key"),
        "name": _("Name"),
        "correlation": _("Rank correlation with the finish"),
        "criticality": _("Criticality index"),
    }


def phase_names(program: Program) -> dict[str, str]:
    return {p.key: localized(p, "name") or p.name for p in program.phases}


def _charts(
    program: Program, analysis: RiskAnalysis, phase: str | None, names: dict[str, str]
) -> dict[str, Any]:
    titles = phase_names(program)
    series = [Series(titles.get(g.phase or "", g.phase or ""), g) for g in analysis.gates]
    series.append(Series(_("Program finish"), analysis.finish))
    chosen = analysis.gate(phase) if phase else None
    focus = chosen or next(
        (g for g in analysis.gates if g.gate is not None and g.gate >= date.today()),
        analysis.finish,
    )
    return {
        "s_curve": s_curve_figure(series, labels()),
        "tornado": tornado_figure(focus.drivers, names, labels()),
        "focus": focus,
    }


def _page(
    program: Program, forms: dict[str, Any] | None = None, status: int = 200
) -> ResponseReturnValue:
    iterations, mitigate, phase, refused = _options(program)
    names = service.item_names(program, _lang())
    try:
        analysis = service.analyse(program, date.today(), iterations=iterations, mitigated=mitigate)
        problem = None
    except PlannerError as exc:
        analysis, problem = None, str(exc)
    forms = forms or {}
    context = {
        "program": program,
        "analysis": analysis,
        "problem": problem,
        "refused": refused,
        "iterations": iterations,
        "iteration_choices": service.ITERATION_CHOICES,
        "mitigate": mitigate,
        "names": names,
        "phase_names": phase_names(program),
        "charts": _charts(program, analysis, phase, names) if analysis else None,
        "ranges": service.program_ranges(program),
        "range_form": forms.get("range") or _range_form(program),
        "item_form": forms.get("item") or ItemRangeForm(formdata=None),
        "ranged_items": service.ranged_items(program),
        "delay_risks": (delays := service.risks_for_delays(program)),
        "delaying": [r for r, _n in delays if r.schedule_delay_days or r.schedule_delay_pct],
        "today": date.today(),
        "delete_form": DeleteForm(formdata=None),
        "format_percent": format_percent,
        "format_number": format_number,
        "likelihood_probability": LIKELIHOOD_PROBABILITY,
    }
    return render_template("schedule_risk/index.html", **context), status


def _range_form(program: Program, formdata: Any = None) -> RangeForm:
    form = RangeForm(formdata=formdata)
    phases = [(p.key, localized(p, "name") or p.name) for p in program.phases]
    streams = [(s, s) for s in service.workstreams(program)]
    form.scope_key.choices = [("", "—"), *phases, *streams]
    return form


@bp.route("/programs/<int:program_id>/schedule-risk")
def index(program_id: int) -> ResponseReturnValue:
    return _page(get_program(program_id))


@bp.route("/programs/<int:program_id>/schedule-risk/ranges", methods=["POST"])
def save_range(program_id: int) -> ResponseReturnValue:
    program = get_program(program_id)
    form = _range_form(program, request.form)
    if not form.validate():
        return _page(program, {"range": form}, 422)
    try:
        service.save_range(
            program,
            form.scope.data,
            form.scope_key.data or "",
            form.low_pct.data,
            form.high_pct.data,
            form.shape.data,
            form.correlation.data or 0,
        )
        db.session.commit()
    except ValidationError as exc:
        db.session.rollback()
        show_on_form(form, exc)
        return _page(program, {"range": form}, 422)
    flash(_("Range saved: the analysis below uses it."), "success")
    return redirect(url_for("schedule_risk.index", program_id=program.id) + "#inputs")


@bp.route("/programs/<int:program_id>/schedule-risk/ranges/<int:range_id>/delete", methods=["POST"])
def delete_range(program_id: int, range_id: int) -> ResponseReturnValue:
    program = get_program(program_id)
    service.delete_range(program, range_id)
    db.session.commit()
    flash(_("Range removed."), "success")
    return redirect(url_for("schedule_risk.index", program_id=program.id) + "#inputs")


@bp.route("/programs/<int:program_id>/schedule-risk/items", methods=["POST"])
def save_item_range(program_id: int) -> ResponseReturnValue:
    program = get_program(program_id)
    form = ItemRangeForm()
    if not form.validate():
        return _page(program, {"item": form}, 422)
    try:
        item = service.item_by_key(program, form.key.data)
        version = form.version.data or item.version  # a new range: the row as read now
        service.set_item_range(
            item, form.optimistic.data, form.pessimistic.data, form.shape.data, version
        )
        db.session.commit()
    except (ValidationError, StaleEditError) as exc:
        db.session.rollback()
        show_on_form(form, exc)
        return _page(program, {"item": form}, 409 if isinstance(exc, StaleEditError) else 422)
    flash(_("Range of %(key)s saved.", key=item.key), "success")
    return redirect(url_for("schedule_risk.index", program_id=program.id) + "#inputs")


@bp.route("/programs/<int:program_id>/schedule-risk/risks/<int:risk_id>", methods=["POST"])
def save_risk_delay(program_id: int, risk_id: int) -> ResponseReturnValue:
    program = get_program(program_id)
    risk = service.risk_by_id(program, risk_id)
    form = RiskDelayForm()
    try:
        if not form.validate():
            raise ValidationError(errors=[(n, e[0]) for n, e in form.errors.items()])
        service.set_risk_delay(
            risk,
            form.delay_days.data,
            form.delay_pct.data,
            form.probability_pct.data,
            form.residual_delay_days.data,
            form.version.data,
        )
        db.session.commit()
    except (ValidationError, StaleEditError) as exc:
        db.session.rollback()
        flash(f"{risk.key}: {exc}", "danger")
        return redirect(url_for("schedule_risk.index", program_id=program.id) + "#risks")
    flash(_("Schedule effect of %(key)s saved.", key=risk.key), "success")
    return redirect(url_for("schedule_risk.index", program_id=program.id) + "#risks")


@bp.route("/programs/<int:program_id>/schedule-risk.xlsx")
def export(program_id: int) -> ResponseReturnValue:
    program = get_program(program_id)
    iterations, mitigate, _phase, _refused = _options(program)
    analysis = service.analyse(program, date.today(), iterations=iterations, mitigated=mitigate)
    from planner.interop.schedule_risk_xlsx import analysis_xlsx  # openpyxl: when asked

    data = analysis_xlsx(
        analysis, service.item_names(program, _lang()), phase_names(program), xlsx_words()
    )
    name = f"schedule-risk-{program.id}.xlsx"
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
