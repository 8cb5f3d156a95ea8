"""Pages of the metrics area (URLs under /programs/<id>/...)."""

from __future__ import annotations

from datetime import date
from functools import partial
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
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from planner.charts.metrics import PhaseBand, trend_figure
from planner.domain.errors import ImportFormatError, ValidationError
from planner.domain.explain import Explanation
from planner.domain.ids import as_id
from planner.domain.metrics import (
    MetricDef,
    MetricStatus,
    StatusRule,
    format_number,
    glide_points,
    target_for,
    target_steps,
    value_range,
)
from planner.explain_text import format_value, problem_pairs, renderer
from planner.extensions import db
from planner.forms.metrics import (
    ImportForm,
    MetricForm,
    ReadingForm,
    SettingsForm,
    choices,
    metric_form_class,
)
from planner.i18n import format_day, localized
from planner.interop import readings as readings_io
from planner.models.metric import Metric, MetricReading
from planner.models.program import Program
from planner.services import metrics as service
from planner.services.concurrency import StaleEditError
from planner.services.programs import get_program
from planner.web.form_errors import apply_errors, loose_errors, save_or_refuse

bp = Blueprint("metrics", __name__)


def display_value(value: float, unit: str) -> str:
    """A value for a page: its unit, and at most two decimals, as the reader's locale writes
    them."""
    return format_value(round(value, 2), unit)


def _labels() -> dict[str, str]:
    return {
        "readings": _("Readings"),
        "target": _("Target"),
        "forecast": _("Forecast to the gate"),
        "glide": _("Glide path"),
        "baseline": _("Baseline"),
        "today": _("Today"),
        "gate": _("Gate"),
        "value": _("Value"),
        "date": _("Date"),
    }


def _phase_label(phase: Any) -> str:
    if phase.kind == "diagnosis":
        return _("Diagnosis")
    return _("Phase %(n)d", n=phase.ordinal)


# --------------------------------------------------------------------------- list


@bp.get("/programs/<int:program_id>/metrics")
def index(program_id: int) -> ResponseReturnValue:
    program = get_program(program_id)
    return _render_index(program, SettingsForm(formdata=None), ImportForm(formdata=None))


def _render_index(
    program: Program,
    settings_form: SettingsForm,
    import_form: ImportForm,
    status: int = 200,
    import_errors: list[tuple[str, str]] | None = None,
    stale: StaleEditError | None = None,
):
    today = date.today()
    rows = service.metric_rows(program, today)
    settings = service.settings_for(program)
    if not settings_form.is_submitted():
        settings_form.amber_tolerance.data = float(format_number(settings.amber_tolerance * 100))
        settings_form.schedule_tolerance_days.data = settings.schedule_tolerance_days
        settings_form.version.data = settings.version or ""
    import_form.metric.choices = choices(
        [("", _("— from the file's Metric column —"))]
        + [(str(r.metric.id), localized(r.metric, "name")) for r in rows]
    )
    return (
        render_template(
            "metrics/index.html",
            program=program,
            rows=rows,
            settings=settings,
            settings_form=settings_form,
            import_form=import_form,
            import_errors=import_errors or [],
            stale=stale,
            today=today,
            format_value=display_value,
            phase_names={p.ordinal: _phase_label(p) for p in program.phases},
            explain=renderer(),
        ),
        status,
    )


@bp.post("/programs/<int:program_id>/metrics/settings")
def settings(program_id: int) -> ResponseReturnValue:
    program = get_program(program_id)
    form = SettingsForm()
    if form.validate_on_submit():
        status, stale = save_or_refuse(
            form,
            lambda: service.update_settings(
                program,
                form.amber_tolerance.data / 100.0,
                form.schedule_tolerance_days.data,
                form.version.data,
            ),
        )
        if status == 200:
            flash(_("Status rules saved."), "success")
            return redirect(url_for("metrics.index", program_id=program.id))
        if stale is not None:
            return _render_index(program, form, ImportForm(formdata=None), 409, stale=stale)
        for message in loose_errors(form):
            flash(message, "error")
    return _render_index(program, form, ImportForm(formdata=None), 422)


# --------------------------------------------------------------------------- one metric


