"""Writing the register: .csv and .xlsx (register, heat map and actions sheets)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from planner.domain.risk import (
    LEVELS,
    RiskScale,
    heat_map,
)
from planner.interop.messages import N_
from planner.interop.neutralise import neutralise
from planner.interop.risks.columns import ACTION_COLUMNS, COLUMNS
from planner.interop.risks.records import ACTIONS_SHEET, HEAT_MAP_SHEET, REGISTER_SHEET, RiskRecord

# --------------------------------------------------------------------------- export


def _cell_values(
    record: RiskRecord, scale: RiskScale, band_labels: Mapping[str, str], as_of: dt.date
) -> dict[str, Any]:
    snap = record.snapshot()
    open_actions = [
        " · ".join(
            part
            for part in (
                a.title,
                a.owner or "",
                (("overdue " if a.due < as_of else "due ") + a.due.isoformat()) if a.due else "",
            )
            if part
        )
        for a in record.actions
        if not a.done
    ]
    values: dict[str, Any] = {
        column.attribute: getattr(record, column.attribute, None) for column in COLUMNS
    }
    values.update(
        inherent_score=snap.inherent_score,
        inherent_rating=band_labels.get(snap.band("inherent", scale), snap.band("inherent", scale)),
        residual_score=snap.residual_score,
        residual_rating=band_labels.get(snap.band("residual", scale), snap.band("residual", scale)),
        open_actions="\n".join(open_actions),
        threatened_phases=" ".join(record.threatened_phases),
        threatened_work_items=" ".join(record.threatened_work_items),
    )
    return values


def write_csv(
    records: Sequence[RiskRecord],
    *,
    scale: RiskScale,
    band_labels: Mapping[str, str],
    as_of: dt.date,
    lang: str = "en",
) -> bytes:
    """The register as CSV (UTF-8 with a BOM so Excel reads Chinese), one row per risk."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.header(lang) for column in COLUMNS])
    for record in records:
        values = _cell_values(record, scale, band_labels, as_of)
        row = []
        for column in COLUMNS:
            value = values[column.attribute]
            if value is None:
                row.append("")
            elif isinstance(value, dt.date):
                row.append(value.isoformat())
            else:
                row.append(str(neutralise(value)) if isinstance(value, str) else str(value))
        writer.writerow(row)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


#: The workbook's own words (English templates of the catalogue), translated by the caller's
#: ``translate`` (the web layer's gettext, in the language of the export).
WORKBOOK_WORDS: Final = {
    "register": N_("Risk register"),
    "yes": N_("yes"),
    "no": N_("no"),
    "heat_map": N_("Heat map (open risks)"),
    "inherent": N_("Inherent (before response)"),
    "residual": N_("Residual (after response)"),
    "corner": N_("Likelihood ↓ / Impact →"),
    "bands": N_("Rating bands"),
}


def write_xlsx(
    records: Sequence[RiskRecord],
    *,
    title: str,
    scale: RiskScale,
    band_labels: Mapping[str, str],
    band_colours: Mapping[str, str],
    as_of: dt.date,
    lang: str = "en",
    translate: Callable[[str], str] = str,
) -> bytes:
    """The register workbook: Register (one row per risk), Heat map, Actions; column headers
    in ``lang``, the workbook's own words through ``translate`` (English without)."""
    from openpyxl import Workbook

    from planner.interop.xlsx_cells import to_bytes

    def words(name: str) -> str:
        return translate(WORKBOOK_WORDS[name])

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = REGISTER_SHEET
    heading = f"{words('register')} — {title} — {as_of.isoformat()}"
    _write_register_sheet(sheet, records, heading, scale, band_labels, band_colours, as_of, lang)
    _write_heat_map_sheet(
        workbook.create_sheet(HEAT_MAP_SHEET),
        records,
        scale=scale,
        band_labels=band_labels,
        band_colours=band_colours,
        words=words,
    )
    _write_actions_sheet(workbook.create_sheet(ACTIONS_SHEET), records, lang, words)
    return to_bytes(workbook)


#: the row of the register's column headers (the heading above, a blank row between)
_HEADER_ROW: Final = 3
#: the rating columns, coloured by the band of the score they name
_RATING_COLUMNS: Final = {"inherent_rating": "inherent", "residual_rating": "residual"}


def _box() -> Any:
    from openpyxl.styles import Border, Side

    thin = Side(style="thin", color="BFBFBF")
    return Border(left=thin, right=thin, top=thin, bottom=thin)


def _band_fill(band_colours: Mapping[str, str], band: str) -> Any:
    from openpyxl.styles import PatternFill

    return PatternFill("solid", fgColor=_hex(band_colours.get(band, "#FFFFFF")))


def _write_register_sheet(
    sheet: Any,
    records: Sequence[RiskRecord],
    heading: str,
    scale: RiskScale,
    band_labels: Mapping[str, str],
    band_colours: Mapping[str, str],
    as_of: dt.date,
    lang: str,
) -> None:
    """The heading, the column headers, a row a risk; ready to filter and print."""
    from openpyxl.styles import Font

    from planner.interop.xlsx_cells import text_cell

    text_cell(sheet, 1, 1, heading).font = Font(bold=True, size=14)
    _register_header(sheet, lang)
    for offset, record in enumerate(records):
        row = _HEADER_ROW + 1 + offset
        values = _cell_values(record, scale, band_labels, as_of)
        snap = record.snapshot()
        for index, column in enumerate(COLUMNS, start=1):
            cell = _register_cell(sheet, row, index, values[column.attribute])
            if column.attribute in _RATING_COLUMNS:
                band = snap.band(_RATING_COLUMNS[column.attribute], scale)  # type: ignore[arg-type]  # the rating columns hold the scale's numbers
                cell.fill = _band_fill(band_colours, band)
    _register_furniture(sheet, len(records))


