"""The printable interview guide of one interviewee: the covered indicators, the playbook's
questions for the interview's level, and the answers and notes kept with the score."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from planner.domain.errors import PlannerError
from planner.explain_text import problem_pairs
from planner.extensions import db
from planner.i18n import content_lang
from planner.services import assessment as assessment_service
from planner.services import question_bank as service
from planner.services.programs import get_program
from planner.web import assessment as assessment_pages
from planner.web.assessment import LEVEL_LABELS

bp = Blueprint("question_bank", __name__)
# the assessment's header (shared template) names stored codes with the assessment's labels
bp.context_processor(assessment_pages._labels)
GUIDE = (
    "/programs/<int:program_id>/assessment/<int:assessment_id>/interviews/<int:interview_id>/guide"
)


def _posted_answers() -> dict[str, tuple[str, str]]:
    """The answer and the note posted for each indicator, by key."""
    keys = [k.removeprefix("answer-") for k in request.form if k.startswith("answer-")]
    return {
        k: (request.form.get(f"answer-{k}", ""), request.form.get(f"note-{k}", "")) for k in keys
    }


@bp.route(GUIDE, methods=["GET", "POST"])
def guide(program_id: int, assessment_id: int, interview_id: int) -> ResponseReturnValue:
    program = get_program(program_id)
    assessment = assessment_service.get_assessment(program, assessment_id)
    interview = assessment_service.get_interview(assessment, interview_id)
    form = FlaskForm()
    errors: list[tuple[str, str]] = []
    if form.validate_on_submit():
        try:
            count = service.save_answers(program, interview, _posted_answers())
            db.session.commit()
            flash(_("Answers and notes saved (%(n)s indicators changed).", n=count), "success")
            return redirect(request.url)
        except PlannerError as exc:
            db.session.rollback()
            errors = problem_pairs(exc)
    page = render_template(
        "assessment/guide.html",
        program=program,
        assessment=assessment,
        interview=interview,
        sections=service.guide(program, interview, content_lang()),
        form=form,
        errors=errors,
        level=str(LEVEL_LABELS[interview.level]),
    )
    return page, 422 if errors else 200
