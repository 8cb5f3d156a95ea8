"""The program's tabs: one entry per area page; a tab shows once its endpoint exists."""

from __future__ import annotations

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

# (endpoint, label); every endpoint takes program_id
PROGRAM_TABS = (
    ("programs.overview", _l("Overview")),
    ("dashboard.show", _l("Dashboard")),
    ("plan.gantt", _l("Gantt")),
    ("plan.table", _l("Plan table")),
    ("plan.phases", _l("Phases")),
    ("risks.register", _l("Risks")),
    ("risks.reviews", _l("Steering reviews")),
    ("raid.index", _l("RAID log")),
    ("metrics.index", _l("Metrics")),
    ("adoption.matrix", _l("Adoption")),
    ("gates.index", _l("Gates")),
    ("schedule_risk.index", _l("Schedule risk")),
    ("people.workload", _l("People & money")),
    ("assessment.index", _l("Assessment")),
    ("exchange.index", _l("Exchange")),
    ("history.index", _l("History")),
    ("members.index", _l("Members")),
)


def program_tabs(program_id: int) -> list[tuple[str, str, str]]:
    """(endpoint, url, label) of each tab whose page is registered."""
    views = current_app.view_functions
    return [
        (endpoint, url_for(endpoint, program_id=program_id), str(label))
        for endpoint, label in PROGRAM_TABS
        if endpoint in views
    ]
