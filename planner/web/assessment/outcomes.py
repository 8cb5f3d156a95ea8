"""An assessment's settings and results, its report and workbook, and two compared."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from planner.charts import assessment as charts
from planner.domain.errors import NotFoundError, ValidationError
from planner.extensions import db
from planner.forms.assessment import (
    ParsedSetting,
    VersionForm,
    parse_settings,
    setting_field,
)
from planner.i18n import content_lang
from planner.models.assessment import Assessment
from planner.models.program import Program
from planner.services import assessment as service
from planner.services.concurrency import StaleEditError
from planner.services.programs import get_program
from planner.web.assessment.common import (
    BASE,
    ONE,
    bp,
    drilldown_figure,
    load_assessment,
    radar_figure,
    results_or_message,
    stale_message,
)

# --------------------------------------------------------------------------- settings


@bp.route(ONE + "/settings", methods=["GET", "POST"])
def settings(program_id: int, assessment_id: int):
    program, assessment = load_assessment(program_id, assessment_id)
    view = service.model_for(assessment, content_lang())
    rows = {s.key: s for s in assessment.indicators}
    form = VersionForm()
    raw: dict[str, dict[str, str]] = {}
    errors: dict[str, dict[str, str]] = {}
    conflict = None
    status = 200
    if request.method == "GET":
        form.version.data = str(assessment.version)
    elif form.validate_on_submit():
        parsed = parse_settings(request.form, list(rows))
        raw, errors = parsed.raw, parsed.errors
        if not errors:
            changed, conflict = _save_settings(assessment, form, parsed.values, errors)
            if changed is not None:
                flash(_("Settings saved: %(n)d value(s) changed.", n=changed), "success")
                here = url_for(
                    "assessment.settings", program_id=program.id, assessment_id=assessment.id
                )
                return redirect(here)
        status = 409 if conflict else 422
    else:
        status = 400
    page = {"program": program, "assessment": assessment, "view": view, "rows": rows}
    return _render_settings(page, form, raw, errors, conflict), status


def _render_settings(
    page: dict[str, Any],
    form: VersionForm,
    raw: dict[str, dict[str, str]],
    errors: dict[str, dict[str, str]],
    conflict: str | None,
) -> str:
    return render_template(
        "assessment/settings.html",
        **page,
        raw=raw,
        errors=errors,
        conflict=conflict,
        form=form,
        setting_field=setting_field,
    )


def _save_settings(
    assessment: Assessment,
    form: VersionForm,
    parsed: dict[str, ParsedSetting],
    errors: dict[str, dict[str, str]],
) -> tuple[int | None, str | None]:
    """Save the parsed settings (committed): how many values changed, or None with the
    conflict's words (an edit made meanwhile) or the refusals added to ``errors``."""
    values = {
        key: service.IndicatorSetting(
            weight=s.weight if s.weight is not None else 0.0,
            critical=s.critical,
            target=s.target,
            benchmark=s.benchmark,
            competitor=s.competitor,
        )
        for key, s in parsed.items()
    }
    try:
        changed = service.save_settings(assessment, form.version.data, values)
        db.session.commit()
    except StaleEditError as exc:
        db.session.rollback()
        return None, stale_message(form, exc)
    except ValidationError as exc:
        db.session.rollback()
        for path, message in exc.errors:
            key, _dot, line = path.rpartition(".")
            errors.setdefault(key, {})[line] = message
        return None, None
    return changed, None


# --------------------------------------------------------------------------- results


@bp.get(ONE + "/results")
def results(program_id: int, assessment_id: int):
    program, assessment = load_assessment(program_id, assessment_id)
    res, message = results_or_message(assessment)
    radar = drill = None
    selected = None
    if res is not None and res.has_scores:
        radar = radar_figure(res)
        keys = [c.key for c in res.model.categories]
        selected = request.args.get("category") or min(
            keys, key=lambda k: (res.categories[k] is None, res.categories[k] or 0)
        )
        if selected not in keys:
            raise NotFoundError("no such category in this assessment")
        drill = drilldown_figure(res, selected)
    return render_template(
        "assessment/results.html",
        program=program,
        assessment=assessment,
        res=res,
        message=message,
        radar=radar,
        drill=drill,
        selected=selected,
    )