def _metric_form_data(form: MetricForm, metric: Metric) -> None:
    for name in (
        "key",
        "name",
        "name_zh",
        "unit",
        "direction",
        "baseline",
        "owner",
        "data_source",
        "description",
        "description_zh",
    ):
        getattr(form, name).data = getattr(metric, name)
    form.amber_tolerance.data = (
        None if metric.amber_tolerance is None else metric.amber_tolerance * 100
    )
    form.glide.data = (metric.glide or "linear").split()[0]
    targets = {t.phase_ordinal: t.target for t in metric.targets}
    for ordinal, name in form.target_fields:
        getattr(form, name).data = targets.get(ordinal)
    form.version.data = metric.version


def _metric_input(form: MetricForm) -> service.MetricInput:
    tolerance = form.amber_tolerance.data
    return service.MetricInput(
        key=form.key.data or "",
        name=form.name.data or "",
        name_zh=form.name_zh.data,
        unit=form.unit.data or "",
        direction=form.direction.data or "",
        baseline=form.baseline.data,
        owner=form.owner.data,
        data_source=form.data_source.data,
        description=form.description.data,
        description_zh=form.description_zh.data,
        amber_tolerance=None if tolerance is None else tolerance / 100.0,
        targets=form.targets(),
        # a form posted without the field (an older page, a script) leaves the path as it is
        glide=(form.glide.data or "linear") if "glide" in request.form else None,
    )


@bp.route("/programs/<int:program_id>/metrics/new", methods=["GET", "POST"])
def new(program_id: int) -> ResponseReturnValue:
    program = get_program(program_id)
    form = metric_form_class(program.phases)()
    if request.method == "GET":
        form.direction.data = "higher"
        form.unit.data = "%"
    loose: list[str] = []
    if form.validate_on_submit():
        try:
            metric = service.save_metric(program, _metric_input(form))
            db.session.commit()
        except ValidationError as exc:
            db.session.rollback()
            loose = apply_errors(form, exc)
        else:
            flash(_("Metric “%(name)s” added.", name=metric.name), "success")
            return redirect(url_for("metrics.detail", program_id=program.id, metric_id=metric.id))
    status = 200 if request.method == "GET" else 422
    return render_template(
        "metrics/form.html", program=program, form=form, metric=None, loose=loose
    ), status


@bp.route("/programs/<int:program_id>/metrics/<int:metric_id>/edit", methods=["GET", "POST"])
def edit(program_id: int, metric_id: int) -> ResponseReturnValue:
    program = get_program(program_id)
    metric = service.get_metric(program, metric_id)
    form = metric_form_class(program.phases)()
    if request.method == "GET":
        _metric_form_data(form, metric)
    status, loose, stale = (422 if request.method == "POST" else 200), [], None
    if form.validate_on_submit():
        status, stale = save_or_refuse(
            form,
            lambda: service.save_metric(program, _metric_input(form), metric, form.version.data),
        )
        loose = loose_errors(form)
        if status == 200:
            flash(_("Metric “%(name)s” saved.", name=metric.name), "success")
            return redirect(url_for("metrics.detail", program_id=program.id, metric_id=metric.id))
    if stale is not None:
        metric = service.get_metric(program, metric_id)
    return render_template(
        "metrics/form.html",
        program=program,
        form=form,
        metric=metric,
        loose=loose,
        stale=stale,
        current=_current_metric_values(metric) if stale else None,
    ), status


def _current_metric_values(metric: Metric) -> dict[str, str]:
    values = {
        "key": metric.key,
        "name": metric.name,
        "name_zh": metric.name_zh or "",
        "unit": metric.unit,
        "direction": metric.direction,
        "baseline": "" if metric.baseline is None else format_number(metric.baseline),
        "owner": metric.owner or "",
        "data_source": metric.data_source or "",
        "amber_tolerance": ""
        if metric.amber_tolerance is None
        else format_number(metric.amber_tolerance * 100),
        "glide": (metric.glide or "linear").split()[0],
    }
    for target in metric.targets:
        values[f"target_{target.phase_ordinal}"] = format_number(target.target)
    return values


@bp.get("/programs/<int:program_id>/metrics/<int:metric_id>")
def detail(program_id: int, metric_id: int) -> ResponseReturnValue:
    program = get_program(program_id)
    metric = service.get_metric(program, metric_id)
    form = ReadingForm(formdata=None)
    form.day.data = date.today()
    return _render_detail(program, metric, form)


