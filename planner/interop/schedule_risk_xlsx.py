"""The schedule risk analysis as a workbook: gates, S-curves, drivers, criticality.

Words come from the caller (``words``, in the reader's language); user text (names) goes
through the formula neutraliser like every export.
"""

from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from planner.domain.schedule_risk import FinishOutlook, RiskAnalysis
from planner.interop.neutralise import neutralise


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
    ws.append(
        [
            words[k]
            for k in ("phase", "gate", "deterministic", "mean", "p50", "p80", "p90", "probability")
        ]
    )
    for name, o in finishes:
        ws.append(
            [
                neutralise(name),
                o.gate,
                o.deterministic,
                o.mean,
                o.percentiles[50],
                o.percentiles[80],
                o.percentiles[90],
                None if o.probability is None else round(o.probability, 4),
            ]
        )
    ws.append([])
    ws.append([words["iterations"], analysis.iterations])
    ws.append([words["seed"], analysis.seed])

    curves = wb.create_sheet(words["sheet_curves"][:31])
    curves.append([words["phase"], words["finish"], words["cumulative"]])
    for name, o in finishes:
        for day, share in o.curve:
            curves.append([neutralise(name), day, share])

    drivers = wb.create_sheet(words["sheet_drivers"][:31])
    drivers.append(
        [
            words["phase"],
            words["kind"],
            words["key"],
            words["name"],
            words["correlation"],
            words["criticality"],
        ]
    )
    for name, o in finishes:
        for d in o.drivers:
            drivers.append(
                [
                    neutralise(name),
                    words[f"kind_{d.kind}"],
                    neutralise(d.key),
                    neutralise(names.get(d.key, d.key)),
                    d.correlation,
                    d.criticality,
                ]
            )

    critical = wb.create_sheet(words["sheet_criticality"][:31])
    critical.append([words["key"], words["name"], words["criticality"]])
    ranked = sorted(analysis.criticality.items(), key=lambda kv: (-kv[1], kv[0]))
    for key, share in ranked:
        critical.append([neutralise(key), neutralise(names.get(key, key)), share])

    for sheet in wb.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if cell.is_date:
                    cell.number_format = "yyyy-mm-dd"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
