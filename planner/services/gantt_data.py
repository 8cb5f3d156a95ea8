"""The Gantt page's data: the plan view plus what the chart needs to edit (row versions,
dependency ids, the working calendar), as compact JSON text cached per program revision.

Every change writes an audit event, so a new revision (and a new payload) follows each
edit; readers of the same revision, filters and language share one computation.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from planner.charts.gantt_data import DataCalendar, DataLink, gantt_columns
from planner.extensions import db
from planner.models import Dependency, Program, WorkItem
from planner.ops.cache import derived
from planner.services.plan_view import Filters, PlanView, load_plan
from planner.services.scheduling import program_calendar


def gantt_payload(
    program: Program,
    *,
    filters: Filters,
    baseline_id: int | None,
    lang: str,
    today: date | None = None,
) -> str:
    """The JSON text of :func:`planner.charts.gantt_data.gantt_columns` for this program
    (the caller has brought a stale schedule up to date first)."""

    def compute() -> str:
        view = load_plan(program, filters=filters, baseline_id=baseline_id, lang=lang, today=today)
        return _payload(program, view)

    return derived("gantt-data", program.id, compute, filters.as_args(), baseline_id, lang, today)


def _payload(program: Program, view: PlanView) -> str:
    versions: dict[int, int] = {
        item_id: version
        for item_id, version in db.session.execute(
            select(WorkItem.id, WorkItem.version).where(WorkItem.program_id == program.id)
        )
    }
    critical = {(link.predecessor_id, link.successor_id): link.critical for link in view.links}
    links = [
        DataLink(dep_id, pred, succ, kind, lag or 0, critical.get((pred, succ), False))
        for dep_id, pred, succ, kind, lag in db.session.execute(
            select(
                Dependency.id,
                Dependency.predecessor_id,
                Dependency.successor_id,
                Dependency.type,
                Dependency.lag_days,
            ).where(Dependency.program_id == program.id)
        )
    ]
    calendar = program_calendar(program)
    data = gantt_columns(
        view.rows,
        links,
        view.phases,
        versions=versions,
        driving=view.driving_ids,
        calendar=DataCalendar(calendar.workdays, calendar.holidays, calendar.extra_workdays),
        today=view.today,
        status_date=view.status_date,
        finish=view.finish,
    )
    data["revisionOf"] = program.id
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