def _trend(
    program: Program, metric: Metric, definition: MetricDef, judged: MetricStatus, today: date
) -> dict[str, Any]:
    """The metric's trend chart: readings, the targets' steps and glide path, the forecast."""
    spans = service.phase_spans(program)
    bands = [
        PhaseBand(p.ordinal, _phase_label(p), p.window_start, p.window_end, p.is_diagnosis)
        for p in program.phases
    ]
    low, high = judged.forecast_low, judged.forecast_high
    return trend_figure(
        readings=service.readings_of(metric),
        target_steps=target_steps(definition, spans),
        phases=bands,
        unit=metric.unit,
        today=today,
        forecast=judged.forecast,
        baseline=metric.baseline,
        percentage=definition.is_percentage,
        labels=_labels(),
        day_text=format_day,
        glide_path=glide_points(definition, spans),
        forecast_band=(low, high) if low is not None and high is not None else None,
        value_bounds=value_range(definition),
    )


def _rule_text(rule: StatusRule, definition: MetricDef, judged: MetricStatus) -> Explanation | None:
    """The band around the glide path on the latest reading's date (what the status compares
    with), else around the gate target; None without a target."""
    if judged.target is None:
        return None
    return rule.describe(
        definition, judged.path_value if judged.path_value is not None else judged.target
    )


def _detail_import_form(metric: Metric, import_form: ImportForm | None) -> ImportForm:
    """The import form of the detail page: it imports into this metric only."""
    if import_form is None:
        import_form = ImportForm(formdata=None)
    import_form.metric.choices = choices([(str(metric.id), localized(metric, "name"))])
    import_form.metric.data = str(metric.id)
    return import_form


def _render_detail(
    program: Program,
    metric: Metric,
    reading_form: ReadingForm,
    status: int = 200,
    import_form: ImportForm | None = None,
    import_errors: list[tuple[str, str]] | None = None,
    loose: list[str] | None = None,
) -> ResponseReturnValue:
    today = date.today()
    settings = service.settings_for(program)
    definition = service.metric_def(metric)
    rule = service.rule_for(metric, settings)
    judged = service.judge(program, metric, today, settings)
    page = render_template(
        "metrics/detail.html",
        program=program,
        metric=metric,
        definition=definition,
        judged=judged,
        rule=rule,
        rule_text=_rule_text(rule, definition, judged),
        explain=renderer(),
        figure=_trend(program, metric, definition, judged, today),
        targets=[
            (phase, target_for(definition, phase.ordinal), phase.ordinal in definition.targets)
            for phase in program.phases
        ],
        readings=list(reversed(metric.readings)),
        reading_form=reading_form,
        import_form=_detail_import_form(metric, import_form),
        import_errors=import_errors or [],
        loose=loose or [],
        settings=settings,
        today=today,
        format_value=display_value,
        format_number=format_number,
        phase_label=_phase_label,
        phase_names={p.ordinal: _phase_label(p) for p in program.phases},
    )
    return page, status


# --------------------------------------------------------------------------- readings


@bp.post("/programs/<int:program_id>/metrics/<int:metric_id>/readings")
def add_reading(program_id: int, metric_id: int) -> ResponseReturnValue:
    program = get_program(program_id)
    metric = service.get_metric(program, metric_id)
    form = ReadingForm()
    loose: list[str] = []
    if form.validate_on_submit():
        try:
            reading = service.add_reading(
                program, metric, form.day.data, form.value.data, form.note.data or ""
            )
            db.session.commit()
        except ValidationError as exc:
            db.session.rollback()
            loose = apply_errors(form, exc, _READING_FIELDS)
            metric = service.get_metric(program, metric_id)
        else:
            flash(
                _(
                    "Reading of %(value)s on %(day)s added.",
                    value=display_value(reading.value, metric.unit),
                    day=format_day(reading.day),
                ),
                "success",
            )
            return redirect(url_for("metrics.detail", program_id=program.id, metric_id=metric.id))
    return _render_detail(program, metric, form, 422, loose=loose)


#: the domain's error paths on the reading form's fields
_READING_FIELDS = {"date": "day"}


