"""Flask blueprints, one per area, and the error pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, render_template
from flask_babel import gettext as _

from planner.domain.errors import NotFoundError
from planner.ops.assets import FILE_ENDPOINTS, asset_response


def register_blueprints(app: Flask) -> None:
    from planner.web import (
        admin,
        assessment,
        auth,
        dashboard,
        exchange,
        gates,
        history,
        library,
        members,
        metrics,
        plan,
        programs,
        risks,
        share,
        tokens,
    )
    from planner.web.nav import program_tabs

    areas = (programs, dashboard, plan, risks, metrics, gates, assessment)
    for module in (*areas, library, exchange, auth, members, admin, history, share, tokens):
        app.register_blueprint(module.bp)
    from planner import api
    from planner.extensions import csrf

    # the API accepts only tokens, never the session cookie, so CSRF does not apply
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)
    app.jinja_env.globals["program_tabs"] = program_tabs
    app.jinja_env.globals["has_endpoint"] = lambda endpoint: endpoint in app.view_functions
    app.jinja_env.filters["localized_dates"] = _localized_dates

    @app.get("/vendor/plotly.min.js")
    def plotly_js():  # type: ignore[no-untyped-def]
        # the full plotly.js (polar charts) ships inside the plotly package: served from
        # there, never from a CDN; charts with only cartesian traces use the partial
        # bundles in static/vendor (see templates/macros/charts.html)
        return asset_response(_plotly_path(), "text/javascript")

    FILE_ENDPOINTS["plotly_js"] = _plotly_path

    @app.errorhandler(NotFoundError)
    def not_found_error(exc: NotFoundError):  # type: ignore[no-untyped-def]
        return render_template("errors/error.html", code=404, message=str(exc)), 404

    @app.errorhandler(404)
    def not_found(_exc: Exception):  # type: ignore[no-untyped-def]
        return render_template("errors/error.html", code=404, message=_("Page not found.")), 404

    @app.errorhandler(403)
    def forbidden(_exc: Exception):  # type: ignore[no-untyped-def]
        message = _("You do not have permission to do this.")
        return render_template("errors/error.html", code=403, message=message), 403

    @app.errorhandler(400)
    def bad_request(exc: Exception):  # type: ignore[no-untyped-def]
        message = getattr(exc, "description", None) or _("Bad request.")
        return render_template("errors/error.html", code=400, message=message), 400


def _plotly_path() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def _localized_dates(figure: Any) -> Any:
    """A figure's date axes in the reader's language (every chart macro applies it)."""
    from planner.charts.dates import localize_date_axes
    from planner.i18n import content_lang

    return localize_date_axes(figure, content_lang())
