"""The steering pack's adoption slide: the team × module matrix against the playbook's
module tiers, with trend arrows, and the lagging team and module named."""

from __future__ import annotations

from flask_babel import gettext as _

from planner.i18n import format_day
from planner.interop.pack_data import AdoptionSlide
from planner.models import Program
from planner.services.adoption import MatrixView, matrix_view

ARROWS = {"up": "↑", "down": "↓", "flat": "→"}
#: columns beyond this many modules do not fit a slide: the first ones (core tiers) are kept
MAX_MODULES = 9


def adoption_slide(program: Program, lang: str) -> AdoptionSlide | None:
    """The slide's content, or None when the program has no module readings yet."""
    view = matrix_view(program, lang)
    if view is None or view.week is None:
        return None
    modules = view.matrix.modules[:MAX_MODULES]
    header = (_("Team"), *(f"{view.module_label(m.key)} ≥{m.min_share:g}%" for m in modules))
    rows: list[tuple[str, ...]] = []
    statuses: list[tuple[str, ...]] = []
    for team in view.matrix.teams:
        cells = [view.matrix.cell(team, m.key) for m in modules]
        rows.append((view.team_label(team), *(_cell_text(c) for c in cells)))
        statuses.append(("", *((c.status or "") if c else "" for c in cells)))
    return AdoptionSlide(
        title=_("Module adoption by team"),
        lagging=_lagging_text(view),
        header=header,
        rows=tuple(rows),
        statuses=tuple(statuses),
        note=_(
            "Share of each team’s CRM users who used the module in the week ending %(day)s; "
            "green meets the tier, amber is within 10 points, red is below; the arrow "
            "compares with the week before.",
            day=format_day(view.week),
        ),
    )


def _cell_text(cell: object) -> str:
    value = getattr(cell, "value", None)
    if value is None:
        return "—"
    arrow = ARROWS.get(getattr(cell, "trend", None) or "", "")
    return f"{value:.0f}% {arrow}".strip()


def _lagging_text(view: MatrixView) -> str:
    lag = view.lagging
    if lag is None or lag.value is None:
        return _("Every team meets the tier of every module.")
    return _(
        "Lagging most: %(team)s on %(module)s — %(value)s%% of users against a %(tier)s%% tier.",
        team=view.team_label(lag.team),
        module=view.module_label(lag.module),
        value=f"{lag.value:.0f}",
        tier=f"{lag.min_share:g}",
    )
