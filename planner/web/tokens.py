"""Personal API tokens: create one (shown once) and revoke those no longer needed."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from planner.domain.errors import ValidationError
from planner.extensions import db
from planner.forms.tokens import NewTokenForm
from planner.services import api_tokens
from planner.web.form_errors import show_on_form

bp = Blueprint("tokens", __name__)


@bp.route("/account/tokens", methods=["GET", "POST"])
def index():
    form = NewTokenForm()
    new_token = None
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                row, new_token = api_tokens.create_token(current_user, form.name.data)
            except ValidationError as exc:
                db.session.rollback()
                show_on_form(form, exc)
                status = 422
            else:
                db.session.commit()
                form = NewTokenForm(formdata=None)
                # the page is not redirected: this response is the only time the token shows
                status = 201
        else:
            status = 422
    response = render_template(
        "tokens/index.html",
        form=form,
        tokens=api_tokens.tokens_of(current_user),
        new_token=new_token,
    )
    headers = {"Cache-Control": "no-store"}
    return response, status, headers


@bp.post("/account/tokens/<int:token_id>/revoke")
def revoke(token_id: int):
    row = api_tokens.revoke_token(current_user, token_id)
    db.session.commit()
    flash(_("Token “%(name)s” revoked: it no longer opens the API.", name=row.name), "success")
    return redirect(url_for("tokens.index"))