# --------------------------------------------------------------------------- report, export


@bp.get(ONE + "/report")
def report(program_id: int, assessment_id: int):
    program, assessment = load_assessment(program_id, assessment_id)
    res, message = results_or_message(assessment)
    radar = radar_figure(res, height=400) if res is not None and res.has_scores else None
    if radar is not None:
        radar["layout"]["width"] = 470  # a fixed size prints the same on every page size
        radar["layout"]["margin"] = {"l": 90, "r": 90, "t": 45, "b": 30}
        radar["layout"]["font"] = {"size": 10}
        radar["config"]["responsive"] = False
        radar["config"]["staticPlot"] = True
    recommendations = [a for a in assessment.actions if a.status == "accepted"] or [
        a for a in assessment.actions if a.status == "proposed"
    ]
    return render_template(
        "assessment/report.html",
        program=program,
        assessment=assessment,
        res=res,
        message=message,
        radar=radar,
        recommendations=recommendations,
        interviews=service.sorted_interviews(assessment),
        today=date.today(),
    )


@bp.get(ONE + "/export.xlsx")
def export(program_id: int, assessment_id: int):

    program, assessment = load_assessment(program_id, assessment_id)
    from planner.interop.assessment_xlsx import export_xlsx  # openpyxl: only when asked

    content = export_xlsx(assessment, content_lang())
    filename = f"assessment-{program.id}-{assessment.id}.xlsx"
    return Response(
        content,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# --------------------------------------------------------------------------- compare


@bp.get(BASE + "/compare")
def compare(program_id: int):
    program = get_program(program_id)
    assessments = service.list_assessments(program)
    ids = [a.id for a in assessments]
    before_id = request.args.get("before", type=int)
    after_id = request.args.get("after", type=int)
    if before_id is None and after_id is None and len(ids) >= 2:
        before_id, after_id = ids[-2], ids[-1]
    shown: _Compared = _Compared()
    if before_id is not None and after_id is not None:
        if before_id not in ids or after_id not in ids:
            raise NotFoundError("no such assessment in this program")
        shown = _compared(program, before_id, after_id)
    elif len(ids) < 2:
        shown = _Compared(message=_("Comparing needs two assessments of this program."))
    return render_template(
        "assessment/compare.html",
        program=program,
        assessments=assessments,
        before_id=before_id,
        after_id=after_id,
        comparison=shown.comparison,
        message=shown.message,
        radar=shown.radar,
    ), shown.status


@dataclass(frozen=True)
class _Compared:
    comparison: service.Comparison | None = None
    message: str | None = None
    radar: dict[str, Any] | None = None
    status: int = 200


def _compared(program: Program, before_id: int, after_id: int) -> _Compared:
    """Two assessments compared, with their categories on one radar; or why they cannot be
    (one without interviews)."""
    before = service.get_assessment(program, before_id)
    after = service.get_assessment(program, after_id)
    try:
        comparison = service.compare_assessments(before, after, content_lang())
    except ValidationError as exc:
        if not before.interviews or not after.interviews:
            title = before.title if not before.interviews else after.title
            message = _(
                "“%(title)s” has no interviews yet, so there is nothing to compare.",
                title=title,
            )
        else:
            message = str(exc)
        return _Compared(message=message, status=422)
    cats = comparison.view.categories
    radar = charts.comparison_radar(
        [c.name for c in cats],
        [comparison.before_results.categories[c.key] for c in cats],
        [comparison.after_results.categories[c.key] for c in cats],
        before_name=before.title,
        after_name=after.title,
        missing_label=_("not scored"),
    )
    return _Compared(comparison, None, radar)
