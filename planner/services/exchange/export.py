"""A program's plan as :class:`~planner.interop.plandata.PlanData` (a fixed number of
queries) and as a file: MS Project XML, CSV or .xlsx."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import select

import planner.models.baseline  # noqa: F401  (registers the baseline tables)
from planner.extensions import db
from planner.interop import mspdi, plan_table
from planner.interop.plandata import (
    CalendarData,
    ItemData,
    LinkData,
    PhaseData,
    PlanData,
)
from planner.models import (
    Dependency,
    Phase,
    Program,
    WorkItem,
)
from planner.models.baseline import Baseline, BaselineItem
from planner.services.exchange.formats import Format
from planner.services.scheduling import (
    load_network,
    program_calendar,
    status_date_of,
)

# --------------------------------------------------------------------------- export


def _text(value: str | None, fallback: str) -> str:
    return (value or "").strip() or fallback


def latest_baseline(program: Program) -> Baseline | None:
    return db.session.scalar(
        select(Baseline)
        .where(Baseline.program_id == program.id)
        .order_by(Baseline.taken_at.desc(), Baseline.id.desc())
        .limit(1)
    )


def _names(row: Phase | WorkItem, language: str) -> tuple[str, str | None]:
    """The row's name in ``language`` (the other one when it has none, then its key) and
    its name in the other language (None when it has none or it is the same)."""
    english, chinese = (row.name or "").strip(), (row.name_zh or "").strip()
    first, other = (chinese, english) if language == "zh" else (english, chinese)
    name = first or other or row.key
    return name, (other if other and other != name else None)


def plan_data(
    program: Program, language: str = "en", today: date | None = None, *, table: bool = False
) -> PlanData:
    """The program's plan as plain data, with its latest baseline as baseline 0; names in
    ``language`` (``en`` or ``zh``), each with its name in the other language as ``alt_name``.

    With ``table``, every item also carries its name in each language and its row version:
    what a CSV or .xlsx for round-trip editing holds (see :func:`read_update`).
    """
    phases = list(
        db.session.scalars(
            select(Phase).where(Phase.program_id == program.id).order_by(Phase.ordinal)
        )
    )
    phase_key = {p.id: p.key for p in phases}
    network = load_network(program)
    items, deps = network.items, network.dependencies
    dates = _baseline_dates(program)
    calendar = CalendarData.from_work_calendar(program_calendar(program))
    names = tuple((e.day, e.name) for e in program.calendar_exceptions if e.name)
    return PlanData(
        name=_text(program.name, f"Program {program.id}"),
        start=program.start_date,
        calendar=replace(calendar, names=names),
        phases=[  # type: ignore[arg-type]  # PlanData turns its lists into tuples
            PhaseData(p.key, name, p.ordinal, p.window_start, p.window_end, alt_name)
            for p in phases
            for name, alt_name in [_names(p, language)]
        ],
        items=tuple(_item_data(i, phase_key[i.phase_id], language, dates, table) for i in items),
        links=_link_data(items, deps),
        # the status date the stored dates were computed with (today when the program
        # follows today): another scheduler needs it to put remaining work where we do
        status_date=status_date_of(program, today),
        language="zh" if language == "zh" else "en",
    )


def _baseline_dates(program: Program) -> dict[str, tuple[date, date]]:
    """Start and finish by item key in the program's latest baseline (none: empty)."""
    baseline = latest_baseline(program)
    if baseline is None:
        return {}
    rows = db.session.execute(
        select(BaselineItem.key, BaselineItem.start, BaselineItem.finish).where(
            BaselineItem.baseline_id == baseline.id
        )
    )
    return {key: (start, finish) for key, start, finish in rows}


def _item_data(
    i: WorkItem,
    phase_key: str,
    language: str,
    dates: dict[str, tuple[date, date]],
    table: bool,
) -> ItemData:
    name, alt_name = _names(i, language)
    return ItemData(
        key=i.key,
        name=name,
        alt_name=alt_name,
        phase_key=phase_key,
        kind="milestone" if i.kind == "milestone" else "task",
        duration=i.duration_days,
        workstream=i.workstream or None,
        owner=i.owner or None,
        percent_complete=i.percent_complete,
        actual_start=i.actual_start,
        actual_finish=i.actual_finish,
        constraint_type=i.constraint_type,  # type: ignore[arg-type]  # the column's check constraint allows only SNET, FNLT
        constraint_date=i.constraint_date,
        early_start=i.early_start,
        early_finish=i.early_finish,
        baseline_start=dates[i.key][0] if i.key in dates else None,
        baseline_finish=dates[i.key][1] if i.key in dates else None,
        name_en=(i.name or None) if table else None,
        name_zh=(i.name_zh or None) if table else None,
        version=i.version if table else None,
    )


def _link_data(items: list[WorkItem], deps: list[Dependency]) -> tuple[LinkData, ...]:
    """The links between ``items`` (in item order) by successor, then predecessor: the same
    plan, the same data."""
    key_of = {i.id: i.key for i in items}
    rank = {i.id: n for n, i in enumerate(items)}
    kept = [d for d in deps if d.predecessor_id in rank and d.successor_id in rank]
    return tuple(
        LinkData(
            key_of[d.predecessor_id],
            key_of[d.successor_id],
            d.type,  # type: ignore[arg-type]  # the column's check constraint allows only FS, SS, FF, SF
            d.lag_days,
            d.lag_unit if d.lag_amount is not None else "d",  # type: ignore[arg-type]  # the column's check constraint allows only the lag units
            d.lag_amount if d.lag_unit != "d" else None,
        )
        for d in sorted(kept, key=lambda d: (rank[d.successor_id], rank[d.predecessor_id]))
    )


def export_plan(
    program: Program,
    fmt: Format,
    *,
    headers: plan_table.HeaderLabels | None = None,
    sheet_title: str = "Plan",
    language: str = "en",
    today: date | None = None,
) -> bytes:
    """The program's plan as an MS Project XML, CSV or .xlsx file; a table's header row in
    ``headers``' labels and an .xlsx sheet named ``sheet_title`` (MS Project XML has neither).
    Names are in ``language``; MS Project XML keeps the other language's names in a custom
    field, a table in a column of its own, with each row's version (so that the edited file
    can update the plan: :func:`read_update`).
    """
    if fmt == "mspdi":
        return mspdi.write(plan_data(program, language, today))
    plan = plan_data(program, language, today, table=True)
    if fmt == "csv":
        return plan_table.write_csv(plan, headers=headers, lang=language)
    if fmt == "xlsx":
        return plan_table.write_xlsx(plan, headers=headers, sheet_title=sheet_title, lang=language)
    raise ValueError(f"unknown format {fmt!r}")
