"""Pages of the assessment area (URLs under /programs/<id>/...): the CMM-E maturity
assessment — interviews and scoring, settings, results, action plan, report, export, compare."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from planner.charts import assessment as charts
from planner.domain.errors import NotFoundError, ValidationError
from planner.extensions import db
from planner.forms.assessment import (
    ActionForm,
    ActionStatusForm,
    AssessmentForm,
    InterviewForm,
    StartAssessmentForm,
    ToPlanForm,
    VersionForm,
    parse_scores,
    parse_settings,
    score_field,
    setting_field,
)
from planner.forms.choices import choices
from planner.i18n import content_lang, format_day
from planner.interop.assessment_xlsx import export_xlsx
from planner.models.assessment import Assessment
from planner.models.program import Program
from planner.services import assessment as service
from planner.services.concurrency import StaleEditError
from planner.services.programs import get_program
from planner.web.form_errors import show_on_form

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


def _load(program_id: int, assessment_id: int) -> tuple[Program, Assessment]:
    program = get_program(program_id)
    return program, service.get_assessment(program, assessment_id)


def _phase_labels(program: Program) -> list[tuple[int, str]]:
    from planner.i18n import localized

    labels = []
    for phase in program.phases:
        if phase.is_diagnosis:
            label = _("Diagnosis") + f" — {localized(phase, 'name')}"
        else:
            label = _("Phase %(n)d", n=phase.ordinal) + f" — {localized(phase, 'name')}"
        labels.append((phase.ordinal, label))
    return labels


def _phase_choices(program: Program) -> list[Any]:
    return choices(_phase_labels(program))


def _stale(form, exc: StaleEditError) -> str:
    """Keep the user's input; let a deliberate second submit win; return the message."""
    form.version.data = str(exc.current_version)
    return str(exc)


def _assessment_data(form: AssessmentForm) -> service.AssessmentData:
    return service.AssessmentData(
        title=form.title.data or "",
        kind=form.kind.data,
        phase_ordinal=form.phase_ordinal.data,
        started_on=form.started_on.data,
        status=form.status.data,
        completed_on=form.completed_on.data,
        notes=form.notes.data or "",
    )


def _no_interviews_message() -> str:
    return _(
        "This assessment has no interviews yet: record at least one interview and its scores "
        "to see results."
    )


def _results_or_message(
    assessment: Assessment,
) -> tuple[service.Results | None, str | None]:
    """The results, or the message that explains why there are none."""
    if not assessment.interviews:
        return None, _no_interviews_message()
    try:
        results = service.assessment_results(assessment, content_lang())
    except ValidationError as exc:
        return None, str(exc)
    if not results.has_scores:
        return results, _(
            "No scores are recorded yet: score the interviews to see the maturity level."
        )
    return results, None


def _category_series(results: service.Results) -> tuple[list[str], list[charts.Series]]:
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


def _radar(results: service.Results, height: int = 460) -> dict:
    axes, series = _category_series(results)
    return charts.radar(axes, series, height=height, missing_label=_("not scored"))


def _drilldown(results: service.Results, category_key: str) -> dict:
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


# --------------------------------------------------------------------------- list, start


@bp.get(BASE)
def index(program_id: int):
    program = get_program(program_id)
    assessments = service.list_assessments(program, full=True)
    summaries = {}
    for a in assessments:
        if a.interviews:
            summaries[a.id], _message = _results_or_message(a)
    return render_template(
        "assessment/index.html",
        program=program,
        assessments=assessments,
        summaries=summaries,
        phases=dict(_phase_labels(program)),
    )


