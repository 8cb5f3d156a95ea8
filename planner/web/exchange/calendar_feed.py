"""The calendar feed: a program's milestones as iCal behind a per-user token, and the page
that shows or renews the token."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from planner.domain.errors import NotFoundError
from planner.extensions import db
from planner.forms.exchange import (
    FeedTokenForm,
)
from planner.models import Program
from planner.services import feed as feed_service
from planner.web.exchange.common import bp

# --------------------------------------------------------------------------- calendar feed


def _feed_texts(lang: str) -> feed_service.FeedTexts:
    with force_locale("zh_Hans_CN" if lang == "zh" else "en"):
        return feed_service.FeedTexts(
            gate_title=_("Gate review: %(phase)s", phase="%(phase)s"),
            gate_description=_(
                "The steering committee decides go, conditional go or no-go at the end of "
                "%(phase)s.",
                phase="%(phase)s",
            ),
            milestone_done=_("done"),
            categories={"milestone": _("Milestone"), "gate": _("Gate review")},
        )


def _feed_urls(program: Program) -> tuple[dict[str, str], dict[str, str]]:
    gates = (
        url_for("gates.index", program_id=program.id, _external=True)
        if _has("gates.index")
        else None
    )
    plan = (
        url_for("plan.table", program_id=program.id, _external=True) if _has("plan.table") else None
    )
    items = {item.key: plan for item in program.work_items if plan} if plan else {}
    phase_urls = {phase.key: gates for phase in program.phases} if gates else {}
    return items, phase_urls


def _has(endpoint: str) -> bool:
    from flask import current_app

    return endpoint in current_app.view_functions


@bp.get("/feeds/<token>/programs/<int:program_id>.ics")
def feed(token: str, program_id: int):
    try:
        data = feed_service.program_feed(token, program_id, _feed_texts, urls=_feed_urls)
    except NotFoundError:
        abort(404)
    return Response(
        data,
        mimetype="text/calendar",
        headers={
            "Content-Type": "text/calendar; charset=utf-8",
            "Content-Disposition": f'inline; filename="program-{program_id}.ics"',
            "Cache-Control": "private, max-age=300",
        },
    )


@bp.route("/account/feed", methods=["GET", "POST"])
def account_feed():
    form = FeedTokenForm()
    token: str | None = None
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            status = 400
        elif form.revoke.data:
            feed_service.revoke_token(current_user)
            db.session.commit()
            flash(_("Your calendar feed is off: every feed link you had stops working."), "success")
            return redirect(url_for("exchange.account_feed"))
        else:
            token = feed_service.rotate_token(current_user)
            db.session.commit()
    return _feed_page(form, token, status)


def _feed_page(form: FeedTokenForm, token: str | None, status: int) -> Response:
    """The account's feed page, never cached: a new token's links are shown once."""
    programs = feed_service.subscribable_programs(current_user)
    links = []
    if token is not None:
        links = [
            (
                program,
                url_for("exchange.feed", token=token, program_id=program.id, _external=True),
            )
            for program in programs
        ]
    response = Response(
        render_template(
            "exchange/account_feed.html",
            form=form,
            row=feed_service.feed_token_of(current_user),
            token=token,
            programs=programs,
            links=links,
        ),
        status=status,
    )
    response.headers["Cache-Control"] = "no-store"
    return response
