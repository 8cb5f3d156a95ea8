"""Site administration: users."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from planner.domain.errors import ValidationError
from planner.explain_text import problem_pairs
from planner.extensions import db
from planner.forms.auth import NewUserForm
from planner.services import users as user_service
from planner.web.form_errors import show_on_form
from planner.web.history import shown_actor, shown_value

bp = Blueprint("admin", __name__)

# the audit trail names an account's columns; the Users page shows them in the reader's words
ACCOUNT_FIELDS = {
    "email": _l("E-mail"),
    "name": _l("Name"),
    "active": _l("Active"),
    "is_admin": _l("Administrator"),
    "is_consultant": _l("Consultant"),
}


@bp.route("/admin/users", methods=["GET", "POST"])
def users():
    form = NewUserForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit() and _create_user(form):
            db.session.commit()
            flash(_("User created."), "success")
            return redirect(url_for("admin.users"))
        status = 422
    return render_template(
        "admin/users.html",
        users=user_service.list_users(),
        form=form,
        changes=user_service.account_changes(),
        field_names=ACCOUNT_FIELDS,
        shown_value=shown_value,
        shown_actor=shown_actor,
    ), status


def _create_user(form: NewUserForm) -> bool:
    """Create the form's user (not committed); False with the refusal on the form."""
    try:
        user_service.create_user(
            form.email.data,
            form.password.data,
            name=form.name.data or "",
            is_admin=form.is_admin.data,
            is_consultant=form.is_consultant.data,
        )
    except ValidationError as exc:
        db.session.rollback()
        show_on_form(form, exc, fallback="email")
        return False
    return True


@bp.post("/admin/users/<int:user_id>")
def user_update(user_id: int):
    user = user_service.get_user(user_id)
    try:
        user_service.update_account(
            current_user,
            user,
            active=request.form.get("active") == "1",
            is_admin=request.form.get("is_admin") == "1",
            is_consultant=request.form.get("is_consultant") == "1",
        )
    except ValidationError as exc:
        db.session.rollback()
        for _field, message in problem_pairs(exc):
            flash(message, "error")
        return redirect(url_for("admin.users"))
    db.session.commit()
    flash(_("User %(email)s updated.", email=user.email), "success")
    return redirect(url_for("admin.users"))


@bp.post("/admin/users/<int:user_id>/sign-out")
def user_sign_out(user_id: int):
    """End every session of the account (a lost laptop, a shared computer)."""
    user = user_service.get_user(user_id)
    user_service.end_sessions(user)
    db.session.commit()
    if user.id == current_user.id:
        return redirect(url_for("auth.login"))
    flash(_("Every session of %(email)s has ended.", email=user.email), "success")
    return redirect(url_for("admin.users"))
