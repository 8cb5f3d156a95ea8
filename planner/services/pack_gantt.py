"""The steering pack's Gantt slide: the Gantt page's chart, drawn by the same rules from the
same data (:func:`planner.services.gantt_data.gantt_data`,
:func:`planner.charts.gantt_scene.gantt_scene`).

Called by :func:`planner.services.pack.build_pack` while the pack's language is in force, so
every word (and every item, workstream and phase name) comes out in that language. A plan
too big for one slide shows its phases and workstreams, opening the part nearest today.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from babel.dates import format_date, format_skeleton
from flask_babel import gettext as _

from planner.charts.gantt_scene import SceneTexts, gantt_scene
from planner.interop.pack_data import GanttSlide
from planner.models import Program
from planner.services.gantt_data import gantt_data
from planner.services.plan_view_types import Filters

#: rows on the slide (a 16:9 slide's body at a legible 12 px a name)
SLIDE_ROWS = 21
SCENE_WIDTH = 1280


def _dates(skeleton: str, locale: str) -> Callable[[date], str]:
    return lambda day: str(format_skeleton(skeleton, day, locale=locale))


def _pattern(pattern: str, locale: str) -> Callable[[date], str]:
    return lambda day: str(format_date(day, pattern, locale=locale))


def scene_texts(lang: str) -> SceneTexts:
    """The chart's words and date formats in ``lang`` (the pack's gettext is in force)."""
    locale = "zh_Hans_CN" if lang == "zh" else "en"
    return SceneTexts(
        no_workstream=_("(no workstream)"),
        quarter=_("Q%(q)s"),
        today=_("Today"),
        # as the page's grid writes them (Intl: short month, 2-digit year)
        dates=_pattern("yy年M月d日" if lang == "zh" else "MMM d, yy", locale),
        month=_dates("MMM", locale),
        year=_dates("y", locale),
        day_month=_dates("MMMd", locale),
        month_year=_dates("yMMMM", locale),
        name=_("Name"),
        span=f"{_('Start')} – {_('Finish')}",
        legend=(
            ("done", _("Done")),
            ("in_progress", _("In progress")),
            ("not_started", _("Not started")),
            ("late", _("Late")),
            ("critical", _("Critical")),
            ("driving", _("Drives a gate")),
            ("baseline", _("Baseline")),
            ("today", _("Today")),
        ),
    )


def gantt_slide(program: Program, today: date, lang: str) -> GanttSlide | None:
    """None for a plan without work items."""
    data = gantt_data(program, filters=Filters(), baseline_id=None, lang=lang, today=today)
    if not data["items"]["id"]:
        return None
    scene = gantt_scene(data, scene_texts(lang), width=SCENE_WIDTH, max_rows=SLIDE_ROWS)
    notes = {
        "items": _("Every work item, by phase and workstream."),
        "workstreams": _(
            "Phases and workstreams (%(n)d work items); the items of the workstreams "
            "nearest today where they fit. The Gantt page shows every item.",
            n=len(data["items"]["id"]),
        ),
        "phases": _(
            "Phases (%(n)d work items); the workstreams of the phases nearest today where "
            "they fit. The Gantt page shows every item.",
            n=len(data["items"]["id"]),
        ),
    }
    return GanttSlide(title=_("Gantt chart"), scene=scene, note=notes[scene.level])
