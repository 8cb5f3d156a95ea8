"""Sign in, sign out, change password."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from planner import sessions
from planner.domain.errors import ValidationError
from planner.extensions import db, limiter
from planner.forms.auth import ChangePasswordForm, LoginForm
from planner.models import User
from planner.services import users as user_service
from planner.web.form_errors import show_on_form
from planner.web.redirects import local_path, safe_next

bp = Blueprint("auth", __name__)

DEMO_ACCOUNTS = (
    ("lead@demo.example", "lead"),
    ("member@demo.example", "member"),
    ("steering@demo.example", "steering"),
    ("viewer@demo.example", "viewer"),
    ("admin@demo.example", "admin"),
    ("consultant@demo.example", "consultant"),
)
DEMO_PASSWORD = "demo-password"


def _address_limit() -> str:
    return str(current_app.config.get("PLANNER_SIGNIN_LIMIT", "10 per minute"))


def _account_limit() -> str:
    return str(current_app.config.get("PLANNER_SIGNIN_ACCOUNT_LIMIT", "10 per 15 minutes"))


def _account_key() -> str:
    """The account a sign-in tries, however the address is spelled."""
    return "account:" + user_service.normalise_email(request.form.get("email", ""))[:254]


def _failed(response: Response) -> bool:
    return response.status_code == 401


def _sign_in(user: User) -> None:
    """A fresh session for the user: nothing from before the sign-in (fixation) and a new
    CSRF token; only the language chosen on the sign-in page carries over."""
    chosen_lang = session.get("lang")
    session.clear()
    if chosen_lang:
        session["lang"] = chosen_lang
    login_user(user)
    sessions.start(user)
    if user.lang:
        session["lang"] = user.lang
    db.session.commit()


@bp.route("/login", methods=["GET", "POST"])
# per client address (behind a proxy: the client's, see PLANNER_PROXY_COUNT) every attempt;
# per account only the failed ones, from any address: spreading guesses over many
# addresses does not help, and the owner's own sign-ins never count
@limiter.limit(_address_limit, methods=["POST"])
@limiter.limit(_account_limit, methods=["POST"], key_func=_account_key, deduct_when=_failed)
def login() -> ResponseReturnValue:
    form = LoginForm()
    if request.method == "GET":
        form.next.data = local_path(request.args.get("next")) or ""
    if form.validate_on_submit():
        user = user_service.authenticate(form.email.data, form.password.data)
        if user is not None:
            _sign_in(user)
            return redirect(safe_next(form.next.data))
        current_app.logger.warning(
            "failed sign-in for %r from %s", form.email.data[:254], request.remote_addr
        )
        form.password.errors.append(_("Invalid e-mail or password."))
    status = 200 if request.method == "GET" else 401
    demo = DEMO_ACCOUNTS if current_app.config.get("DEMO_MODE") else ()
    return render_template(
        "auth/login.html", form=form, demo_accounts=demo, demo_password=DEMO_PASSWORD
    ), status


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    if current_user.is_authenticated:
        # a copy of this session's cookie must not outlive the sign-out: end them all
        user_service.end_sessions(current_user)
        db.session.commit()
    logout_user()
    sessions.forget()
    session.pop("lang", None)
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            user_service.change_password(
                current_user, form.current_password.data, form.new_password.data
            )
        except ValidationError as exc:
            db.session.rollback()
            show_on_form(form, exc)
        else:
            db.session.commit()
            # other sessions ended with the old password; this one goes on
            sessions.start(current_user)
            flash(_("Your password was changed."), "success")
            return redirect(url_for("programs.index"))
    status = 200 if request.method == "GET" else 422
    return render_template("auth/password.html", form=form), status
