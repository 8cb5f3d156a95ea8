"""Budget and cost, effort (timesheet) and the benefits case pages of a program, and the
money workbook (URLs under /programs/<id>/money, /effort, /benefits)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from planner.domain.errors import PlannerError
from planner.extensions import db
from planner.forms import money as forms
from planner.i18n import content_lang, localized
from planner.models import Program
from planner.services import benefits as benefit_service
from planner.services import effort as effort_service
from planner.services import money as service
from planner.services.money_input import settings_of
from planner.services.people import list_people
from planner.services.programs import get_program
from planner.web.form_errors import show_on_form

bp = Blueprint("money", __name__)


def _data(form: FlaskForm) -> dict[str, Any]:
    return {n: f.data for n, f in form._fields.items() if n not in ("csrf_token", "submit")}


def _posted(form: FlaskForm, action: Any) -> bool:
    """Validate and run ``action``; commit, or roll back and show problems on ``form``."""
    if not (form.submit.data and form.validate_on_submit()):
        return False
    try:
        action(_data(form))
    except PlannerError as exc:
        db.session.rollback()
        show_on_form(form, exc)
        return False
    db.session.commit()
    flash(_("Saved."), "success")
    return True


def _phase_choices(program: Program, empty: str) -> list[tuple[str, str]]:
    return [("", empty)] + [
        (str(p.ordinal), _("Diagnosis") if p.kind == "diagnosis" else _("Phase %(n)d", n=p.ordinal))
        for p in sorted(program.phases, key=lambda p: p.ordinal)
    ]


def _item_choices(program: Program, empty: str | None) -> list[tuple[str, str]]:
    head = [("", empty)] if empty is not None else []
    return head + [(i.key, f"{i.key} · {localized(i, 'name')}") for i in program.work_items]


def _money_forms(program: Program) -> dict[str, FlaskForm]:
    cost, budget = forms.CostForm(prefix="cost"), forms.BudgetForm(prefix="budget")
    cost.phase.choices = _phase_choices(program, _("The program"))
    cost.item.choices = _item_choices(program, "—")
    budget.phase.choices = _phase_choices(program, _("The program or a workstream"))
    settings = settings_of(program, content_lang())
    setting = forms.SettingsForm(prefix="settings")
    if request.method == "GET":
        setting.currency.data = settings.currency
        setting.fx_rates.data = ", ".join(f"{k}={v:g}" for k, v in settings.fx_rates.items())
        setting.discount_rate.data = f"{settings.discount_rate * 100:g}"
        setting.horizon_months.data = str(settings.horizon_months)
        setting.version.data = str(settings.version)
    return {"cost": cost, "budget": budget, "rate": forms.RoleRateForm(prefix="rate"),
            "settings": setting}  # fmt: skip


def _rates(text: str) -> dict[str, str]:
    pairs = [part.split("=", 1) for part in (text or "").replace(";", ",").split(",") if part]
    return {k.strip(): v.strip() for k, v in (p for p in pairs if len(p) == 2)}


@bp.route("/programs/<int:program_id>/money", methods=["GET", "POST"])
def costs(program_id: int):
    program = get_program(program_id)
    f = _money_forms(program)
    done = (
        _posted(f["cost"], lambda d: service.add_cost(program, d))
        or _posted(f["budget"], lambda d: service.set_budget(program, d))
        or _posted(f["rate"], lambda d: service.set_role_rate(program, d))
        or _posted(f["settings"], lambda d: service.update_settings(
            program, {**d, "fx_rates": _rates(d["fx_rates"])}, d["version"]))
    )  # fmt: skip
    if done:
        return redirect(url_for("money.costs", program_id=program.id))
    report = service.cost_report(program, date.today())
    return render_template(
        "money/costs.html", program=program, report=report, forms=f,
        entries=service.cost_entries(program), rates=service.role_rates(program),
    ), (422 if request.method == "POST" else 200)  # fmt: skip


@bp.route("/programs/<int:program_id>/effort", methods=["GET", "POST"])
def effort(program_id: int):
    program = get_program(program_id)
    people = [(p.name, p.name) for p in list_people(program) if p.kind != "role"]
    log, assign = forms.EffortForm(prefix="log"), forms.AssignmentForm(prefix="assign")
    sheet = forms.TimesheetForm(prefix="sheet")
    for form in (log, assign):
        form.person.choices, form.item.choices = people, _item_choices(program, None)
    done = (
        _posted(log, lambda d: effort_service.log_effort(program, d))
        or _posted(assign, lambda d: effort_service.set_assignment(program, d))
        or _posted(sheet, lambda d: _import_sheet(program, d))
    )  # fmt: skip
    if done:
        return redirect(url_for("money.effort", program_id=program.id))
    return render_template(
        "money/effort.html", program=program, log=log, assign=assign, sheet=sheet,
        assignments=effort_service.assignments_of(program),
        logged=effort_service.logged_hours(program), recent=effort_service.recent_logs(program),
    ), (422 if request.method == "POST" else 200)  # fmt: skip


def _import_sheet(program: Program, data: dict[str, Any]) -> None:
    upload = data["file"]
    count = effort_service.import_timesheet(program, upload.read(), upload.filename or "")
    flash(_("%(n)d rows imported.", n=count), "success")


@bp.route("/programs/<int:program_id>/benefits", methods=["GET", "POST"])
def benefits(program_id: int):
    program = get_program(program_id)
    form = forms.BenefitForm(prefix="benefit")
    form.key.choices = [(k, v["name_zh"] if content_lang() == "zh" else v["name"])
                        for k, v in benefit_service.LIBRARY.items()]  # fmt: skip
    form.metric.choices = [("", "—")] + [(m.key, localized(m, "name")) for m in program.metrics]
    form.go_live_phase.choices = _phase_choices(program, "")[2:]
    if _posted(form, lambda d: benefit_service.create_benefit(program, d)):
        return redirect(url_for("money.benefits", program_id=program.id))
    case = benefit_service.benefits_case(program, date.today())
    return render_template(
        "money/benefits.html", program=program, case=case, form=form,
        reading=forms.BenefitReadingForm(prefix="reading"), today=date.today(),
    ), (422 if request.method == "POST" else 200)  # fmt: skip


@bp.post("/programs/<int:program_id>/benefits/<int:benefit_id>/readings")
def benefit_reading(program_id: int, benefit_id: int):
    program = get_program(program_id)
    benefit = benefit_service.get_benefit(program, benefit_id)
    form = forms.BenefitReadingForm(prefix="reading")
    if _posted(form, lambda d: benefit_service.add_reading_from(benefit, d)) is False:
        for field_errors in form.errors.values():
            for message in field_errors:
                flash(str(message), "error")
        for message in form.form_errors:
            flash(str(message), "error")
    return redirect(url_for("money.benefits", program_id=program.id))


@bp.get("/programs/<int:program_id>/money.xlsx")
def export_xlsx(program_id: int):
    program = get_program(program_id)
    from planner.interop import money_xlsx  # openpyxl: only when asked

    data = money_xlsx.workbook(program, date.today(), _xlsx_words())
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="money-{program.id}.xlsx"'},
    )


def _xlsx_words() -> dict[str, Any]:
    return {
        "program": _("Program"),
        "people": (_("People"), [_("Name"), _("Role"), _("Team"), _("Hours a week"),
                                 _("Hourly rate"), _("Currency")]),
        "effort": (_("Effort"), [_("Person"), _("Item"), _("Week"), _("Hours"), _("Note")]),
        "costs": (_("Costs"), [_("Date"), _("Kind"), _("Category"), _("Item"), _("Amount"),
                               _("Currency"), _("Note")]),
        "budget": (_("Budget"), [_("Phase or workstream"), _("Budget"), _("Planned"),
                                 _("Actual"), _("Forecast at completion"), "PV", "EV", "AC",
                                 "SPI", "CPI", "EAC"]),
        "benefits": (_("Benefits"), [_("Key"), _("Benefit"), _("Baseline"), _("Target"),
                                     _("Latest"), _("Value a year at target"),
                                     _("Expected to date"), _("Realised to date")]),
        "assignments": (_("Assignments"), [_("Person"), _("Item"), _("Name"),
                                           _("Planned hours"), _("Start"), _("Finish"),
                                           _("Percent complete")]),
        "workload": (_("Workload"), [_("Person"), _("Team"), _("Week"), _("Hours"),
                                     _("Capacity (hours)"), _("Hours are"),
                                     _("Over capacity")]),
        "logged": _("logged"),
        "planned": _("planned"),
        "over": _("over capacity"),
        "lang": content_lang(),
        "roi": {
            "title": _("ROI and NPV"),
            "currency": _("Currency"),
            "discount_rate": _("Discount rate (a year)"),
            "horizon": _("Horizon (months)"),
            "total_benefit": _("Benefits over the horizon"),
            "total_cost": _("Planned cost over the horizon"),
            "payback": _("Payback (months)"),
            "expected": _("Expected to date"),
            "realised": _("Realised to date"),
            "sensitivity": _("NPV: discount rate × benefits"),
        },
    }  # fmt: skip