@bp.route(
    "/programs/<int:program_id>/metrics/<int:metric_id>/readings/<int:reading_id>/edit",
    methods=["GET", "POST"],
)
def edit_reading(program_id: int, metric_id: int, reading_id: int) -> ResponseReturnValue:
    program = get_program(program_id)
    metric = service.get_metric(program, metric_id)
    reading = service.get_reading(metric, reading_id)
    form = _reading_form(reading)
    status, loose, stale = (422 if request.method == "POST" else 200), [], None
    if form.validate_on_submit():
        save = partial(_update_reading, program, metric, reading, form)
        status, stale = save_or_refuse(form, save, _READING_FIELDS)
        loose = loose_errors(form)
        if status == 200:
            flash(_("Reading saved."), "success")
            return redirect(url_for("metrics.detail", program_id=program.id, metric_id=metric.id))
    if status != 200:  # read again: the page shows what is stored now
        metric = service.get_metric(program, metric_id)
        reading = service.get_reading(metric, reading_id)
    return render_template(
        "metrics/reading_form.html",
        program=program,
        metric=metric,
        reading=reading,
        form=form,
        loose=loose,
        stale=stale,
        format_number=format_number,
    ), status


def _update_reading(
    program: Program, metric: Metric, reading: MetricReading, form: ReadingForm
) -> None:
    service.update_reading(
        program,
        metric,
        reading,
        form.day.data,
        form.value.data,
        form.note.data or "",
        form.version.data,
    )


def _reading_form(reading: MetricReading) -> ReadingForm:
    """The reading form: the stored reading on a GET, the posted one otherwise."""
    form = ReadingForm()
    if request.method == "GET":
        form.day.data = reading.day
        form.value.data = format_number(reading.value)
        form.note.data = reading.note
        form.version.data = reading.version
    return form


@bp.post("/programs/<int:program_id>/metrics/<int:metric_id>/readings/<int:reading_id>/delete")
def delete_reading(program_id: int, metric_id: int, reading_id: int) -> ResponseReturnValue:
    program = get_program(program_id)
    metric = service.get_metric(program, metric_id)
    reading = service.get_reading(metric, reading_id)
    day = reading.day
    service.delete_reading(metric, reading)
    db.session.commit()
    flash(_("Reading of %(day)s deleted.", day=format_day(day)), "success")
    return redirect(url_for("metrics.detail", program_id=program.id, metric_id=metric.id))


# --------------------------------------------------------------------------- import, export


@bp.post("/programs/<int:program_id>/metrics/import")
def import_readings(program_id: int) -> ResponseReturnValue:
    program = get_program(program_id)
    form = ImportForm()
    metric: Metric | None = None
    if form.metric.data:
        metric_id = as_id(form.metric.data)
        if metric_id is None:
            abort(404)  # no such metric (the URL's own ids answer the same)
        metric = service.get_metric(program, metric_id)
    errors: list[tuple[str, str]] = []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            table = readings_io.read(upload.read(), upload.filename or "")
            count = service.import_readings(program, table, metric)
            db.session.commit()
        except (ImportFormatError, ValidationError) as exc:
            db.session.rollback()
            errors = problem_pairs(exc)
        else:
            flash(_("%(n)d readings imported.", n=count), "success")
            if metric is not None:
                return redirect(
                    url_for("metrics.detail", program_id=program.id, metric_id=metric.id)
                )
            return redirect(url_for("metrics.index", program_id=program.id))
    return _refused_import(program, metric, form, errors)


def _refused_import(
    program: Program, metric: Metric | None, form: ImportForm, errors: list[tuple[str, str]]
):
    """The page the refused import came from (the metric's, else the list) with why."""
    if metric is not None:
        metric = service.get_metric(program, metric.id)
        reading_form = ReadingForm(formdata=None)
        reading_form.day.data = date.today()
        return _render_detail(program, metric, reading_form, 422, form, errors)
    return _render_index(program, SettingsForm(formdata=None), form, 422, import_errors=errors)


@bp.get("/programs/<int:program_id>/metrics/readings.csv")
def export_readings(program_id: int) -> ResponseReturnValue:
    program = get_program(program_id)
    body = readings_io.write_csv(
        (m.key, r.day, r.value, r.note) for m, r in service.all_readings(program)
    )
    filename = f"program-{program.id}-readings.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