@bp.route(BASE + "/new", methods=["GET", "POST"])
def new(program_id: int):
    program = get_program(program_id)
    previous = service.list_assessments(program)
    form = StartAssessmentForm()
    form.phase_ordinal.choices = _phase_choices(program)
    form.copy_from.choices = choices(
        [(0, _("— none: the playbook's weights —"))]
        + [(a.id, f"{a.title} ({format_day(a.started_on)})") for a in previous]
    )
    if request.method == "GET":
        form.started_on.data = date.today()
        if previous:
            form.kind.data = "reassessment"
            form.copy_from.data = previous[-1].id
            form.title.data = _("Re-assessment")
            later = [o for o, _label in _phase_labels(program) if o > 0]
            form.phase_ordinal.data = later[0] if later else 0
        else:
            form.kind.data = "diagnosis"
            form.title.data = _("CRM maturity diagnosis")
            form.phase_ordinal.data = 0
    problem = None
    try:
        service.playbook_maturity(program)
    except ValidationError as exc:
        problem = str(exc)
    if form.validate_on_submit() and problem is None:
        copy_from = None
        if form.copy_from.data:
            copy_from = next((a for a in previous if a.id == form.copy_from.data), None)
        try:
            assessment = service.start_assessment(
                program,
                service.AssessmentData(
                    title=form.title.data,
                    kind=form.kind.data,
                    phase_ordinal=form.phase_ordinal.data,
                    started_on=form.started_on.data,
                ),
                copy_settings_from=copy_from,
            )
            db.session.commit()
        except ValidationError as exc:
            db.session.rollback()
            show_on_form(form, exc)
        else:
            flash(_("Assessment “%(title)s” started.", title=assessment.title), "success")
            return redirect(
                url_for("assessment.show", program_id=program.id, assessment_id=assessment.id)
            )
    status = 200 if request.method == "GET" and problem is None else 422
    return render_template(
        "assessment/new.html", program=program, form=form, problem=problem
    ), status


# --------------------------------------------------------------------------- one assessment


@bp.get(ONE)
def show(program_id: int, assessment_id: int):
    program, assessment = _load(program_id, assessment_id)
    view = service.model_for(assessment, content_lang())
    scored: dict[int, dict[str, int]] = {}
    for iv in assessment.interviews:
        per_category: dict[str, int] = {}
        keys_with_score = {s.indicator_key for s in iv.scores if s.score is not None}
        for category in view.categories:
            per_category[category.key] = sum(
                1 for i in category.indicators if i.key in keys_with_score
            )
        scored[iv.id] = per_category
    return render_template(
        "assessment/show.html",
        program=program,
        assessment=assessment,
        view=view,
        interviews=service.sorted_interviews(assessment),
        scored=scored,
        phases=dict(_phase_labels(program)),
        delete_form=VersionForm(),
    )


@bp.route(ONE + "/edit", methods=["GET", "POST"])
def edit(program_id: int, assessment_id: int):
    program, assessment = _load(program_id, assessment_id)
    form = AssessmentForm(obj=assessment if request.method == "GET" else None)
    form.phase_ordinal.choices = _phase_choices(program)
    conflict = None
    status = 200
    if form.validate_on_submit():
        try:
            service.update_assessment(assessment, form.version.data, _assessment_data(form))
            db.session.commit()
        except StaleEditError as exc:
            db.session.rollback()
            conflict = _stale(form, exc)
            status = 409
        except ValidationError as exc:
            db.session.rollback()
            show_on_form(form, exc)
            status = 422
        else:
            flash(_("Assessment saved."), "success")
            return redirect(
                url_for("assessment.show", program_id=program.id, assessment_id=assessment.id)
            )
    elif request.method == "POST":
        status = 422
    return render_template(
        "assessment/edit.html",
        program=program,
        assessment=assessment,
        form=form,
        conflict=conflict,
        phases=dict(_phase_labels(program)),
    ), status


@bp.post(ONE + "/delete")
def delete(program_id: int, assessment_id: int):
    program, assessment = _load(program_id, assessment_id)
    form = VersionForm()
    try:
        service.delete_assessment(assessment, form.version.data)
        db.session.commit()
    except StaleEditError as exc:
        db.session.rollback()
        flash(str(exc), "warning")
        return redirect(
            url_for("assessment.show", program_id=program.id, assessment_id=assessment_id)
        )
    flash(_("Assessment deleted."), "success")
    return redirect(url_for("assessment.index", program_id=program.id))


