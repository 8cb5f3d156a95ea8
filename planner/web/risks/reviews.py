"""Steering reviews: the list with the exposure trend, one review, its snapshot and decisions."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from planner.charts.risks import exposure_trend_figure
from planner.domain.errors import ValidationError
from planner.extensions import db
from planner.forms.risks import (
    DecisionForm,
    ReviewForm,
    VersionForm,
)
from planner.i18n import content_lang, format_day
from planner.services import notify_events as notify_hooks
from planner.services import risks as service
from planner.services.concurrency import StaleEditError
from planner.services.programs import get_program
from planner.web.form_errors import show_on_form
from planner.web.risks.common import bp, stale_message, template_labels, today_date

# --------------------------------------------------------------------------- reviews


def _trend_figure(points: list[Any], info: Any) -> dict[str, Any]:
    return exposure_trend_figure(
        points,
        band_names=info.band_names,
        band_labels=info.band_labels,
        title=_("Exposure trend: open risks by residual band"),
        count_title=_("Open risks"),
        score_title=_("Total residual score"),
        total_name=_("Total residual score"),
    )


@bp.route("/programs/<int:program_id>/reviews", methods=["GET", "POST"])
def reviews(program_id: int):
    program = get_program(program_id)
    info = service.scale_for(program, content_lang())
    today = today_date()
    form = ReviewForm()
    status = 200
    if request.method == "GET":
        form.held_on.data = today
    elif form.validate_on_submit():
        try:
            review = service.open_review(program, form.data)
            db.session.commit()
        except ValidationError as exc:
            db.session.rollback()
            show_on_form(form, exc)
            status = 422
        else:
            flash(
                _("Steering review of %(day)s opened.", day=format_day(review.held_on)),
                "success",
            )
            return redirect(url_for("risks.review", program_id=program.id, review_id=review.id))
    else:
        status = 422
    return _render_reviews(program, info, form, today), status


def _render_reviews(program: Any, info: Any, form: ReviewForm, today: date) -> str:
    """The reviews with, for each, its open risks and their total residual score; the
    exposure trend across them."""
    listed = service.list_reviews(program.id)
    points = service.reviews_trend(program.id, listed, info, today)
    summaries = {}
    for review in listed:
        snaps = [service.entry_snapshot(e) for e in review.entries]
        live = [s for s in snaps if s.is_open]
        summaries[review.id] = {
            "open": len(live),
            "score": sum(s.residual_score for s in live),
        }
    return render_template(
        "risks/reviews.html",
        program=program,
        info=info,
        form=form,
        reviews=listed,
        summaries=summaries,
        points=points,
        trend=_trend_figure(points, info),
        today=today,
        **template_labels(),
    )


def _render_review(program: Any, review: Any, status: int = 200, message: str = ""):
    info = service.scale_for(program, content_lang())
    view = service.review_view(review, info)
    return render_template(
        "risks/review.html",
        program=program,
        review=review,
        view=view,
        info=info,
        trend=_trend_figure(view.trend, info),
        message=message,
        **template_labels(),
    ), status


@bp.get("/programs/<int:program_id>/reviews/<int:review_id>")
def review(program_id: int, review_id: int):
    program = get_program(program_id)
    return _render_review(program, service.get_review(program.id, review_id))


@bp.route("/programs/<int:program_id>/reviews/<int:review_id>/edit", methods=["GET", "POST"])
def edit_review(program_id: int, review_id: int):
    program = get_program(program_id)
    review_row = service.get_review(program.id, review_id)
    form = _review_form(review_row)
    status, stale = (422 if request.method == "POST" else 200), ""
    if request.method == "POST" and form.validate_on_submit():
        try:
            service.update_review(review_row, form.data, form.version.data)
            db.session.commit()
        except StaleEditError as exc:
            db.session.rollback()
            status, stale = 409, stale_message(exc)
            review_row = service.get_review(program.id, review_id)
            form.version.data = str(review_row.version)
        except ValidationError as exc:
            db.session.rollback()
            show_on_form(form, exc)
        else:
            flash(_("Review saved."), "success")
            return redirect(url_for("risks.review", program_id=program.id, review_id=review_row.id))
    return render_template(
        "risks/review_form.html",
        program=program,
        review=review_row,
        form=form,
        stale=stale,
        **template_labels(),
    ), status


def _review_form(review_row: Any) -> ReviewForm:
    """The review's form: its stored values on a GET, the posted ones otherwise."""
    if request.method == "GET":
        form = ReviewForm(obj=review_row)
        form.version.data = str(review_row.version)
    else:
        form = ReviewForm()
    form.submit.label.text = _("Save review")
    return form


@bp.post("/programs/<int:program_id>/reviews/<int:review_id>/snapshot")
def refresh_snapshot(program_id: int, review_id: int):
    program = get_program(program_id)
    review_row = service.get_review(program.id, review_id)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        service.refresh_snapshot(review_row, form.version.data)
        db.session.commit()
    except StaleEditError as exc:
        db.session.rollback()
        return _render_review(
            program, service.get_review(program.id, review_id), 409, stale_message(exc)
        )
    flash(_("The review now holds the register as it stands."), "success")
    return redirect(url_for("risks.review", program_id=program.id, review_id=review_row.id))


@bp.post("/programs/<int:program_id>/reviews/<int:review_id>/decisions")
def decide(program_id: int, review_id: int):
    program = get_program(program_id)
    review_row = service.get_review(program.id, review_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _render_review(program, review_row, 422, _("Choose a risk and a decision."))
    try:
        decision = service.record_decision(
            review_row, form.risk_id.data, form.decision.data, form.note.data, form.version.data
        )
        notify_hooks.review_decision_recorded(program.id, review_row, decision, current_user)
        db.session.commit()
    except (StaleEditError, ValidationError) as exc:
        db.session.rollback()
        review_row = service.get_review(program.id, review_id)
        if isinstance(exc, StaleEditError):
            return _render_review(program, review_row, 409, stale_message(exc))
        message = "; ".join(m for _p, m in exc.errors) or str(exc)
        return _render_review(program, review_row, 422, message)
    flash(_("Decision on %(key)s recorded.", key=decision.risk.key), "success")
    url = url_for("risks.review", program_id=program.id, review_id=review_row.id)
    return redirect(f"{url}#risk-{decision.risk.key}")
