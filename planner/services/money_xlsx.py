"""The money workbook: people, assignments, effort, costs, budget per phase and
workstream with earned value, and the benefits case. Sheet and column names come from the
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
    ws = _sheet(book, *words["effort"])
    items = {i.id: i for i in program.work_items}
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
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
