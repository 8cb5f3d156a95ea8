"""Interview pages of an assessment: add, edit, delete, and scoring one category at a time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from planner.domain import maturity as m
from planner.domain.errors import ValidationError
from planner.extensions import db
from planner.forms.assessment import (
    InterviewForm,
    VersionForm,
    parse_scores,
    score_field,
)
from planner.forms.choices import choices
from planner.i18n import content_lang
from planner.models.assessment import Assessment, Interview
from planner.models.program import Program
from planner.services import assessment as service
from planner.services.concurrency import StaleEditError
from planner.web.assessment.common import ONE, bp, load_assessment, stale_message
from planner.web.form_errors import save_or_refuse, show_on_form

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
    program, assessment = load_assessment(program_id, assessment_id)
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
            return redirect(_after_interview(program, assessment, interview))
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
    program, assessment = load_assessment(program_id, assessment_id)
    interview = service.get_interview(assessment, interview_id)
    view = service.model_for(assessment, content_lang())
    form = _interview_form(assessment, view, obj=interview if request.method == "GET" else None)
    if request.method == "GET":
        form.categories.data = interview.category_keys
    status, conflict = (422 if request.method == "POST" else 200), None
    if form.validate_on_submit():
        status, stale = save_or_refuse(
            form,
            lambda: service.update_interview(interview, form.version.data, _interview_data(form)),
        )
        conflict = str(stale) if stale else None
        if status == 200:
            flash(_("Interview saved."), "success")
            return redirect(
                url_for("assessment.show", program_id=program.id, assessment_id=assessment.id)
            )
    return render_template(
        "assessment/interview_form.html",
        program=program,
        assessment=assessment,
        form=form,
        interview=interview,
        conflict=conflict,
        categories={c.key: c.name for c in view.categories},
    ), status


def _after_interview(program: Program, assessment: Assessment, interview: Interview) -> str:
    """Scoring the new interview when asked ("then score"), else the assessment."""
    if request.form.get("then") == "score":
        return url_for(
            "assessment.score_start",
            program_id=program.id,
            assessment_id=assessment.id,
            interview_id=interview.id,
        )
    return url_for("assessment.show", program_id=program.id, assessment_id=assessment.id)


@bp.post(ONE + "/interviews/<int:interview_id>/delete")
def interview_delete(program_id: int, assessment_id: int, interview_id: int):
    program, assessment = load_assessment(program_id, assessment_id)
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
    program, assessment = load_assessment(program_id, assessment_id)
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


@dataclass
class _Scoring:
    """One category's scoring form: the choices shown, their problems, a conflict."""

    chosen: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    conflict: str | None = None
    theirs: dict[str, int | None] = field(default_factory=dict)
    status: int = 200
    saved: int | None = None  # how many scores changed, once saved


@bp.route(ONE + "/interviews/<int:interview_id>/score/<category>", methods=["GET", "POST"])
def score(program_id: int, assessment_id: int, interview_id: int, category: str):
    program, assessment = load_assessment(program_id, assessment_id)
    interview = service.get_interview(assessment, interview_id)
    view = service.model_for(assessment, content_lang())
    this = view.category(category)
    keys = [i.key for i in this.indicators]
    next_category = _next_category(view, interview, category)
    form = VersionForm()
    stored = service.stored_scores(interview)
    scoring = _Scoring({k: ("" if stored.get(k) is None else str(stored[k])) for k in keys})
    if request.method == "GET":
        form.version.data = str(interview.version)
    elif form.validate_on_submit():
        _submit_scores(interview, form, keys, scoring)
        if scoring.saved is not None:
            saved = _("%(category)s: %(n)d score(s) saved.", category=this.name, n=scoring.saved)
            flash(saved, "success")
            return redirect(_after_scoring(program, assessment, interview, category, next_category))
    else:
        scoring.status = 400
    page = _ScorePage(program, assessment, interview, view, this, next_category)
    return _render_score(page, form, stored, scoring)


def _next_category(view: service.ModelView, interview: Interview, category: str) -> str | None:
    """The category after ``category`` among those the interview covers (all when none)."""
    order = [c.key for c in view.categories]
    covered = [k for k in order if interview.covers(k)] or order
    later = [k for k in covered if order.index(k) > order.index(category)]
    return later[0] if later else None


def _submit_scores(
    interview: Interview, form: VersionForm, keys: list[str], scoring: _Scoring
) -> None:
    """Check and save the posted scores of one category (committed), or say why not."""
    parsed = parse_scores(request.form, keys)
    scoring.chosen.update(parsed.raw)
    scoring.errors = parsed.errors
    if scoring.errors:
        scoring.status = 422
        return
    try:
        changed = service.save_scores(interview, form.version.data, parsed.scores)
        db.session.commit()
    except StaleEditError as exc:
        db.session.rollback()
        scoring.conflict = stale_message(form, exc)
        scoring.theirs = service.stored_scores(interview)
        scoring.status = 409
    except ValidationError as exc:
        db.session.rollback()
        scoring.errors = {path.split(".")[-1]: msg for path, msg in exc.errors}
        scoring.status = 422
    else:
        scoring.saved = changed


def _after_scoring(
    program: Program,
    assessment: Assessment,
    interview: Interview,
    category: str,
    next_category: str | None,
) -> str:
    """Where a saved category goes: on "save and next" the next category (the assessment
    after the last one), else the same category again."""
    if request.form.get("action") == "next":
        if not next_category:
            return url_for("assessment.show", program_id=program.id, assessment_id=assessment.id)
        category = next_category
    return url_for(
        "assessment.score",
        program_id=program.id,
        assessment_id=assessment.id,
        interview_id=interview.id,
        category=category,
    )


@dataclass(frozen=True)
class _ScorePage:
    program: Program
    assessment: Assessment
    interview: Interview
    view: service.ModelView
    category: m.Category
    next_category: str | None


def _render_score(
    page: _ScorePage, form: VersionForm, stored: dict[str, int | None], scoring: _Scoring
):
    counts = {
        c.key: sum(1 for i in c.indicators if stored.get(i.key) is not None)
        for c in page.view.categories
    }
    return render_template(
        "assessment/score.html",
        program=page.program,
        assessment=page.assessment,
        interview=page.interview,
        interviews=service.sorted_interviews(page.assessment),
        view=page.view,
        category=page.category,
        chosen=scoring.chosen,
        errors=scoring.errors,
        conflict=scoring.conflict,
        theirs=scoring.theirs,
        counts=counts,
        next_category=page.next_category,
        form=form,
        score_field=score_field,
    ), scoring.status
