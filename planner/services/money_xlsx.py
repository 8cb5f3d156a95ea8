"""The money workbook: people, assignments, effort, costs, budget per phase and
workstream with earned value, the benefits case with ROI, NPV, payback and the sensitivity
table, and the workload (person × week). Sheet and column names come from the
caller in the reader's language; user strings are written as text cells, neutralised."""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from planner.interop.assessment_xlsx import _header, _row
from planner.models import Program
from planner.services import benefits as benefit_service
from planner.services import effort as effort_service
from planner.services import money as service
from planner.services.people import list_people
from planner.services.workload import build_workload

#: weeks of the workload sheet: the last four and the next twelve, as the page shows
WORKLOAD_WEEKS = (4, 12)


def _sheet(book: Workbook, title: str, header: list[str]) -> Worksheet:
    ws = book.create_sheet(title[:31])
    _header(ws, header)
    return ws


def workbook(program: Program, today: date, words: Mapping[str, Any]) -> bytes:
    """``words``: sheet titles and column lists keyed people/effort/costs/budget/benefits."""
    book = Workbook()
    book.remove(book.active)
    ws = _sheet(book, *words["people"])
    for i, p in enumerate(list_people(program), start=2):
        _row(ws, i, [p.name, p.role, p.team, p.capacity_hours, p.hourly_rate, p.currency or ""])
    items = {i.id: i for i in program.work_items}
    if "assignments" in words:
        ws = _sheet(book, *words["assignments"])
        row = 2
        for a in sorted(effort_service.assignments_of(program), key=lambda a: a.id):
            item = items[a.work_item_id]
            _row(ws, row, [a.person.name, item.key, item.name, a.planned_hours,
                           item.early_start, item.early_finish, item.percent_complete])  # fmt: skip
            row += 1
    ws = _sheet(book, *words["effort"])
    for i, log in enumerate(effort_service.recent_logs(program, limit=100_000), start=2):
        _row(ws, i, [log.person.name, items[log.work_item_id].key, log.week, log.hours, log.note])
    ws = _sheet(book, *words["costs"])
    for i, e in enumerate(service.cost_entries(program), start=2):
        item = items.get(e.work_item_id or 0)
        _row(ws, i, [e.day, e.kind, e.category, item.key if item else "", e.amount, e.currency,
                     e.note])  # fmt: skip
    report = service.cost_report(program, today)
    ws = _sheet(book, *words["budget"])
    groups = [(words["program"], report.program)]
    groups += [(p.key, g) for p, g in report.phases] + list(report.workstreams)
    for i, (label, g) in enumerate(groups, start=2):
        ev = g.ev
        _row(ws, i, [label, g.budget, round(g.planned, 2), round(g.actual, 2),
                     round(g.forecast, 2), ev.pv if ev else None, ev.ev if ev else None,
                     ev.ac if ev else None, ev.spi if ev else None, ev.cpi if ev else None,
                     ev.eac if ev else None])  # fmt: skip
    case = benefit_service.benefits_case(program, today)
    ws = _sheet(book, *words["benefits"])
    for i, line in enumerate(case.lines, start=2):
        b = line.benefit
        _row(ws, i, [b.key, b.name, b.baseline, b.target, line.latest, b.annual_value,
                     round(line.case_to_date, 2), round(line.realised_to_date, 2)])  # fmt: skip
    if "roi" in words:
        _roi_sheet(book, case, words["roi"])
    if "workload" in words:
        before, after = WORKLOAD_WEEKS
        lang = str(words.get("lang", "en"))
        view = build_workload(
            [program], today=today, weeks_before=before, weeks_after=after, lang=lang
        )
        ws = _sheet(book, *words["workload"])
        row = 2
        for person in view.people:
            for cell in person.cells:
                _row(ws, row, [person.name, person.team, cell.week, round(cell.hours, 2),
                               round(cell.capacity, 2), words["logged"] if cell.actual else
                               words["planned"], words["over"] if cell.over else ""])  # fmt: skip
                row += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _roi_sheet(book: Workbook, case: benefit_service.Case, words: Mapping[str, Any]) -> None:
    """The case's figures, then the NPV for each discount rate (rows) and benefit multiplier
    (columns)."""
    ws = book.create_sheet(str(words["title"])[:31])
    figures = [
        (words["currency"], case.currency),
        (words["discount_rate"], case.discount_rate),
        (words["horizon"], case.horizon_months),
        (words["total_benefit"], round(case.total_benefit, 2)),
        (words["total_cost"], round(case.total_cost, 2)),
        ("ROI", None if case.roi is None else round(case.roi, 4)),
        ("NPV", round(case.npv, 2)),
        (words["payback"], None if case.payback_months is None else round(case.payback_months, 1)),
        (words["expected"], round(case.case_to_date, 2)),
        (words["realised"], round(case.realised_to_date, 2)),
    ]
    for i, (label, value) in enumerate(figures, start=1):
        _row(ws, i, [label, value])
    top = len(figures) + 2
    s = case.sensitivity
    _row(ws, top, [words["sensitivity"], *(f"× {m:g}" for m in s.multipliers)])
    for i, (rate, values) in enumerate(zip(s.rates, s.npv, strict=True), start=top + 1):
        _row(ws, i, [rate, *(round(v, 2) for v in values)])
