"""The .xlsx export of an assessment: summary, indicators with their results, interviews, scores.

User strings are written as text cells (never formulas) and neutralised against formula
injection; a missing score is an empty cell, never 0.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planner.domain.errors import ValidationError
from planner.interop.neutralise import neutralise
from planner.models.assessment import Assessment
from planner.services import assessment as service

HEADER_FILL = PatternFill("solid", fgColor="DDE6F3")
LEVEL_NAMES = {"senior": "senior", "middle": "middle", "front_line": "front line"}


def _put(ws: Worksheet, row: int, column: int, value: Any) -> None:
    """Write one cell: text stays text (data type forced), numbers stay numbers, None empty."""
    cell = ws.cell(row=row, column=column)
    if value is None:
        return
    if isinstance(value, str):
        cell.value = neutralise(value)
        cell.data_type = "s"  # a string starting with "=" would otherwise become a formula
    else:
        cell.value = value


def _row(ws: Worksheet, row: int, values: list[Any]) -> None:
    for column, value in enumerate(values, start=1):
        _put(ws, row, column, value)


def _header(ws: Worksheet, values: list[str]) -> None:
    _row(ws, 1, values)
    for column in range(1, len(values) + 1):
        cell = ws.cell(row=1, column=column)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"


def _widths(ws: Worksheet, widths: list[int]) -> None:
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def export_xlsx(assessment: Assessment, lang: str = "en") -> bytes:
    """The workbook as bytes: sheets Summary, Indicators, Interviews, Scores, Actions."""
    view = service.model_for(assessment, lang)
    results: service.Results | None = None
    problem = None
    if not assessment.interviews:
        problem = "the assessment has no interviews: no current scores"
    else:
        try:
            results = service.assessment_results(assessment, lang)
        except ValidationError as exc:
            problem = str(exc)
    program = assessment.program
    wb = Workbook()

    ws = wb.active
    ws.title = "Summary"
    summary: list[tuple[str, Any]] = [
        ("Program", program.name),
        ("Client", program.client),
        ("Assessment", assessment.title),
        ("Kind", assessment.kind),
        ("Phase", assessment.phase_ordinal),
        ("Started", assessment.started_on.isoformat()),
        ("Completed", assessment.completed_on.isoformat() if assessment.completed_on else None),
        ("Status", assessment.status),
        ("Model", assessment.model_ref),
        ("Interviews", len(assessment.interviews)),
    ]
    if results is not None:
        summary += [
            ("Overall score (0-5)", _round(results.overall)),
            ("Maturity level", results.level.name if results.level else "not scored yet"),
            ("Overall target", _round(results.overall_target)),
            ("Overall benchmark", _round(results.overall_benchmark)),
            ("Indicators scored", f"{results.coverage:.0%}"),
            (
                "Aggregation",
                "mean per interview level, then levels weighted "
                + ", ".join(f"{LEVEL_NAMES[k]} {v:g}" for k, v in view.level_weights.items()),
            ),
        ]
    if problem:
        summary.append(("Note", problem))
    for index, (label, value) in enumerate(summary, start=1):
        _put(ws, index, 1, label)
        ws.cell(row=index, column=1).font = Font(bold=True)
        _put(ws, index, 2, value)
    if results is not None:
        start = len(summary) + 2
        _row(ws, start, ["Category", "Current", "Target", "Benchmark", "Competitor"])
        for column in range(1, 6):
            ws.cell(row=start, column=column).font = Font(bold=True)
        for offset, category in enumerate(view.categories, start=1):
            _row(
                ws,
                start + offset,
                [
                    category.name,
                    _round(results.categories[category.key]),
                    _round(results.target_categories[category.key]),
                    _round(results.benchmark_categories[category.key]),
                    _round(results.competitor_categories[category.key]),
                ],
            )
    _widths(ws, [24, 60, 12, 12, 12])

    ws = wb.create_sheet("Indicators")
    _header(
        ws,
        [
            "Category",
            "Key",
            "Indicator",
            "Weight",
            "Critical",
            "Effective weight",
            "Senior mean",
            "Middle mean",
            "Front-line mean",
            "Current",
            "Target",
            "Benchmark",
            "Competitor",
            "Gap to target",
            "Weighted gap",
            "Gap to benchmark",
        ],
    )
    settings = {s.key: s for s in assessment.indicators}
    gaps = {g.indicator: g for g in results.gaps} if results else {}
    for row, indicator in enumerate(view.model.indicators, start=2):
        s = settings[indicator.key]
        levels = results.per_level.get(indicator.key, {}) if results else {}
        gap = gaps.get(indicator.key)
        _row(
            ws,
            row,
            [
                view.category_name(indicator.category),
                indicator.key,
                indicator.name,
                s.weight,
                "yes" if s.critical else "no",
                indicator.effective_weight,
                _round(levels.get("senior")),
                _round(levels.get("middle")),
                _round(levels.get("front_line")),
                _round(results.current.get(indicator.key)) if results else None,
                s.target,
                s.benchmark,
                s.competitor,
                _round(gap.gap_to_target) if gap else None,
                _round(gap.weighted_gap) if gap else None,
                _round(gap.gap_to_benchmark) if gap else None,
            ],
        )
    _widths(ws, [22, 8, 44] + [11] * 13)

    interviews = service.sorted_interviews(assessment)
    ws = wb.create_sheet("Interviews")
    _header(ws, ["#", "Level", "Interviewee", "Role", "Date", "Minutes", "Categories", "Notes"])
    for row, iv in enumerate(interviews, start=2):
        _row(
            ws,
            row,
            [
                iv.id,
                LEVEL_NAMES.get(iv.level, iv.level),
                iv.interviewee,
                iv.role,
                iv.held_on.isoformat() if iv.held_on else None,
                iv.duration_minutes,
                ", ".join(view.category_name(c) for c in iv.category_keys) or "all",
                iv.notes,
            ],
        )
    _widths(ws, [6, 12, 26, 26, 12, 9, 40, 60])

    ws = wb.create_sheet("Scores")
    _header(
        ws,
        ["Key", "Indicator"]
        + [
            f"#{iv.id} {iv.interviewee} ({LEVEL_NAMES.get(iv.level, iv.level)})"
            for iv in interviews
        ],
    )
    by_interview = [service.stored_scores(iv) for iv in interviews]
    for row, indicator in enumerate(view.model.indicators, start=2):
        _row(
            ws,
            row,
            [indicator.key, indicator.name]
            + [scores.get(indicator.key) for scores in by_interview],
        )
    _widths(ws, [8, 44] + [16] * len(interviews))

    ws = wb.create_sheet("Actions")
    _header(ws, ["Indicator", "Title", "Title (zh)", "Horizon", "Priority", "Status", "Work item"])
    for row, action in enumerate(assessment.actions, start=2):
        _row(
            ws,
            row,
            [
                action.indicator_key,
                action.title,
                action.title_zh,
                action.horizon,
                action.priority,
                action.status,
                action.work_item.key if action.work_item else None,
            ],
        )
    _widths(ws, [10, 60, 40, 10, 8, 10, 20])

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