def _register_header(sheet: Any, lang: str) -> None:
    from openpyxl.styles import Alignment

    from planner.interop.xlsx_cells import dark_header_cell, text_cell, widths

    box = _box()
    for index, column in enumerate(COLUMNS, start=1):
        cell = dark_header_cell(text_cell(sheet, _HEADER_ROW, index, column.header(lang)))
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = box
    widths(sheet, [column.width for column in COLUMNS])


def _register_cell(sheet: Any, row: int, column: int, value: Any) -> Any:
    """One value of the register: text as text, a date as a date cell, boxed and wrapped."""
    from openpyxl.styles import Alignment

    from planner.interop.xlsx_cells import date_cell, text_cell

    if value is None or value == "":
        cell = sheet.cell(row=row, column=column)
    elif isinstance(value, str):
        cell = text_cell(sheet, row, column, value)
    elif isinstance(value, dt.date):
        cell = date_cell(sheet, row, column, value)
    else:
        cell = sheet.cell(row=row, column=column, value=value)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    cell.border = _box()
    return cell


def _register_furniture(sheet: Any, count: int) -> None:
    """Frozen key columns, a filter over the rows, printed landscape one page wide."""
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = sheet.cell(row=_HEADER_ROW + 1, column=3)
    last = _HEADER_ROW + max(count, 1)
    sheet.auto_filter.ref = f"A{_HEADER_ROW}:{get_column_letter(len(COLUMNS))}{last}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{_HEADER_ROW}:{_HEADER_ROW}"


def _write_actions_sheet(
    actions: Any, records: Sequence[RiskRecord], lang: str, words: Callable[[str], str]
) -> None:
    """Every action of every risk, one a row, under the risk's key."""
    from planner.interop.xlsx_cells import dark_header_cell, date_cell, text_cell, widths

    for index, column in enumerate(ACTION_COLUMNS, start=1):
        dark_header_cell(text_cell(actions, 1, index, column.header(lang)))
    widths(actions, [column.width for column in ACTION_COLUMNS])
    row = 2
    for record in records:
        for action in record.actions:
            text_cell(actions, row, 1, record.key)
            text_cell(actions, row, 2, action.title)
            if action.owner:
                text_cell(actions, row, 3, action.owner)
            if action.due:
                date_cell(actions, row, 4, action.due)
            text_cell(actions, row, 5, words("yes") if action.done else words("no"))
            row += 1
    actions.freeze_panes = "A2"


def _write_heat_map_sheet(
    sheet: Any,
    records: Sequence[RiskRecord],
    *,
    scale: RiskScale,
    band_labels: Mapping[str, str],
    band_colours: Mapping[str, str],
    words: Callable[[str], str],
) -> None:
    """Two 5×5 grids of open-risk counts, inherent beside residual, cells in band colours."""
    from openpyxl.styles import Font

    from planner.interop.xlsx_cells import text_cell

    snapshots = [record.snapshot() for record in records]
    text_cell(sheet, 1, 1, words("heat_map")).font = Font(bold=True, size=14)
    grids = (("inherent", words("inherent"), 1), ("residual", words("residual"), 9))
    for which, caption, first_col in grids:
        counts = heat_map(snapshots, which)  # type: ignore[arg-type]  # which is one of the heat map's kinds
        text_cell(sheet, 3, first_col, caption).font = Font(bold=True)
        text_cell(sheet, 4, first_col, words("corner")).font = Font(bold=True)
        _heat_map_grid(sheet, counts, first_col, scale, band_colours)
    legend_row = 12
    text_cell(sheet, legend_row, 1, words("bands")).font = Font(bold=True)
    for offset, scale_band in enumerate(scale.bands, start=1):
        band = scale_band.name
        cell = text_cell(sheet, legend_row + offset, 1, band_labels.get(band, band))
        cell.fill = _band_fill(band_colours, band)
        text_cell(sheet, legend_row + offset, 2, f"{scale_band.min_score}–{scale_band.max_score}")


def _heat_map_grid(
    sheet: Any,
    counts: Sequence[Sequence[int]],
    first_col: int,
    scale: RiskScale,
    band_colours: Mapping[str, str],
) -> None:
    """Impact across (row 4), likelihood down from the highest; a count in each cell."""
    from openpyxl.styles import Alignment, Font

    from planner.interop.xlsx_cells import text_cell, widths

    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for impact in LEVELS:
        label = f"{impact} {scale.impact_levels[impact - 1]}"
        cell = text_cell(sheet, 4, first_col + impact, label)
        cell.font = Font(bold=True)
        cell.alignment = center
    for position, likelihood in enumerate(reversed(LEVELS)):
        row = 5 + position
        label = f"{likelihood} {scale.likelihood_levels[likelihood - 1]}"
        text_cell(sheet, row, first_col, label).font = Font(bold=True)
        for impact in LEVELS:
            count = counts[likelihood - 1][impact - 1]
            cell = sheet.cell(row=row, column=first_col + impact, value=count or None)
            cell.fill = _band_fill(band_colours, scale.band_for(likelihood * impact))
            cell.alignment = center
            cell.border = _box()
            cell.font = Font(bold=bool(count), size=12)
        sheet.row_dimensions[row].height = 28
    widths(sheet, [22] + [13] * len(LEVELS), first=first_col)
