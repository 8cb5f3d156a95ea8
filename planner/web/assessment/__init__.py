"""Pages of the assessment area (URLs under /programs/<id>/...): the CMM-E maturity
assessment — interviews and scoring, settings, results, action plan, report, export, compare.

By job: ``common`` (the blueprint, code labels, shared helpers), ``pages`` (list, start, one
assessment), ``interviews`` (interviews and scoring), ``outcomes`` (settings, results,
report, export, compare), ``actions`` (the action plan). Importing the package registers
every page on :data:`bp`.
"""

from __future__ import annotations

from planner.web.assessment import actions, interviews, outcomes, pages  # noqa: F401 (routes)
from planner.web.assessment.common import LEVEL_LABELS, _labels, bp

__all__ = ["LEVEL_LABELS", "_labels", "bp"]
