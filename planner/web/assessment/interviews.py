"""Interview pages of an assessment: add, edit, delete, and scoring one category at a time."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

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
from planner.models.assessment import Assessment
from planner.services import assessment as service
from planner.services.concurrency import StaleEditError
from planner.web.assessment.common import ONE, bp, load_assessment, stale_message
from planner.web.form_errors import show_on_form

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
    program, assessment = load_assessment(program_id, assessment_id)
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
            conflict = stale_message(form, exc)
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


@bp.route(ONE + "/interviews/<int:interview_id>/score/<category>", methods=["GET", "POST"])
def score(program_id: int, assessment_id: int, interview_id: int, category: str):
    program, assessment = load_assessment(program_id, assessment_id)
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
                conflict = stale_message(form, exc)
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
