"""Pages of the adoption area: the team × module matrix, the usage-log import with its
column mapping, teams and regions with the user → team lookup, training sessions, and a
metric's readings and targets per cell."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from planner.domain.errors import PlannerError
from planner.domain.ids import as_id
from planner.domain.usage_log import PRESETS, ColumnMapping
from planner.explain_text import join_list, problem_pairs
from planner.extensions import db
from planner.forms.adoption import (
    AttendanceForm,
    CellReadingForm,
    CellTargetForm,
    LookupForm,
    MappingForm,
    TrainingForm,
    ValueForm,
)
from planner.i18n import content_lang, format_day, localized
from planner.models import Program
from planner.services import adoption as service
from planner.services import metrics as metric_service
from planner.services import training as training_service
from planner.services import usage_import
from planner.services.programs import get_program
from planner.web.form_errors import show_on_form
from planner.web.metrics import display_value

bp = Blueprint("adoption", __name__)
BASE = "/programs/<int:program_id>/adoption"
#: a usage log may be far larger than any other upload (a million rows is ~70 MB)
USAGE_MAX_BYTES = 512 * 1024 * 1024


@bp.url_value_preprocessor
def _allow_large_usage_files(endpoint: str | None, _values: Any) -> None:
    # runs before every before_request hook (the CSRF check reads the form there)
    if endpoint == "adoption.usage":
        request.max_content_length = USAGE_MAX_BYTES


@bp.app_template_global("adoption_card")
def adoption_card(program: Program) -> service.MatrixView | None:
    """The dashboard card's matrix (lazy: computed only where a page asks for it)."""
    return service.matrix_view(program, content_lang())


@bp.app_template_global("adoption_join")
def adoption_join(names: list[str]) -> str:
    """Names joined as the reader's language lists them."""
    return join_list(names)


@bp.app_template_global("is_trainers_item")
def is_trainers_item(program: Program, key: str) -> bool:
    """Whether a plan item is the playbook's "train the trainers" item."""
    model = service.adoption_model(program)
    return bool(model and model.train_the_trainers == key)


@bp.get(BASE)
def matrix(program_id: int):
    program = get_program(program_id)
    view = service.matrix_view(program, content_lang())
    return render_template(
        "adoption/matrix.html", program=program, view=view, imports=usage_import.imports(program)
    )


# --------------------------------------------------------------------------- usage import


def _mapping_form(program: Program) -> MappingForm:
    form = MappingForm()
    form.preset.choices = [(key, _preset_label(key)) for key in PRESETS]
    if request.method == "GET":
        saved = usage_import.saved_mapping(program)
        preset = request.args.get("preset") or (saved.preset if saved else "generic")
        use_saved = saved is not None and not request.args.get("preset")
        mapping = usage_import.mapping_of(saved if use_saved else None, preset)
        form.preset.data = preset if preset in PRESETS else "generic"
        form.user_column.data, form.date_column.data = mapping.user, mapping.date
        form.object_column.data, form.action_column.data = mapping.object, mapping.action
        form.date_order.data = mapping.date_order
        form.login_actions.data = ", ".join(mapping.login_actions)
        form.version.data = str(saved.version) if saved else ""
    return form


def _preset_label(key: str) -> str:
    return {
        "generic": _("Generic (user, date, object, action)"),
        "salesforce-login": _("Salesforce login history (CSV)"),
        "salesforce-events": _("Salesforce event log files (CSV)"),
        "dynamics-audit": _("Dynamics 365 audit history export"),
    }[key]


def _submitted_mapping(form: MappingForm) -> ColumnMapping:
    logins = tuple(a.strip() for a in (form.login_actions.data or "").split(",") if a.strip())
    return ColumnMapping(
        form.user_column.data or "",
        form.date_column.data or "",
        form.object_column.data or "",
        form.action_column.data or "",
        form.date_order.data,
        logins,
    )


@bp.route(BASE + "/import", methods=["GET", "POST"])
def usage(program_id: int):
    program = get_program(program_id)
    form = _mapping_form(program)
    errors: list[tuple[str, str]] = []
    if form.validate_on_submit():
        try:
            result = _save_and_import(program, form)
        except PlannerError as exc:
            db.session.rollback()
            show_on_form(form, exc)
            errors = [("", "")] + problem_pairs(exc) if form.file.data else []
        else:
            return redirect(
                url_for("adoption.matrix" if result else "adoption.usage", program_id=program.id)
            )
    status = 422 if request.method == "POST" else 200
    page = render_template(
        "adoption/import.html",
        program=program,
        form=form,
        errors=[e for e in errors if e[1]],
        imports=usage_import.imports(program),
        presets=PRESETS,
        preset_label=_preset_label,
    )
    return page, status