# --------------------------------------------------------------------------- interviews


def _interview_form(assessment: Assessment, view: service.ModelView, obj=None) -> InterviewForm:
    form = InterviewForm(obj=obj)
    form.categories.choices = choices((c.key, c.name) for c in view.categories)
    return form


def _interview_data(form: InterviewForm) -> service.InterviewData:
    return service.InterviewData(
        level=form.level.data,
        interviewee=form.interviewee.data or "",
        role=form.role.data or "",
        held_on=form.held_on.data,
        duration_minutes=form.duration_minutes.data,
        categories=tuple(form.categories.data or ()),
        notes=form.notes.data or "",
    )


@bp.route(ONE + "/interviews/new", methods=["GET", "POST"])
def interview_new(program_id: int, assessment_id: int):
    program, assessment = _load(program_id, assessment_id)
    view = service.model_for(assessment, content_lang())
    form = _interview_form(assessment, view)
    if request.method == "GET":
        form.level.data = request.args.get("level", "senior")
        form.held_on.data = date.today()
    status = 200
    if form.validate_on_submit():
        try:
            interview = service.add_interview(assessment, _interview_data(form))
            db.session.commit()
        except ValidationError as exc:
            db.session.rollback()
            show_on_form(form, exc)
            status = 422
        else:
            flash(_("Interview with %(name)s saved.", name=interview.interviewee), "success")
            if request.form.get("then") == "score":
                return redirect(
                    url_for(
                        "assessment.score_start",
                        program_id=program.id,
                        assessment_id=assessment.id,
                        interview_id=interview.id,
                    )
                )
            return redirect(
                url_for("assessment.show", program_id=program.id, assessment_id=assessment.id)
            )
    elif request.method == "POST":
        status = 422
    return render_template(
        "assessment/interview_form.html",
        program=program,
        assessment=assessment,
        form=form,
        interview=None,
        conflict=None,
    ), status


@bp.route(ONE + "/interviews/<int:interview_id>/edit", methods=["GET", "POST"])
def interview_edit(program_id: int, assessment_id: int, interview_id: int):
    program, assessment = _load(program_id, assessment_id)
    interview = service.get_interview(assessment, interview_id)
    view = service.model_for(assessment, content_lang())
    form = _interview_form(assessment, view, obj=interview if request.method == "GET" else None)
    if request.method == "GET":
        form.categories.data = interview.category_keys
    conflict = None
    status = 200
    if form.validate_on_submit():
        try:
            service.update_interview(interview, form.version.data, _interview_data(form))
            db.session.commit()
        except StaleEditError as exc:
            db.session.rollback()
            conflict = _stale(form, exc)
            status = 409
        except ValidationError as exc:
            db.session.rollback()
            show_on_form(form, exc)
            status = 422
        else:
            flash(_("Interview saved."), "success")
            return redirect(
                url_for("assessment.show", program_id=program.id, assessment_id=assessment.id)
            )
    elif request.method == "POST":
        status = 422
    return render_template(
        "assessment/interview_form.html",
        program=program,
        assessment=assessment,
        form=form,
        interview=interview,
        conflict=conflict,
        categories={c.key: c.name for c in view.categories},
    ), status


@bp.post(ONE + "/interviews/<int:interview_id>/delete")
def interview_delete(program_id: int, assessment_id: int, interview_id: int):
    program, assessment = _load(program_id, assessment_id)
    interview = service.get_interview(assessment, interview_id)
    form = VersionForm()
    name = interview.interviewee
    try:
        service.delete_interview(interview, form.version.data)
        db.session.commit()
    except StaleEditError as exc:
        db.session.rollback()
        flash(str(exc), "warning")
    else:
        flash(_("Interview with %(name)s deleted.", name=name), "success")
    return redirect(url_for("assessment.show", program_id=program.id, assessment_id=assessment_id))


