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
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    def words(name: str) -> str:
        return translate(WORKBOOK_WORDS[name])

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = REGISTER_SHEET
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    header_fill = PatternFill("solid", fgColor="1F4E79")
    thin = Side(style="thin", color="BFBFBF")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)

    def text_cell(ws: Any, row: int, col: int, value: str) -> Any:
        cell = ws.cell(row=row, column=col)
        cell.value = neutralise(value)
        cell.data_type = "s"  # a user string is text, whatever it starts with
        return cell

    heading = f"{words('register')} — {title} — {as_of.isoformat()}"
    text_cell(sheet, 1, 1, heading).font = Font(bold=True, size=14)
    header_row = 3
    for index, column in enumerate(COLUMNS, start=1):
        cell = text_cell(sheet, header_row, index, column.header(lang))
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = box
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    rating_columns = {"inherent_rating": "inherent", "residual_rating": "residual"}
    for offset, record in enumerate(records):
        row = header_row + 1 + offset
        values = _cell_values(record, scale, band_labels, as_of)
        snap = record.snapshot()
        for index, column in enumerate(COLUMNS, start=1):
            value = values[column.attribute]
            if value is None or value == "":
                cell = sheet.cell(row=row, column=index)
            elif isinstance(value, str):
                cell = text_cell(sheet, row, index, value)
            elif isinstance(value, dt.date):
                cell = sheet.cell(row=row, column=index, value=value)
                cell.number_format = "yyyy-mm-dd"
            else:
                cell = sheet.cell(row=row, column=index, value=value)
            cell.alignment = wrap
            cell.border = box
            if column.attribute in rating_columns:
                band = snap.band(rating_columns[column.attribute], scale)  # type: ignore[arg-type]  # the rating columns hold the scale's numbers
                cell.fill = PatternFill("solid", fgColor=_hex(band_colours.get(band, "#FFFFFF")))
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)
    last = header_row + max(len(records), 1)
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(COLUMNS))}{last}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"

    _write_heat_map_sheet(
        workbook.create_sheet(HEAT_MAP_SHEET),
        records,
        scale=scale,
        band_labels=band_labels,
        band_colours=band_colours,
        text_cell=text_cell,
        words=words,
        styles=(bold, box),
    )

    actions = workbook.create_sheet(ACTIONS_SHEET)
    for index, column in enumerate(ACTION_COLUMNS, start=1):
        cell = text_cell(actions, 1, index, column.header(lang))
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
        actions.column_dimensions[get_column_letter(index)].width = column.width
    row = 2
    for record in records:
        for action in record.actions:
            text_cell(actions, row, 1, record.key)
            text_cell(actions, row, 2, action.title)
            if action.owner:
                text_cell(actions, row, 3, action.owner)
            if action.due:
                actions.cell(row=row, column=4, value=action.due).number_format = "yyyy-mm-dd"
            text_cell(actions, row, 5, words("yes") if action.done else words("no"))
            row += 1
    actions.freeze_panes = "A2"

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _write_heat_map_sheet(
    sheet: Any,
    records: Sequence[RiskRecord],
    *,
    scale: RiskScale,
    band_labels: Mapping[str, str],
    band_colours: Mapping[str, str],
    text_cell: Callable[[Any, int, int, str], Any],
    words: Callable[[str], str],
    styles: tuple[Any, Any],
) -> None:
    """Two 5×5 grids of open-risk counts, inherent beside residual, cells in band colours."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold, box = styles
    snapshots = [record.snapshot() for record in records]
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    text_cell(sheet, 1, 1, words("heat_map")).font = Font(bold=True, size=14)
    grids = (("inherent", words("inherent"), 1), ("residual", words("residual"), 9))
    for which, caption, first_col in grids:
        counts = heat_map(snapshots, which)  # type: ignore[arg-type]  # which is one of the heat map's kinds
        text_cell(sheet, 3, first_col, caption).font = bold
        text_cell(sheet, 4, first_col, words("corner")).font = bold
        for impact in LEVELS:
            label = f"{impact} {scale.impact_levels[impact - 1]}"
            cell = text_cell(sheet, 4, first_col + impact, label)
            cell.font = bold
            cell.alignment = center
        for position, likelihood in enumerate(reversed(LEVELS)):
            row = 5 + position
            label = f"{likelihood} {scale.likelihood_levels[likelihood - 1]}"
            text_cell(sheet, row, first_col, label).font = bold
            for impact in LEVELS:
                count = counts[likelihood - 1][impact - 1]
                cell = sheet.cell(row=row, column=first_col + impact, value=count or None)
                band = scale.band_for(likelihood * impact)
                cell.fill = PatternFill("solid", fgColor=_hex(band_colours.get(band, "#FFFFFF")))
                cell.alignment = center
                cell.border = box
                cell.font = Font(bold=bool(count), size=12)
            sheet.row_dimensions[row].height = 28
        sheet.column_dimensions[get_column_letter(first_col)].width = 22
        for impact in LEVELS:
            sheet.column_dimensions[get_column_letter(first_col + impact)].width = 13
    legend_row = 12
    text_cell(sheet, legend_row, 1, words("bands")).font = bold
    for offset, scale_band in enumerate(scale.bands, start=1):
        band = scale_band.name
        cell = text_cell(sheet, legend_row + offset, 1, band_labels.get(band, band))
        cell.fill = PatternFill("solid", fgColor=_hex(band_colours.get(band, "#FFFFFF")))
        text_cell(sheet, legend_row + offset, 2, f"{scale_band.min_score}–{scale_band.max_score}")
