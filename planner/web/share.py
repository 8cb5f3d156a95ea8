"""Opening a read-only share link: the guest sees the dashboard and steering reviews."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, session, url_for
from flask_babel import gettext as _

from planner.services.users import resolve_share_token

bp = Blueprint("share", __name__)


@bp.get("/share/<token>")
def open(token: str):  # noqa: A001 - the route's name
    link = resolve_share_token(token)
    if link is None:
        session.pop("share", None)
        message = _(
            "This share link has expired or was revoked. Ask the project lead for a new one."
        )
        return render_template("errors/error.html", code=410, message=message), 410
    session["share"] = {"program_id": link.program_id, "link_id": link.id}
    return redirect(url_for("dashboard.show", program_id=link.program_id))