# --------------------------------------------------------------------------- scoring


@bp.get(ONE + "/interviews/<int:interview_id>/score")
def score_start(program_id: int, assessment_id: int, interview_id: int):
    program, assessment = _load(program_id, assessment_id)
    interview = service.get_interview(assessment, interview_id)
    view = service.model_for(assessment, content_lang())
    covered = [c.key for c in view.categories if interview.covers(c.key)] or [
        c.key for c in view.categories
    ]
    return redirect(
        url_for(
            "assessment.score",
            program_id=program.id,
            assessment_id=assessment.id,
            interview_id=interview.id,
            category=covered[0],
        )
    )


@bp.route(ONE + "/interviews/<int:interview_id>/score/<category>", methods=["GET", "POST"])
def score(program_id: int, assessment_id: int, interview_id: int, category: str):
    program, assessment = _load(program_id, assessment_id)
    interview = service.get_interview(assessment, interview_id)
    view = service.model_for(assessment, content_lang())
    this = view.category(category)
    keys = [i.key for i in this.indicators]
    order = [c.key for c in view.categories]
    covered = [k for k in order if interview.covers(k)] or order
    later = [k for k in covered if order.index(k) > order.index(category)]
    next_category = later[0] if later else None
    form = VersionForm()
    stored = service.stored_scores(interview)
    chosen: dict[str, str] = {k: ("" if stored.get(k) is None else str(stored[k])) for k in keys}
    errors: dict[str, str] = {}
    conflict = None
    theirs: dict[str, int | None] = {}
    status = 200
    if request.method == "GET":
        form.version.data = str(interview.version)
    elif form.validate_on_submit():
        parsed = parse_scores(request.form, keys)
        chosen.update(parsed.raw)
        errors = parsed.errors
        if errors:
            status = 422
        else:
            try:
                changed = service.save_scores(interview, form.version.data, parsed.scores)
                db.session.commit()
            except StaleEditError as exc:
                db.session.rollback()
                conflict = _stale(form, exc)
                theirs = service.stored_scores(interview)
                status = 409
            except ValidationError as exc:
                db.session.rollback()
                errors = {path.split(".")[-1]: msg for path, msg in exc.errors}
                status = 422
            else:
                flash(
                    _("%(category)s: %(n)d score(s) saved.", category=this.name, n=changed),
                    "success",
                )
                go_next = request.form.get("action") == "next" and next_category
                if go_next:
                    target = url_for(
                        "assessment.score",
                        program_id=program.id,
                        assessment_id=assessment.id,
                        interview_id=interview.id,
                        category=next_category,
                    )
                elif request.form.get("action") == "next":
                    target = url_for(
                        "assessment.show", program_id=program.id, assessment_id=assessment.id
                    )
                else:
                    target = url_for(
                        "assessment.score",
                        program_id=program.id,
                        assessment_id=assessment.id,
                        interview_id=interview.id,
                        category=category,
                    )
                return redirect(target)
    else:
        status = 400
    counts = {
        c.key: sum(1 for i in c.indicators if stored.get(i.key) is not None)
        for c in view.categories
    }
    interviews = service.sorted_interviews(assessment)
    return render_template(
        "assessment/score.html",
        program=program,
        assessment=assessment,
        interview=interview,
        interviews=interviews,
        view=view,
        category=this,
        chosen=chosen,
        errors=errors,
        conflict=conflict,
        theirs=theirs,
        counts=counts,
        next_category=next_category,
        form=form,
        score_field=score_field,
    ), status


# --------------------------------------------------------------------------- settings