def _save_and_import(program: Program, form: MappingForm) -> bool:
    """Save the mapping; import the file if one came. True when a file was imported."""
    mapping = _submitted_mapping(form)
    usage_import.save_mapping(program, form.preset.data, mapping, form.version.data)
    upload = form.file.data
    if not upload or not getattr(upload, "filename", ""):
        db.session.commit()
        flash(_("Column mapping saved."), "success")
        return False
    result = usage_import.import_usage(
        program, upload.stream, upload.filename or "", mapping, form.preset.data
    )
    db.session.commit()
    _flash_result(result)
    return True


def _flash_result(result: usage_import.UsageResult) -> None:
    if result.duplicate:
        flash(_("This file was imported before: nothing was added."), "info")
        return
    flash(
        _(
            "%(rows)s rows imported: %(users)s users, %(weeks)s weeks (%(first)s to %(last)s).",
            rows=result.rows,
            users=result.users,
            weeks=result.weeks,
            first=format_day(result.first),
            last=format_day(result.last),
        ),
        "success",
    )
    if result.unmapped:
        names = ", ".join(result.unmapped)
        flash(_("Users not in the team lookup were left out: %(names)s", names=names), "warning")


# --------------------------------------------------------------------------- teams


@bp.route(BASE + "/teams", methods=["GET", "POST"])
def teams(program_id: int):
    program = get_program(program_id)
    form, lookup = ValueForm(prefix="value"), LookupForm(prefix="lookup")
    editing = service.get_value(program, as_id(form.value_id.data or request.args.get("edit")))
    if request.method == "GET" and editing is not None:
        form.value_id.data, form.version.data = str(editing.id), str(editing.version)
        form.kind.data, form.key.data, form.label.data = editing.kind, editing.key, editing.label
        form.label_zh.data, form.users.data = editing.label_zh or "", editing.users
    if request.method == "POST" and form.validate_on_submit():
        try:
            service.save_value(
                program,
                form.kind.data or "team",
                form.key.data or "",
                form.label.data or "",
                form.label_zh.data or "",
                form.users.data,
                editing,
                form.version.data,
            )
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("adoption.teams", program_id=program.id))
        except PlannerError as exc:
            db.session.rollback()
            show_on_form(form, exc)
    return _teams_page(program, form, lookup, 422 if request.method == "POST" else 200)


@bp.post(BASE + "/teams/<int:value_id>/delete")
def value_delete(program_id: int, value_id: int) -> Response:
    program = get_program(program_id)
    service.delete_value(program, value_id, request.form.get("version"))
    db.session.commit()
    flash(_("Deleted: its users are no longer mapped; its past readings are kept."), "success")
    return redirect(url_for("adoption.teams", program_id=program.id))  # type: ignore[return-value]  # a redirect is a Response, the view also renders text


@bp.post(BASE + "/teams/lookup")
def lookup(program_id: int):
    program = get_program(program_id)
    form = LookupForm(prefix="lookup")
    if form.validate_on_submit():
        rows = [_three(line) for line in (form.lines.data or "").splitlines()]
        try:
            count = service.replace_user_teams(program, rows)
            db.session.commit()
            flash(_("%(n)s users mapped to teams.", n=count), "success")
            return redirect(url_for("adoption.teams", program_id=program.id))
        except PlannerError as exc:
            db.session.rollback()
            show_on_form(form, exc)
    return _teams_page(program, ValueForm(prefix="value", formdata=None), form, 422)


def _three(line: str) -> tuple[str, str, str]:
    """``user, team, region`` from a line (commas or tabs; the region may be left out)."""
    parts = [p.strip() for p in line.replace("\t", ",").split(",")] + ["", ""]
    return parts[0], parts[1], parts[2]


def _teams_page(program: Program, form: ValueForm, lookup_form: LookupForm, status: int) -> Any:
    if not lookup_form.lines.data:
        rows = service.user_team_rows(program)
        lookup_form.lines.data = "\n".join(", ".join(r).rstrip(", ") for r in rows)
    page = render_template(
        "adoption/teams.html",
        program=program,
        form=form,
        lookup_form=lookup_form,
        teams=service.values(program, "team"),
        regions=service.values(program, "region"),
        team_users=service.team_users(program),
    )
    return page, status


# --------------------------------------------------------------------------- training


