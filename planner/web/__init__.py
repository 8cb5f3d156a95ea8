"""Flask blueprints, one per area, and the error pages."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, render_template
from flask_babel import gettext as _

from planner.domain.errors import NotFoundError
from planner.ops.assets import FILE_ENDPOINTS, asset_response
from planner.web.csp import plotly_js_path


def register_blueprints(app: Flask) -> None:
    from planner.web import (
        admin,
        adoption,
        assessment,
        auth,
        dashboard,
        discussion,
        exchange,
        gantt,
        gates,
        history,
        library,
        members,
        metrics,
        money,
        notify,
        people,
        plan,
        programs,
        question_bank,
        raid,
        replan,
        risks,
        scenarios,
        schedule_risk,
        share,
        tokens,
    )
    from planner.web.nav import program_tabs

    areas = (programs, dashboard, plan, risks, metrics, gates, assessment)
    extras = (library, exchange, auth, members, admin, history, share, tokens, replan, scenarios)
    features = (
        schedule_risk,
        notify,
        discussion,
        adoption,
        question_bank,
        raid,
        people,
        money,
        gantt,
    )
    for module in (*areas, *extras, *features):
        app.register_blueprint(module.bp)
    _decisions_notify()
    from planner import api
    from planner.extensions import csrf

    # the API accepts only tokens, never the session cookie, so CSRF does not apply
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)
    app.jinja_env.globals["program_tabs"] = program_tabs
    app.jinja_env.globals["has_endpoint"] = lambda endpoint: endpoint in app.view_functions
    app.jinja_env.filters["localized_dates"] = _localized_dates
    app.after_request(_one_charset)

    @app.get("/vendor/plotly.min.js")
    def plotly_js():
        # the full plotly.js (polar charts) ships inside the plotly package: served from
        # there, never from a CDN; charts with only cartesian traces use the partial
        # bundles in static/vendor (see templates/macros/charts.html)
        return asset_response(plotly_js_path(), "text/javascript")

    FILE_ENDPOINTS["plotly_js"] = plotly_js_path

    @app.errorhandler(NotFoundError)
    def not_found_error(exc: NotFoundError):
        return render_template("errors/error.html", code=404, message=str(exc)), 404

    @app.errorhandler(404)
    def not_found(_exc: Exception):
        return render_template("errors/error.html", code=404, message=_("Page not found.")), 404

    @app.errorhandler(403)
    def forbidden(_exc: Exception):
        message = _("You do not have permission to do this.")
        return render_template("errors/error.html", code=403, message=message), 403

    @app.errorhandler(400)
    def bad_request(exc: Exception):
        message = getattr(exc, "description", None) or _("Bad request.")
        return render_template("errors/error.html", code=400, message=message), 400


def _one_charset(response: Response) -> Response:
    """Each Content-Type parameter once: Werkzeug appends ``; charset=utf-8`` to every
    ``text/*`` type, also to one that names its charset already (``text/csv;
    charset=utf-8`` became ``…; charset=utf-8; charset=utf-8``, which strict clients refuse).
    """
    value = response.headers.get("Content-Type")
    if value and value.count(";") > 1:
        parts = [part.strip() for part in value.split(";")]
        kept: list[str] = []
        for part in parts:
            if part.lower() not in (k.lower() for k in kept):
                kept.append(part)
        response.headers["Content-Type"] = "; ".join(kept)
    return response


def _localized_dates(figure: Any) -> Any:
    """A figure's date axes in the reader's language (every chart macro applies it)."""
    from planner.charts.dates import localize_date_axes
    from planner.i18n import content_lang

    return localize_date_axes(figure, content_lang())


def _decisions_notify() -> None:
    """Decisions logged in the RAID log notify the program's people (who decided is the
    signed-in person; a command line has none)."""
    from flask_login import current_user

    from planner.services import notify_events, raid

    def listener(decision):
        actor = current_user if getattr(current_user, "is_authenticated", False) else None
        notify_events.raid_decision_recorded(decision, actor)

    if not any(getattr(f, "__name__", "") == "listener" for f in raid.DECISION_LISTENERS):
        raid.DECISION_LISTENERS.append(listener)