@bp.route(ONE + "/settings", methods=["GET", "POST"])
def settings(program_id: int, assessment_id: int):
    program, assessment = _load(program_id, assessment_id)
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
        raw = parsed.raw
        errors = parsed.errors
        if not errors:
            values = {
                key: service.IndicatorSetting(
                    weight=s.weight if s.weight is not None else 0.0,
                    critical=s.critical,
                    target=s.target,
                    benchmark=s.benchmark,
                    competitor=s.competitor,
                )
                for key, s in parsed.values.items()
            }
            try:
                changed = service.save_settings(assessment, form.version.data, values)
                db.session.commit()
            except StaleEditError as exc:
                db.session.rollback()
                conflict = _stale(form, exc)
            except ValidationError as exc:
                db.session.rollback()
                for path, message in exc.errors:
                    key, _dot, line = path.rpartition(".")
                    errors.setdefault(key, {})[line] = message
            else:
                flash(_("Settings saved: %(n)d value(s) changed.", n=changed), "success")
                return redirect(
                    url_for(
                        "assessment.settings", program_id=program.id, assessment_id=assessment.id
                    )
                )
        status = 409 if conflict else 422
    else:
        status = 400
    return render_template(
        "assessment/settings.html",
        program=program,
        assessment=assessment,
        view=view,
        rows=rows,
        raw=raw,
        errors=errors,
        conflict=conflict,
        form=form,
        setting_field=setting_field,
    ), status


# --------------------------------------------------------------------------- results


@bp.get(ONE + "/results")
def results(program_id: int, assessment_id: int):
    program, assessment = _load(program_id, assessment_id)
    res, message = _results_or_message(assessment)
    radar = drill = None
    selected = None
    if res is not None and res.has_scores:
        radar = _radar(res)
        keys = [c.key for c in res.model.categories]
        selected = request.args.get("category") or min(
            keys, key=lambda k: (res.categories[k] is None, res.categories[k] or 0)
        )
        if selected not in keys:
            raise NotFoundError("no such category in this assessment")
        drill = _drilldown(res, selected)
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


# --------------------------------------------------------------------------- actions


def _actions_page(program, assessment, to_plan=None, status=200):
    res, message = _results_or_message(assessment)
    if to_plan is None:
        to_plan = ToPlanForm()
        to_plan.phase.choices = _phase_choices(program)
        first = [o for o, _label in _phase_labels(program) if o > 0]
        to_plan.phase.data = first[0] if first else 0
    pending = [a for a in assessment.actions if a.status == "accepted" and a.work_item_id is None]
    return render_template(
        "assessment/actions.html",
        program=program,
        assessment=assessment,
        res=res,
        message=message,
        view=service.model_for(assessment, content_lang()),
        to_plan=to_plan,
        pending=pending,
        status_form=ActionStatusForm(),
        propose_form=VersionForm(),
    ), status


@bp.get(ONE + "/actions")
def actions(program_id: int, assessment_id: int):
    program, assessment = _load(program_id, assessment_id)
    return _actions_page(program, assessment)


@bp.post(ONE + "/actions/propose")
def actions_propose(program_id: int, assessment_id: int):
    program, assessment = _load(program_id, assessment_id)
    form = VersionForm()
    if not form.validate_on_submit():
        return _actions_page(program, assessment, status=400)
    if not assessment.interviews:
        flash(_no_interviews_message(), "warning")
        return _actions_page(program, assessment, status=422)
    try:
        created = service.propose_actions(assessment)
        db.session.commit()
    except ValidationError as exc:
        db.session.rollback()
        flash(str(exc), "warning")
        return _actions_page(program, assessment, status=422)
    if created:
        flash(_("%(n)d action(s) proposed from the largest gaps.", n=len(created)), "success")
    else:
        flash(
            _(
                "No new proposal: no other indicator is below its target. "
                "Set targets in the settings to find gaps."
            ),
            "info",
        )
    return redirect(
        url_for("assessment.actions", program_id=program.id, assessment_id=assessment.id)
    )