@bp.route(BASE + "/training", methods=["GET", "POST"])
def training(program_id: int):
    program = get_program(program_id)
    form = _training_form(program)
    if form.validate_on_submit():
        try:
            training_service.add_session(program, _session_input(form))
            db.session.commit()
            flash(_("Training session added."), "success")
            return redirect(url_for("adoption.training", program_id=program.id))
        except PlannerError as exc:
            db.session.rollback()
            show_on_form(form, exc)
    return _training_page(program, form, 422 if request.method == "POST" else 200)


def _training_form(program: Program) -> TrainingForm:
    lang = content_lang()
    form = TrainingForm()
    form.team.choices = list(service.labels(program, "team", lang).items())
    form.module.choices = [("", _("All modules"))] + training_service.module_choices(program, lang)
    return form


def _session_input(form: TrainingForm) -> training_service.SessionInput:
    return training_service.SessionInput(
        form.team.data or "",
        form.module.data or "",
        form.held_on.data,
        form.title.data or "",
        form.trainer.data or "",
        form.invited.data or 0,
        form.attended.data or 0,
    )


def _training_page(
    program: Program, form: TrainingForm, status: int, attendance: AttendanceForm | None = None
) -> Any:
    lang = content_lang()
    page = render_template(
        "adoption/training.html",
        program=program,
        form=form,
        sessions=training_service.sessions(program),
        table=training_service.completion_table(program),
        team_labels=service.labels(program, "team", lang),
        modules=training_service.module_choices(program, lang),
        trainers_item=training_service.trainers_item(program, lang),
        attendance_form=attendance or AttendanceForm(prefix="att", formdata=None),
    )
    return page, status


@bp.post(BASE + "/training/import")
def training_import(program_id: int):
    program = get_program(program_id)
    form = AttendanceForm(prefix="att")
    if form.validate_on_submit():
        try:
            count = training_service.import_sessions(program, (form.lines.data or "").splitlines())
            db.session.commit()
            flash(_("%(n)s training sessions imported.", n=count), "success")
            return redirect(url_for("adoption.training", program_id=program.id))
        except PlannerError as exc:
            db.session.rollback()
            show_on_form(form, exc)
    return _training_page(program, _training_form(program), 422, form)


@bp.post(BASE + "/training/<int:session_id>/delete")
def training_delete(program_id: int, session_id: int) -> Response:
    program = get_program(program_id)
    training_service.delete_session(program, session_id)
    db.session.commit()
    flash(_("Training session deleted."), "success")
    return redirect(url_for("adoption.training", program_id=program.id))  # type: ignore[return-value]  # a redirect is a Response, the view also renders text


# --------------------------------------------------------------------------- cells of a metric


@bp.route(BASE + "/metrics/<int:metric_id>/cells", methods=["GET", "POST"])
def cells(program_id: int, metric_id: int):
    program = get_program(program_id)
    metric = metric_service.get_metric(program, metric_id)
    reading, target = _cell_forms(program)
    form = reading if "r-day" in request.form else target
    if request.method == "POST" and form.validate_on_submit():
        try:
            _save_cell(program, metric, form)
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("adoption.cells", program_id=program.id, metric_id=metric.id))
        except PlannerError as exc:
            db.session.rollback()
            show_on_form(form, exc)
    page = render_template(
        "adoption/cells.html",
        program=program,
        metric=metric,
        reading_form=reading,
        target_form=target,
        rows=service.cell_rows(program, metric),
        labels={k: service.labels(program, k, content_lang()) for k in ("team", "region")},
        format_value=display_value,
    )
    return page, 422 if request.method == "POST" else 200


def _cell_forms(program: Program) -> tuple[CellReadingForm, CellTargetForm]:
    lang = content_lang()
    every = [("", _("All"))]
    teams = every + list(service.labels(program, "team", lang).items())
    regions = every + list(service.labels(program, "region", lang).items())
    modules = every + training_service.module_choices(program, lang)
    reading, target = CellReadingForm(prefix="r"), CellTargetForm(prefix="t")
    for form in (reading, target):
        form.team.choices, form.region.choices, form.module.choices = teams, regions, modules
    target.phase.choices = [(p.ordinal, localized(p, "name")) for p in program.phases]
    if request.method == "GET":
        reading.day.data = date.today()
    return reading, target


def _save_cell(program: Program, metric: Any, form: Any) -> None:
    cell = (form.team.data or "", form.region.data or "", form.module.data or "")
    if isinstance(form, CellReadingForm):
        service.add_cell_reading(
            program, metric, form.day.data, cell, form.value.data, form.users.data or 0
        )
    else:
        service.check_cell(program, cell)
        service.set_cell_target(metric, cell, form.phase.data, form.target.data)
