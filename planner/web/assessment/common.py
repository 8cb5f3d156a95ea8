"""The assessment area's blueprint, the labels of its stored codes, and the helpers its pages
share (loading, form data, results and their charts)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from planner.charts import assessment as charts
from planner.domain.errors import ValidationError
from planner.forms.assessment import (
    AssessmentForm,
)
from planner.forms.choices import choices
from planner.i18n import content_lang
from planner.models.assessment import Assessment
from planner.models.program import Program
from planner.services import assessment as service
from planner.services.concurrency import StaleEditError
from planner.services.programs import get_program

bp = Blueprint("assessment", __name__)

BASE = "/programs/<int:program_id>/assessment"
ONE = BASE + "/<int:assessment_id>"


LEVEL_LABELS = {"senior": _l("Senior"), "middle": _l("Middle"), "front_line": _l("Front line")}
KIND_LABELS = {"diagnosis": _l("Diagnosis"), "reassessment": _l("Re-assessment")}
STATUS_LABELS = {
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "completed": _l("Completed"),
}
HORIZON_LABELS = {"tactical": _l("Tactical"), "strategic": _l("Strategic")}
ACTION_STATUS_LABELS = {
    "proposed": _l("Proposed"),
    "accepted": _l("Accepted"),
    "dropped": _l("Dropped"),
}


def _label(labels: dict, value: str) -> str:
    return str(labels.get(value, value))


@bp.context_processor
def _labels() -> dict[str, object]:
    """Translated names of the stored codes, for this blueprint's templates."""
    return {
        "level_label": lambda v: _label(LEVEL_LABELS, v),
        "kind_label": lambda v: _label(KIND_LABELS, v),
        "status_label": lambda v: _label(STATUS_LABELS, v),
        "horizon_label": lambda v: _label(HORIZON_LABELS, v),
        "action_status_label": lambda v: _label(ACTION_STATUS_LABELS, v),
        "level_weights_text": lambda weights: ", ".join(
            f"{_label(LEVEL_LABELS, level)} {weight:g}" for level, weight in weights.items()
        ),
    }


# --------------------------------------------------------------------------- helpers


def load_assessment(program_id: int, assessment_id: int) -> tuple[Program, Assessment]:
    program = get_program(program_id)
    return program, service.get_assessment(program, assessment_id)


def phase_labels(program: Program) -> list[tuple[int, str]]:
    from planner.i18n import localized

    labels = []
    for phase in program.phases:
        if phase.is_diagnosis:
            label = _("Diagnosis") + f" — {localized(phase, 'name')}"
        else:
            label = _("Phase %(n)d", n=phase.ordinal) + f" — {localized(phase, 'name')}"
        labels.append((phase.ordinal, label))
    return labels


def phase_choices(program: Program) -> list[Any]:
    return choices(phase_labels(program))


def stale_message(form, exc: StaleEditError) -> str:
    """Keep the user's input; let a deliberate second submit win; return the message."""
    form.version.data = str(exc.current_version)
    return str(exc)


def assessment_data(form: AssessmentForm) -> service.AssessmentData:
    return service.AssessmentData(
        title=form.title.data or "",
        kind=form.kind.data,
        phase_ordinal=form.phase_ordinal.data,
        started_on=form.started_on.data,
        status=form.status.data,
        completed_on=form.completed_on.data,
        notes=form.notes.data or "",
    )


def no_interviews_message() -> str:
    return _(
        "This assessment has no interviews yet: record at least one interview and its scores "
        "to see results."
    )


def results_or_message(
    assessment: Assessment,
) -> tuple[service.Results | None, str | None]:
    """The results, or the message that explains why there are none."""
    if not assessment.interviews:
        return None, no_interviews_message()
    try:
        results = service.assessment_results(assessment, content_lang())
    except ValidationError as exc:
        return None, str(exc)
    if not results.has_scores:
        return results, _(
            "No scores are recorded yet: score the interviews to see the maturity level."
        )
    return results, None


def category_series(results: service.Results) -> tuple[list[str], list[charts.Series]]:
    keys = [c.key for c in results.model.categories]
    axes = [c.name for c in results.model.categories]
    series = [
        charts.Series(_("Current"), [results.categories[k] for k in keys], "current"),
        charts.Series(_("Target"), [results.target_categories[k] for k in keys], "target"),
        charts.Series(_("Benchmark"), [results.benchmark_categories[k] for k in keys], "benchmark"),
    ]
    if results.has_competitor:
        series.append(
            charts.Series(
                _("Competitor"), [results.competitor_categories[k] for k in keys], "competitor"
            )
        )
    return axes, series


def radar_figure(results: service.Results, height: int = 460) -> dict:
    axes, series = category_series(results)
    return charts.radar(axes, series, height=height, missing_label=_("not scored"))


def drilldown_figure(results: service.Results, category_key: str) -> dict:
    category = results.view.category(category_key)
    keys = [i.key for i in category.indicators]
    lines = [
        charts.Series(_("Target"), [results.target[k] for k in keys], "target"),
        charts.Series(_("Benchmark"), [results.benchmark[k] for k in keys], "benchmark"),
    ]
    if results.has_competitor:
        lines.append(
            charts.Series(_("Competitor"), [results.competitor[k] for k in keys], "competitor")
        )
    return charts.drilldown_bar(
        [f"{i.key} {i.name}" for i in category.indicators],
        [results.current[k] for k in keys],
        lines,
        current_name=_("Current"),
        missing_label=_("— not scored"),
    )
