"""The money workbook: people, assignments, effort, costs, budget per phase and
workstream with earned value, the benefits case with ROI, NPV, payback and the sensitivity
table, and the workload (person × week). Sheet and column names come from the
caller in the reader's language; user strings are written as text cells, neutralised."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from planner.interop.xlsx_cells import header, put_row, put_rows, to_bytes
from planner.models import Program
from planner.services import benefits as benefit_service
from planner.services import effort as effort_service
from planner.services import money as service
from planner.services.people import list_people
from planner.services.workload import build_workload

#: weeks of the workload sheet: the last four and the next twelve, as the page shows
WORKLOAD_WEEKS = (4, 12)


def _sheet(book: Workbook, title: str, header_words: list[str]) -> Worksheet:
    ws = book.create_sheet(title[:31])
    header(ws, header_words)
    return ws


def _table(book: Workbook, sheet_words: Any, rows: Iterable[list[Any]]) -> None:
    """A sheet from its (title, header) words and its rows."""
    put_rows(_sheet(book, *sheet_words), rows)


def _people_rows(program: Program) -> Iterator[list[Any]]:
    for p in list_people(program):
        yield [p.name, p.role, p.team, p.capacity_hours, p.hourly_rate, p.currency or ""]


def _assignment_rows(program: Program, items: Mapping[int, Any]) -> Iterator[list[Any]]:
    for a in sorted(effort_service.assignments_of(program), key=lambda a: a.id):
        item = items[a.work_item_id]
        yield [a.person.name, item.key, item.name, a.planned_hours, item.early_start,
               item.early_finish, item.percent_complete]  # fmt: skip


def _effort_rows(program: Program, items: Mapping[int, Any]) -> Iterator[list[Any]]:
    for log in effort_service.recent_logs(program, limit=100_000):
        yield [log.person.name, items[log.work_item_id].key, log.week, log.hours, log.note]


def _cost_rows(program: Program, items: Mapping[int, Any]) -> Iterator[list[Any]]:
    for e in service.cost_entries(program):
        item = items.get(e.work_item_id or 0)
        yield [e.day, e.kind, e.category, item.key if item else "", e.amount, e.currency, e.note]


def _budget_rows(report: Any, program_label: str) -> Iterator[list[Any]]:
    """The program, each phase and each workstream: budget, costs and earned value."""
    groups = [(program_label, report.program)]
    groups += [(p.key, g) for p, g in report.phases] + list(report.workstreams)
    for label, g in groups:
        ev = g.ev
        earned = [ev.pv, ev.ev, ev.ac, ev.spi, ev.cpi, ev.eac] if ev else [None] * 6
        yield [label, g.budget, round(g.planned, 2), round(g.actual, 2),
               round(g.forecast, 2), *earned]  # fmt: skip


def _benefit_rows(case: benefit_service.Case) -> Iterator[list[Any]]:
    for line in case.lines:
        b = line.benefit
        yield [b.key, b.name, b.baseline, b.target, line.latest, b.annual_value,
               round(line.case_to_date, 2), round(line.realised_to_date, 2)]  # fmt: skip


def _workload_rows(program: Program, today: date, words: Mapping[str, Any]) -> Iterator[list[Any]]:
    """Person × week: hours, capacity, logged or planned, over or not."""
    before, after = WORKLOAD_WEEKS
    lang = str(words.get("lang", "en"))
    view = build_workload([program], today=today, weeks_before=before, weeks_after=after, lang=lang)
    for person in view.people:
        for cell in person.cells:
            yield [person.name, person.team, cell.week, round(cell.hours, 2),
                   round(cell.capacity, 2), words["logged"] if cell.actual else words["planned"],
                   words["over"] if cell.over else ""]  # fmt: skip


def workbook(program: Program, today: date, words: Mapping[str, Any]) -> bytes:
    """``words``: sheet titles and column lists keyed people/effort/costs/budget/benefits."""
    book = Workbook()
    book.remove(book.active)
    items = {i.id: i for i in program.work_items}
    _table(book, words["people"], _people_rows(program))
    if "assignments" in words:
        _table(book, words["assignments"], _assignment_rows(program, items))
    _table(book, words["effort"], _effort_rows(program, items))
    _table(book, words["costs"], _cost_rows(program, items))
    report = service.cost_report(program, today)
    _table(book, words["budget"], _budget_rows(report, words["program"]))
    case = benefit_service.benefits_case(program, today)
    _table(book, words["benefits"], _benefit_rows(case))
    if "roi" in words:
        _roi_sheet(book, case, words["roi"])
    if "workload" in words:
        _table(book, words["workload"], _workload_rows(program, today, words))
    return to_bytes(book)


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
        put_row(ws, i, [label, value])
    top = len(figures) + 2
    s = case.sensitivity
    put_row(ws, top, [words["sensitivity"], *(f"× {m:g}" for m in s.multipliers)])
    for i, (rate, values) in enumerate(zip(s.rates, s.npv, strict=True), start=top + 1):
        put_row(ws, i, [rate, *(round(v, 2) for v in values)])
