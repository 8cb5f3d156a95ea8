"""A program's members and its read-only share links (managed by the lead)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from planner.domain.errors import NotFoundError, Problem, ValidationError
from planner.extensions import db
from planner.forms.auth import MemberForm, ShareLinkForm
from planner.services import users as user_service
from planner.services.programs import get_program
from planner.web.form_errors import show_on_form

bp = Blueprint("members", __name__)


@bp.route("/programs/<int:program_id>/members", methods=["GET", "POST"])
def index(program_id: int):
    program = get_program(program_id)
    form = MemberForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                user_service.add_member(current_user, program, form.email.data, form.role.data)
            except ValidationError as exc:
                db.session.rollback()
                show_on_form(form, exc)
            else:
                db.session.commit()
                flash(_("Member saved."), "success")
                return redirect(url_for("members.index", program_id=program.id))
        status = 422
    return render_template(
        "members/index.html",
        program=program,
        members=user_service.members_of(program),
        addable=user_service.addable_people(current_user, program),
        form=form,
    ), status


@bp.post("/programs/<int:program_id>/members/<int:membership_id>")
def update(program_id: int, membership_id: int):
    program = get_program(program_id)
    members = {m.id: m for m in user_service.members_of(program)}
    membership = members.get(membership_id)
    if membership is None:
        raise NotFoundError(problems=[Problem("", "row.not_found")])
    try:
        user_service.set_membership(program, membership.user.email, request.form.get("role", ""))
    except ValidationError as exc:
        db.session.rollback()
        flash("; ".join(message for _f, message in exc.errors) or str(exc), "error")
    else:
        db.session.commit()
        flash(_("Role changed."), "success")
    return redirect(url_for("members.index", program_id=program.id))


@bp.post("/programs/<int:program_id>/members/<int:membership_id>/remove")
def remove(program_id: int, membership_id: int):
    program = get_program(program_id)
    try:
        user_service.remove_membership(program, membership_id)
    except ValidationError as exc:
        db.session.rollback()
        flash("; ".join(message for _f, message in exc.errors) or str(exc), "error")
    else:
        db.session.commit()
        flash(_("Member removed."), "success")
    return redirect(url_for("members.index", program_id=program.id))


@bp.route("/programs/<int:program_id>/share-links", methods=["GET", "POST"])
def share_links(program_id: int):
    program = get_program(program_id)
    form = ShareLinkForm()
    new_url = None
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            link, token = user_service.create_share_link(
                program, current_user.email, form.days.data, form.label.data or ""
            )
            db.session.commit()
            new_url = url_for("share.open", token=token, _external=True)
            flash(_("Share link created. Copy it now: it is shown only once."), "success")
        else:
            status = 422
    return render_template(
        "members/share_links.html",
        program=program,
        links=user_service.share_links_of(program),
        form=form,
        new_url=new_url,
    ), status


@bp.post("/programs/<int:program_id>/share-links/<int:link_id>/revoke")
def revoke_link(program_id: int, link_id: int):
    program = get_program(program_id)
    user_service.revoke_share_link(program, link_id)
    db.session.commit()
    flash(_("Share link revoked."), "success")
    return redirect(url_for("members.share_links", program_id=program.id))
