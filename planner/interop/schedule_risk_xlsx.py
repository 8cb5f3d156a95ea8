"""The schedule risk analysis as a workbook: gates, S-curves, drivers, criticality.

Words come from the caller (``words``, in the reader's language); user text (names) goes
through the formula neutraliser like every export.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from planner.domain.schedule_risk import FinishOutlook, RiskAnalysis
from planner.interop.neutralise import neutralise
from planner.interop.xlsx_cells import DATE_FORMAT, to_bytes

#: the words of each sheet's header row
GATE_HEADER: Final = ("phase", "gate", "deterministic", "mean", "p50", "p80", "p90", "probability")
CURVE_HEADER: Final = ("phase", "finish", "cumulative")
DRIVER_HEADER: Final = ("phase", "kind", "key", "name", "correlation", "criticality")
CRITICALITY_HEADER: Final = ("key", "name", "criticality")

Finishes = Sequence[tuple[str, FinishOutlook]]


def analysis_xlsx(
    analysis: RiskAnalysis,
    names: Mapping[str, str],
    phases: Mapping[str, str],
    words: Mapping[str, str],
) -> bytes:
    """Sheets: gates (one row a gate and the program finish), curves, drivers, criticality."""
    wb = Workbook()
    finishes: list[tuple[str, FinishOutlook]] = [
        (phases.get(g.phase or "", g.phase or ""), g) for g in analysis.gates
    ]
    finishes.append((words["program_finish"], analysis.finish))
    ws = wb.active
    ws.title = words["sheet_gates"][:31]
    _fill(ws, words, GATE_HEADER, _gate_rows(finishes))
    ws.append([])
    ws.append([words["iterations"], analysis.iterations])
    ws.append([words["seed"], analysis.seed])
    sheets = (
        ("sheet_curves", CURVE_HEADER, _curve_rows(finishes)),
        ("sheet_drivers", DRIVER_HEADER, _driver_rows(finishes, names, words)),
        ("sheet_criticality", CRITICALITY_HEADER, _criticality_rows(analysis, names)),
    )
    for title, header, rows in sheets:
        _fill(wb.create_sheet(words[title][:31]), words, header, rows)
    for sheet in wb.worksheets:
        _style(sheet)
    return to_bytes(wb)


def _fill(ws: Worksheet, words: Mapping[str, str], header: Sequence[str], rows: Any) -> None:
    ws.append([words[k] for k in header])
    for row in rows:
        ws.append(row)


def _style(sheet: Worksheet) -> None:
    """The header in bold; dates as dates."""
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.is_date:
                cell.number_format = DATE_FORMAT


def _gate_rows(finishes: Finishes) -> Iterator[list[Any]]:
    for name, o in finishes:
        yield [
            neutralise(name),
            o.gate,
            o.deterministic,
            o.mean,
            o.percentiles[50],
            o.percentiles[80],
            o.percentiles[90],
            None if o.probability is None else round(o.probability, 4),
        ]


def _curve_rows(finishes: Finishes) -> Iterator[list[Any]]:
    for name, o in finishes:
        for day, share in o.curve:
            yield [neutralise(name), day, share]


def _driver_rows(
    finishes: Finishes, names: Mapping[str, str], words: Mapping[str, str]
) -> Iterator[list[Any]]:
    for name, o in finishes:
        for d in o.drivers:
            yield [
                neutralise(name),
                words[f"kind_{d.kind}"],
                neutralise(d.key),
                neutralise(names.get(d.key, d.key)),
                d.correlation,
                d.criticality,
            ]


def _criticality_rows(analysis: RiskAnalysis, names: Mapping[str, str]) -> Iterator[list[Any]]:
    ranked = sorted(analysis.criticality.items(), key=lambda kv: (-kv[1], kv[0]))
    for key, share in ranked:
        yield [neutralise(key), neutralise(names.get(key, key)), share]
