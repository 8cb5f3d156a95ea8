"""The risk register page: the filtered, sorted list beside its heat maps."""

from __future__ import annotations

from typing import Any

from flask import (
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from markupsafe import Markup

from planner.charts.risks import heat_map_figure
from planner.domain.risk import LEVELS
from planner.i18n import content_lang
from planner.ops.cache import derived
from planner.services import risks as service
from planner.services.programs import get_program
from planner.web.policy import can
from planner.web.risks.common import SORTABLE, bp, template_labels, today_date

# --------------------------------------------------------------------------- register


def _heat_map(program_id: int, view: Any, info: Any, which: str, query: Any) -> dict[str, Any]:
    counts = view.heat_inherent if which == "inherent" else view.heat_residual
    urls = [
        [
            url_for(
                "risks.register",
                program_id=program_id,
                cell=f"{lk}-{im}-{which}",
                sort=query.sort,
                dir="desc" if query.descending else "asc",
            )
            for im in LEVELS
        ]
        for lk in LEVELS
    ]
    selected = None
    if query.cell and query.cell[2] == which and query.cell[0] in LEVELS:
        selected = (query.cell[0], query.cell[1])
    title = (
        _("Inherent (before the response)")
        if which == "inherent"
        else _("Residual (after the response)")
    )
    figure = heat_map_figure(
        counts,
        view.cell_bands,
        band_names=info.band_names,
        band_labels=info.band_labels,
        likelihood_labels=list(info.scale.likelihood_levels),
        impact_labels=list(info.scale.impact_levels),
        title=title,
        x_title=_("Impact"),
        y_title=_("Likelihood"),
        hover=_(
            "Likelihood %%(likelihood)d × impact %%(impact)d (%%(band)s): "
            "%%(count)d open risks — click to list them"
        ).replace("%%", "%"),
        cell_urls=urls,
        selected=selected,
    )
    return {"figure": figure, "counts": counts, "urls": urls, "title": title, "which": which}


@bp.get("/programs/<int:program_id>/risks")
def register(program_id: int):
    program = get_program(program_id)
    can_edit = can("edit", program.id)
    # a steering room reads the same register: render its body once per program revision,
    # filters, language and right to edit (today and the locale are part of the key)
    body_html, status = derived(
        "risk-register",
        program.id,
        lambda: _register_body(program, can_edit),
        request.query_string.decode("utf-8", "replace"),
        can_edit,
    )
    return render_template(
        "risks/register.html",
        program=program,
        body_html=Markup(body_html),  # nosec B704 - rendered by Jinja with autoescape
    ), status


def _register_body(program: Any, can_edit: bool) -> tuple[str, int]:
    info = service.scale_for(program, content_lang())
    query = service.RegisterQuery.from_args(request.args)
    today = today_date()
    view = service.register_view(program, query, info, today)
    maps = [_heat_map(program.id, view, info, which, query) for which in ("inherent", "residual")]
    html = render_template(
        "risks/_register_body.html",
        program=program,
        info=info,
        view=view,
        query=query,
        maps=maps,
        sortable=SORTABLE,
        levels=LEVELS,
        today=today,
        can_edit=can_edit,
        **template_labels(),
    )
    return html, (400 if view.errors else 200)
