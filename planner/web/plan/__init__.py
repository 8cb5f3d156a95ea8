"""Pages of the plan area (URLs under /programs/<id>/plan/...): Gantt, table, phases, editing.

Views are thin: parse the form, call one service, commit, say what moved, redirect. A
refused edit re-renders its form with the errors (422), a stale one with who changed it and
the stored values beside the user's input (409); both roll back, so nothing changes.

By job: ``common`` (the blueprint and what the pages share), ``pages`` (Gantt, table,
phases), ``items``, ``dependencies``, ``settings`` (baselines, calendar, status date).
Importing the package registers every page on :data:`bp`.
"""

from __future__ import annotations

from planner.web.plan import dependencies, items, pages, settings  # noqa: F401 (routes)
from planner.web.plan.common import _moved_message, _pop_moves, _remember, bp

__all__ = ["_moved_message", "_pop_moves", "_remember", "bp"]
