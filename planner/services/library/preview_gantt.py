"""A playbook preview's Gantt chart, drawn by the steering pack's renderer
(:func:`planner.charts.gantt_scene.gantt_scene` written as SVG by
:func:`planner.charts.gantt_render.to_svg`): the page's layout and colours, no script.

The preview's scheduled rows become the Gantt page's columns
(:func:`planner.charts.gantt_data.gantt_columns`) with the critical path's links only (as the
preview always showed), no today line and no status date: nothing has started. Called while
the reader's language is in force, so the words and dates come out in it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Final

from flask_babel import gettext as _
from markupsafe import Markup

from planner.charts.gantt_data import DataCalendar, DataLink, gantt_columns
from planner.charts.gantt_render import to_svg
from planner.charts.gantt_scene import Scene, gantt_scene
from planner.services.library.preview import Preview, playbook_calendar
from planner.services.pack_gantt import scene_texts

#: rows drawn at most: every item of a shipped playbook; a far bigger one shows summaries
PREVIEW_ROWS: Final = 400
PREVIEW_WIDTH: Final = 1280


@dataclass(frozen=True)
class PreviewChart:
    scene: Scene
    svg: Markup  # an inline <svg> (escaped texts, presentation attributes only: CSP-clean)


def preview_columns(result: Preview) -> dict[str, Any]:
    """The preview's plan as the Gantt's columns (critical links only)."""
    links = [
        DataLink(k, link.predecessor_id, link.successor_id, link.type, link.lag, True)
        for k, link in enumerate(result.links)
        if link.critical
    ]
    calendar = playbook_calendar(result.playbook)
    return gantt_columns(
        result.rows,
        links,
        result.phases,
        versions={},
        driving=frozenset(),
        calendar=DataCalendar(calendar.workdays, (), ()),
        today=None,
        status_date=None,
        finish=result.finish,
    )


def preview_chart(result: Preview, lang: str) -> PreviewChart | None:
    """The chart of ``result`` in ``lang``; None for a playbook without work items."""
    if not result.rows:
        return None
    texts = dataclasses.replace(
        scene_texts(lang),
        legend=(
            ("not_started", _("Planned")),
            ("critical", _("Critical")),
            ("milestone", _("Milestones")),
            ("summary", _("Workstream summary")),
            ("gate", _("Gate")),
        ),
    )
    scene = gantt_scene(preview_columns(result), texts, width=PREVIEW_WIDTH, max_rows=PREVIEW_ROWS)
    title = _("Gantt chart of the playbook plan; the same plan is in the table below.")
    # the SVG is ours: every text in it escaped by gantt_render.to_svg
    return PreviewChart(scene, Markup(to_svg(scene, title=title)))  # nosec B704
