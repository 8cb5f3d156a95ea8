"""The bell, the notifications page, a person's notification preferences (also reachable
without signing in through the digest's signed link) and a program's chat webhooks."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from planner.domain.errors import NotFoundError, ValidationError
from planner.domain.notify import CHANNELS, EVENTS, URGENCIES
from planner.explain_text import problem_pairs, word_problem
from planner.extensions import csrf, db
from planner.notify_text import (
    EVENT_LABELS,
    URGENCY_LABELS,
    event_label,
    program_label,
    reason,
)
from planner.services import notify as service
from planner.services import notify_prefs as prefs
from planner.services import webhooks as hooks
from planner.services.digest import user_from_token
from planner.services.programs import get_program
from planner.web.redirects import local_path, safe_next

bp = Blueprint("notify", __name__)


@bp.app_template_filter("delivery_error")
def delivery_error(stored: str) -> str:
    """Why a webhook delivery failed, in the reader's language (a text kept before the
    problems were coded is shown as it was written)."""
    problem = hooks.problem_of(stored) if stored else None
    return stored if problem is None else word_problem(problem)


@bp.app_template_global()
def unread_notifications() -> int:
    if not current_user.is_authenticated:
        return 0
    return service.unread_count(current_user.id)


@bp.app_template_global()
def urgency_label(urgency: str) -> str:
    return str(URGENCY_LABELS.get(urgency, urgency))


@bp.app_template_global()
def notification_reason(row) -> str:
    return reason(row.event, row.params)


@bp.app_template_global("event_label")
def event_label_global(event: str) -> str:
    return event_label(event)


def _kinds() -> dict[str, str]:
    return {
        "wecom": _("WeCom"),
        "dingtalk": _("DingTalk"),
        "slack": "Slack",
        "json": _("Generic JSON"),
    }


@bp.get("/notifications")
def index():
    unread_only = request.args.get("show") == "unread"
    rows = service.list_for(current_user.id, unread_only=unread_only)
    return render_template(
        "notify/index.html",
        rows=rows,
        unread_only=unread_only,
        unread=service.unread_count(current_user.id),
        program_label=program_label,
    )


@bp.get("/notifications/<int:notification_id>/open")
def open_one(notification_id: int):
    row = service.get_own(current_user.id, notification_id)
    if row is None:
        abort(404)
    service.mark_read(current_user.id, row.id)
    db.session.commit()
    return redirect(local_path(row.link) or url_for("notify.index"))


@bp.post("/notifications/read")
def mark():
    raw = request.form.get("id", "")
    target = int(raw) if raw.isdigit() else None
    if raw and target is None:
        abort(400)
    service.mark_read(current_user.id, target, read=request.form.get("read", "1") == "1")
    db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("notify.index")))


@bp.route("/notifications/preferences", methods=["GET", "POST"])
def preferences():
    if request.method == "POST":
        prefs.save_preferences(current_user.id, request.form)
        db.session.commit()
        flash(_("Notification settings saved."), "success")
        return redirect(url_for("notify.preferences"))
    return render_template(
        "notify/preferences.html",
        view=prefs.preferences_view(current_user.id),
        events=EVENTS,
        channels=CHANNELS,
        event_labels=EVENT_LABELS,
    )


@bp.route("/notify/preferences/<token>", methods=["GET", "POST"])
def token_preferences(token: str):
    user = user_from_token(token)
    if user is None:
        return render_template("notify/token_invalid.html"), 404
    if request.method == "POST":
        prefs.save_digest_settings(user.id, request.form)
        db.session.commit()
        flash(_("Notification settings saved."), "success")
        return redirect(url_for("notify.token_preferences", token=token))
    view = prefs.preferences_view(user.id)
    return render_template("notify/token_preferences.html", view=view, user=user, token=token)


@bp.route("/notify/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the authority (RFC 8058 one-click from the mail client)
def unsubscribe(token: str):
    user = user_from_token(token)
    if user is None:
        return render_template("notify/token_invalid.html"), 404
    if request.method == "POST":
        prefs.unsubscribe(user.id)
        db.session.commit()
        return render_template("notify/unsubscribed.html", user=user, token=token)
    return render_template("notify/unsubscribe.html", user=user, token=token)


# --------------------------------------------------------------------------- webhooks


@bp.route("/programs/<int:program_id>/notify", methods=["GET", "POST"])
def program_settings(program_id: int):
    program = get_program(program_id)
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        f = request.form
        try:
            hooks.add_webhook(
                program.id, f.get("kind", ""), f.get("url", ""), f.get("secret", ""),
                f.get("label", ""), f.get("lang", "en"),
            )  # fmt: skip
        except ValidationError as exc:
            db.session.rollback()
            errors = problem_pairs(exc)
        else:
            db.session.commit()
            flash(_("Webhook saved."), "success")
            return redirect(url_for("notify.program_settings", program_id=program.id))
    return render_template(
        "notify/program_settings.html",
        program=program,
        webhooks=hooks.list_webhooks(program.id),
        failures=hooks.recent_failures(program.id),
        errors=errors,
        form=request.form,
        kinds=_kinds(),
    ), (422 if errors else 200)


@bp.post("/programs/<int:program_id>/notify/webhooks/<int:webhook_id>/delete")
def webhook_delete(program_id: int, webhook_id: int):
    try:
        hooks.delete_webhook(hooks.get_webhook(program_id, webhook_id))
    except NotFoundError:
        abort(404)
    db.session.commit()
    flash(_("Webhook removed."), "success")
    return redirect(url_for("notify.program_settings", program_id=program_id))


__all__ = ["bp", "URGENCIES"]