@bp.route(ONE + "/actions/<int:action_id>/edit", methods=["GET", "POST"])
def action_edit(program_id: int, assessment_id: int, action_id: int):
    program, assessment = _load(program_id, assessment_id)
    action = service.get_action(assessment, action_id)
    form = ActionForm(obj=action if request.method == "GET" else None)
    conflict = None
    status = 200
    if form.validate_on_submit():
        try:
            service.update_action(
                action,
                form.version.data,
                service.ActionData(
                    title=form.title.data or "",
                    title_zh=form.title_zh.data,
                    horizon=form.horizon.data,
                    priority=form.priority.data,
                    status=form.status.data,
                ),
            )
            db.session.commit()
        except StaleEditError as exc:
            db.session.rollback()
            conflict = _stale(form, exc)
            status = 409
        except ValidationError as exc:
            db.session.rollback()
            show_on_form(form, exc)
            status = 422
        else:
            flash(_("Action saved."), "success")
            return redirect(
                url_for("assessment.actions", program_id=program.id, assessment_id=assessment.id)
            )
    elif request.method == "POST":
        status = 422
    view = service.model_for(assessment, content_lang())
    return render_template(
        "assessment/action_form.html",
        program=program,
        assessment=assessment,
        action=action,
        view=view,
        form=form,
        conflict=conflict,
    ), status


@bp.post(ONE + "/actions/<int:action_id>/status")
def action_status(program_id: int, assessment_id: int, action_id: int):
    program, assessment = _load(program_id, assessment_id)
    action = service.get_action(assessment, action_id)
    form = ActionStatusForm()
    back = url_for("assessment.actions", program_id=program.id, assessment_id=assessment.id)
    if not form.validate_on_submit():
        flash(_("Unknown action status."), "warning")
        return redirect(back)
    try:
        service.set_action_status(action, form.version.data, form.status.data)
        db.session.commit()
    except (StaleEditError, ValidationError) as exc:
        db.session.rollback()
        flash(str(exc), "warning")
    return redirect(back + f"#action-{action.id}")


@bp.post(ONE + "/actions/to-plan")
def actions_to_plan(program_id: int, assessment_id: int):
    program, assessment = _load(program_id, assessment_id)
    form = ToPlanForm()
    form.phase.choices = _phase_choices(program)
    if not form.validate_on_submit():
        return _actions_page(program, assessment, to_plan=form, status=422)
    try:
        items = service.add_accepted_to_plan(assessment, form.phase.data, content_lang())
        db.session.commit()
    except ValidationError as exc:
        db.session.rollback()
        form.phase.errors = [str(exc)]
        return _actions_page(program, assessment, to_plan=form, status=422)
    flash(
        _(
            "%(n)d work item(s) added to the plan: %(keys)s.",
            n=len(items),
            keys=", ".join(i.key for i in items),
        ),
        "success",
    )
    return redirect(
        url_for("assessment.actions", program_id=program.id, assessment_id=assessment.id)
    )


# --------------------------------------------------------------------------- report, export


@bp.get(ONE + "/report")
def report(program_id: int, assessment_id: int):
    program, assessment = _load(program_id, assessment_id)
    res, message = _results_or_message(assessment)
    radar = _radar(res, height=400) if res is not None and res.has_scores else None
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

    program, assessment = _load(program_id, assessment_id)
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
    comparison = None
    message = None
    radar = None
    status = 200
    if before_id is not None and after_id is not None:
        if before_id not in ids or after_id not in ids:
            raise NotFoundError("no such assessment in this program")
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
            status = 422
        else:
            cats = comparison.view.categories
            radar = charts.comparison_radar(
                [c.name for c in cats],
                [comparison.before_results.categories[c.key] for c in cats],
                [comparison.after_results.categories[c.key] for c in cats],
                before_name=before.title,
                after_name=after.title,
                missing_label=_("not scored"),
            )
    elif len(ids) < 2:
        message = _("Comparing needs two assessments of this program.")
    return render_template(
        "assessment/compare.html",
        program=program,
        assessments=assessments,
        before_id=before_id,
        after_id=after_id,
        comparison=comparison,
        message=message,
        radar=radar,
    ), status
