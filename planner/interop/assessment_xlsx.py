"""The .xlsx export of an assessment: summary, indicators with their results, interviews, scores.

User strings are written as text cells (never formulas) and neutralised against formula
injection; a missing score is an empty cell, never 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from planner.domain.errors import ValidationError
from planner.interop.xlsx_cells import header, put, put_row, put_rows, to_bytes, widths
from planner.models.assessment import Assessment
from planner.services import assessment as service

LEVEL_NAMES: Final = {"senior": "senior", "middle": "middle", "front_line": "front line"}

#: (header, column width) of each table sheet
INDICATOR_COLUMNS: Final = (
    ("Category", 22),
    ("Key", 8),
    ("Indicator", 44),
    ("Weight", 11),
    ("Critical", 11),
    ("Effective weight", 11),
    ("Senior mean", 11),
    ("Middle mean", 11),
    ("Front-line mean", 11),
    ("Current", 11),
    ("Target", 11),
    ("Benchmark", 11),
    ("Competitor", 11),
    ("Gap to target", 11),
    ("Weighted gap", 11),
    ("Gap to benchmark", 11),
)
INTERVIEW_COLUMNS: Final = (
    ("#", 6),
    ("Level", 12),
    ("Interviewee", 26),
    ("Role", 26),
    ("Date", 12),
    ("Minutes", 9),
    ("Categories", 40),
    ("Notes", 60),
)
ACTION_COLUMNS: Final = (
    ("Indicator", 10),
    ("Title", 60),
    ("Title (zh)", 40),
    ("Horizon", 10),
    ("Priority", 8),
    ("Status", 10),
    ("Work item", 20),
)
CATEGORY_HEADER: Final = ("Category", "Current", "Target", "Benchmark", "Competitor")


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _level(level: str) -> str:
    return LEVEL_NAMES.get(level, level)


def _table_sheet(
    wb: Workbook, title: str, columns: Sequence[tuple[str, int]], rows: Iterable[list[Any]]
) -> None:
    """A sheet of one table: the header row, then ``rows``; widths from ``columns``."""
    ws = wb.create_sheet(title)
    header(ws, [name for name, _ in columns])
    put_rows(ws, rows)
    widths(ws, [width for _, width in columns])


def _results(assessment: Assessment, lang: str) -> tuple[service.Results | None, str | None]:
    """The scores, or why there are none (a note on the Summary sheet)."""
    if not assessment.interviews:
        return None, "the assessment has no interviews: no current scores"
    try:
        return service.assessment_results(assessment, lang), None
    except ValidationError as exc:
        return None, str(exc)


def _summary_lines(
    assessment: Assessment,
    view: service.ModelView,
    results: service.Results | None,
    problem: str | None,
) -> list[tuple[str, Any]]:
    program = assessment.program
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
        summary += _score_lines(view, results)
    if problem:
        summary.append(("Note", problem))
    return summary


def _score_lines(view: service.ModelView, results: service.Results) -> list[tuple[str, Any]]:
    weights = ", ".join(f"{LEVEL_NAMES[k]} {v:g}" for k, v in view.level_weights.items())
    return [
        ("Overall score (0-5)", _round(results.overall)),
        ("Maturity level", results.level.name if results.level else "not scored yet"),
        ("Overall target", _round(results.overall_target)),
        ("Overall benchmark", _round(results.overall_benchmark)),
        ("Indicators scored", f"{results.coverage:.0%}"),
        ("Aggregation", "mean per interview level, then levels weighted " + weights),
    ]


def _summary_sheet(
    ws: Worksheet, lines: list[tuple[str, Any]], view: service.ModelView, results: Any
) -> None:
    """Label and value a line, then (when scored) the table of category scores."""
    ws.title = "Summary"
    for index, (label, value) in enumerate(lines, start=1):
        put(ws, index, 1, label)
        ws.cell(row=index, column=1).font = Font(bold=True)
        put(ws, index, 2, value)
    if results is not None:
        start = len(lines) + 2
        put_row(ws, start, CATEGORY_HEADER)
        for column in range(1, len(CATEGORY_HEADER) + 1):
            ws.cell(row=start, column=column).font = Font(bold=True)
        put_rows(ws, _category_rows(view, results), first=start + 1)
    widths(ws, [24, 60, 12, 12, 12])


def _category_rows(view: service.ModelView, results: service.Results) -> Iterator[list[Any]]:
    for category in view.categories:
        key = category.key
        yield [
            category.name,
            _round(results.categories[key]),
            _round(results.target_categories[key]),
            _round(results.benchmark_categories[key]),
            _round(results.competitor_categories[key]),
        ]


def _indicator_rows(
    assessment: Assessment, view: service.ModelView, results: service.Results | None
) -> Iterator[list[Any]]:
    settings = {s.key: s for s in assessment.indicators}
    gaps = {g.indicator: g for g in results.gaps} if results else {}
    for indicator in view.model.indicators:
        s = settings[indicator.key]
        levels = results.per_level.get(indicator.key, {}) if results else {}
        gap = gaps.get(indicator.key)
        current = results.current.get(indicator.key) if results else None
        yield [
            view.category_name(indicator.category),
            indicator.key,
            indicator.name,
            s.weight,
            "yes" if s.critical else "no",
            indicator.effective_weight,
            _round(levels.get("senior")),
            _round(levels.get("middle")),
            _round(levels.get("front_line")),
            _round(current),
            s.target,
            s.benchmark,
            s.competitor,
            *_gap_values(gap),
        ]


def _gap_values(gap: Any) -> list[float | None]:
    if gap is None:
        return [None, None, None]
    return [_round(gap.gap_to_target), _round(gap.weighted_gap), _round(gap.gap_to_benchmark)]


def _interview_rows(interviews: Sequence[Any], view: service.ModelView) -> Iterator[list[Any]]:
    for iv in interviews:
        yield [
            iv.id,
            _level(iv.level),
            iv.interviewee,
            iv.role,
            iv.held_on.isoformat() if iv.held_on else None,
            iv.duration_minutes,
            ", ".join(view.category_name(c) for c in iv.category_keys) or "all",
            iv.notes,
        ]


def _scores_sheet(wb: Workbook, interviews: Sequence[Any], view: service.ModelView) -> None:
    """One row an indicator, one column an interview."""
    columns = [("Key", 8), ("Indicator", 44)]
    columns += [(f"#{iv.id} {iv.interviewee} ({_level(iv.level)})", 16) for iv in interviews]
    by_interview = [service.stored_scores(iv) for iv in interviews]
    rows = (
        [indicator.key, indicator.name] + [scores.get(indicator.key) for scores in by_interview]
        for indicator in view.model.indicators
    )
    _table_sheet(wb, "Scores", columns, rows)


def _action_rows(assessment: Assessment) -> Iterator[list[Any]]:
    for action in assessment.actions:
        yield [
            action.indicator_key,
            action.title,
            action.title_zh,
            action.horizon,
            action.priority,
            action.status,
            action.work_item.key if action.work_item else None,
        ]


def export_xlsx(assessment: Assessment, lang: str = "en") -> bytes:
    """The workbook as bytes: sheets Summary, Indicators, Interviews, Scores, Actions."""
    view = service.model_for(assessment, lang)
    results, problem = _results(assessment, lang)
    wb = Workbook()
    lines = _summary_lines(assessment, view, results, problem)
    _summary_sheet(wb.active, lines, view, results)
    _table_sheet(wb, "Indicators", INDICATOR_COLUMNS, _indicator_rows(assessment, view, results))
    interviews = service.sorted_interviews(assessment)
    _table_sheet(wb, "Interviews", INTERVIEW_COLUMNS, _interview_rows(interviews, view))
    _scores_sheet(wb, interviews, view)
    _table_sheet(wb, "Actions", ACTION_COLUMNS, _action_rows(assessment))
    return to_bytes(wb)
