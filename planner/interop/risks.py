"""The risk register as a spreadsheet: .xlsx (openpyxl) and .csv, written and read.

Plain data in and out; no database access. The layout is the one a steering committee
expects: one row per risk on a "Register" sheet (a title row, then the header), the heat map
of open risks on a second sheet, and the mitigation actions one per row on an "Actions"
sheet so that export → import gives back the same register.

Writing: user strings always go into text cells, neutralised by
:func:`planner.interop.neutralise.neutralise`, so nothing a user typed becomes a formula.
Reading: all or nothing; every bad cell is reported as
``row 14, column "Likelihood": expected 1–5, got "high"`` in one
:class:`~planner.domain.errors.ImportFormatError`. An .xlsx that is not a zip, or whose
size or unpacked size is huge, is refused before openpyxl opens it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from planner.domain.errors import ImportFormatError, Problem, ValidationError
from planner.domain.risk import (
    LEVELS,
    RESPONSE_STRATEGIES,
    STATUSES,
    RiskScale,
    RiskSnapshot,
    check_level,
    heat_map,
)
from planner.interop.messages import N_, Message
from planner.interop.neutralise import neutralise, restore

MAX_FILE_BYTES: Final = 5 * 1024 * 1024
"""Largest upload read at all (the register of a program is a few hundred kB at most)."""
MAX_UNPACKED_BYTES: Final = 50 * 1024 * 1024
"""Largest total unpacked size of an .xlsx (a zip bomb is refused before it is opened)."""
MAX_ZIP_ENTRIES: Final = 500
MAX_ROWS: Final = 5000
HEADER_SEARCH_ROWS: Final = 10

REGISTER_SHEET: Final = "Register"
HEAT_MAP_SHEET: Final = "Heat map"
ACTIONS_SHEET: Final = "Actions"


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class ActionRecord:
    """A mitigation action as written to, or read from, the Actions sheet."""

    title: str
    owner: str | None = None
    due: dt.date | None = None
    done: bool = False


@dataclass(frozen=True)
class RiskRecord:
    """One risk of the register as a file holds it (codes, keys and dates; no ids)."""

    key: str
    title: str
    likelihood: int
    impact: int
    category: str = ""
    owner: str | None = None
    status: str = "open"
    response: str = "mitigate"
    mitigation: str = ""
    residual_likelihood: int | None = None
    residual_impact: int | None = None
    contingency: str = ""
    trigger: str = ""
    proximity_date: dt.date | None = None
    proximity_phase: str | None = None
    review_date: dt.date | None = None
    threatened_phases: tuple[str, ...] = ()
    threatened_work_items: tuple[str, ...] = ()
    description: str = ""
    cause: str = ""
    effect: str = ""
    occurred_on: dt.date | None = None
    issue_note: str = ""
    rank: int | None = None
    title_zh: str | None = None
    description_zh: str | None = None
    mitigation_zh: str | None = None
    cause_zh: str | None = None
    effect_zh: str | None = None
    actions: tuple[ActionRecord, ...] = ()

    def snapshot(self) -> RiskSnapshot:
        """The domain view of this record (for scores, bands and the heat map)."""
        return RiskSnapshot(
            key=self.key,
            title=self.title,
            status=self.status,
            category=self.category or None,
            owner=self.owner,
            inherent_likelihood=self.likelihood,
            inherent_impact=self.impact,
            residual_likelihood=self.residual_likelihood,
            residual_impact=self.residual_impact,
            review_date=self.review_date,
        )


@dataclass(frozen=True)
class ImportedRow:
    """A register row read from a file: only the columns the file has, already parsed."""

    row: int
    values: Mapping[str, Any]

    @property
    def key(self) -> str:
        return str(self.values["key"])


@dataclass(frozen=True)
class ImportedAction:
    row: int
    risk_key: str
    action: ActionRecord


@dataclass(frozen=True)
class ImportedRegister:
    """A whole file, checked cell by cell; program-dependent checks are the caller's."""

    rows: tuple[ImportedRow, ...]
    # None when the file has no Actions sheet (a CSV never has): leave actions alone
    actions: tuple[ImportedAction, ...] | None
    # attribute → the header as the file spells it (for messages about later checks)
    headers: Mapping[str, str] = field(default_factory=dict)
    ignored_headers: tuple[str, ...] = ()

    def cell(self, row: int, attribute: str) -> str:
        """Where a cell is, worded where it is shown: ``row 14, column "Likelihood"``."""
        return cell_at(row, self.headers.get(attribute, attribute))


def cell_at(row: int, column: str, sheet: str | None = None) -> str:
    """Where a cell is (a :class:`~planner.interop.messages.Message`, worded on display)."""
    if sheet is None:
        return Message(N_('row %(row)s, column "%(column)s"'), row=row, column=column)
    return Message(
        N_('sheet %(sheet)s, row %(row)s, column "%(column)s"'),
        sheet=sheet,
        row=row,
        column=column,
    )


# --------------------------------------------------------------------------- columns


Parser = Callable[[Any], Any]


class CellError(ValueError):
    """A cell value that does not fit its column: a message code and its parameters."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_text(value: Any) -> str:
    if _blank(value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(restore(value)) if isinstance(value, str) else str(value)
    # spreadsheets keep Windows line ends inside cells; a register keeps plain newlines
    return text.replace("\r\n", "\n")


def parse_text(value: Any) -> str:
    return _as_text(value)


def parse_optional_text(value: Any) -> str | None:
    return _as_text(value) or None


def parse_required_text(value: Any) -> str:
    text = _as_text(value).strip()
    if not text:
        raise CellError("risk.file.text_empty")
    return text


_KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def parse_key(value: Any) -> str:
    text = _as_text(value).strip()
    if not text:
        raise CellError("risk.file.key_empty")
    if not _KEY_RE.match(text):
        raise CellError("risk.file.key_pattern", value=_show(text))
    return text


def _level(value: Any, required: bool) -> int | None:
    if _blank(value):
        if required:
            raise CellError("risk.file.level_empty")
        return None
    candidate: Any = value
    if isinstance(value, float) and value.is_integer():
        candidate = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        candidate = int(value.strip())
    elif isinstance(value, str):
        candidate = value.strip()
    try:
        return check_level(candidate, "level")
    except ValidationError as exc:
        problem = exc.problems[0]
        raise CellError(problem.code, **problem.params) from None


def parse_level(value: Any) -> int:
    level = _level(value, required=True)
    assert level is not None
    return level


def parse_optional_level(value: Any) -> int | None:
    return _level(value, required=False)


_DATE_RE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


def parse_date(value: Any) -> dt.date | None:
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    match = _DATE_RE.match(text)
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise CellError("risk.file.date", value=_show(value))


def _choice(allowed: Sequence[str], default: str) -> Parser:
    def parse(value: Any) -> str:
        if _blank(value):
            return default
        text = str(value).strip().casefold()
        for option in allowed:
            if text == option:
                return option
        raise CellError("risk.file.choice", known=", ".join(allowed), value=_show(value))

    return parse


parse_status = _choice(STATUSES, "open")
parse_response = _choice(RESPONSE_STRATEGIES, "mitigate")


def parse_keys(value: Any) -> tuple[str, ...]:
    if _blank(value):
        return ()
    parts = [p for p in re.split(r"[\s,;，；]+", _as_text(value)) if p]
    return tuple(dict.fromkeys(parts))


def parse_rank(value: Any) -> int | None:
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 10000:
        return value
    raise CellError("risk.file.rank", value=_show(value))


_TRUE = {"yes", "y", "true", "1", "x", "done", "✓", "✔", "是", "完成", "已完成"}
_FALSE = {"no", "n", "false", "0", "", "open", "否", "未完成"}


def parse_done(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError("risk.file.yes_no", value=_show(value))


@dataclass(frozen=True)
class Column:
    """One register column: its attribute, headers in English and Chinese, and its kind."""

    attribute: str
    en: str
    zh: str
    parse: Parser | None = None  # None: computed on export, ignored on import
    width: int = 14
    required: bool = False

    def header(self, lang: str) -> str:
        return self.zh if lang.startswith("zh") else self.en


COLUMNS: Final[tuple[Column, ...]] = (
    Column("key", "Key", "编号", parse_key, 14, required=True),
    Column("title", "Title", "标题", parse_required_text, 40, required=True),
    Column("category", "Category", "类别", parse_text, 14),
    Column("owner", "Owner", "负责人", parse_optional_text, 18),
    Column("status", "Status", "状态", parse_status, 12),
    Column("likelihood", "Likelihood", "可能性", parse_level, 11, required=True),
    Column("impact", "Impact", "影响", parse_level, 9, required=True),
    Column("inherent_score", "Inherent score", "固有分值", None, 10),
    Column("inherent_rating", "Inherent rating", "固有等级", None, 11),
    Column("response", "Response", "应对策略", parse_response, 11),
    Column("mitigation", "Mitigation", "缓解措施", parse_text, 40),
    Column("residual_likelihood", "Residual likelihood", "剩余可能性", parse_optional_level, 11),
    Column("residual_impact", "Residual impact", "剩余影响", parse_optional_level, 10),
    Column("residual_score", "Residual score", "剩余分值", None, 10),
    Column("residual_rating", "Residual rating", "剩余等级", None, 11),
    Column("open_actions", "Open actions", "未完成行动", None, 40),
    Column("contingency", "Contingency", "应急预案", parse_text, 30),
    Column("trigger", "Trigger", "触发条件", parse_text, 30),
    Column("proximity_date", "Proximity date", "临近日期", parse_date, 13),
    Column("proximity_phase", "Proximity phase", "临近阶段", parse_optional_text, 16),
    Column("review_date", "Next review", "下次复核", parse_date, 13),
    Column("threatened_phases", "Threatened phases", "影响的阶段", parse_keys, 20),
    Column("threatened_work_items", "Threatened work items", "影响的工作项", parse_keys, 24),
    Column("description", "Description", "描述", parse_text, 40),
    Column("cause", "Cause", "原因", parse_text, 30),
    Column("effect", "Effect", "后果", parse_text, 30),
    Column("occurred_on", "Occurred on", "发生日期", parse_date, 13),
    Column("issue_note", "Issue note", "问题说明", parse_text, 30),
    Column("rank", "Rank", "排名", parse_rank, 7),
    Column("title_zh", "Title (Chinese)", "标题（中文）", parse_optional_text, 30),
    Column("description_zh", "Description (Chinese)", "描述（中文）", parse_optional_text, 30),
    Column("mitigation_zh", "Mitigation (Chinese)", "缓解措施（中文）", parse_optional_text, 30),
    Column("cause_zh", "Cause (Chinese)", "原因（中文）", parse_optional_text, 30),
    Column("effect_zh", "Effect (Chinese)", "后果（中文）", parse_optional_text, 30),
)
"""The register columns in the order they are written."""

ACTION_COLUMNS: Final[tuple[Column, ...]] = (
    Column("risk_key", "Risk key", "风险编号", parse_key, 14, required=True),
    Column("title", "Action", "行动", parse_required_text, 50, required=True),
    Column("owner", "Owner", "负责人", parse_optional_text, 18),
    Column("due", "Due", "截止日期", parse_date, 13),
    Column("done", "Done", "已完成", parse_done, 8),
)

_BY_HEADER: Final[dict[str, Column]] = {
    name.casefold(): column for column in COLUMNS for name in (column.en, column.zh)
}
_ACTION_BY_HEADER: Final[dict[str, Column]] = {
    name.casefold(): column for column in ACTION_COLUMNS for name in (column.en, column.zh)
}


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


def write_xlsx(
    records: Sequence[RiskRecord],
    *,
    title: str,
    scale: RiskScale,
    band_labels: Mapping[str, str],
    band_colours: Mapping[str, str],
    as_of: dt.date,
    lang: str = "en",
) -> bytes:
    """The register workbook: Register (one row per risk), Heat map, Actions."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    zh = lang.startswith("zh")
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

    heading = ("风险登记册" if zh else "Risk register") + f" — {title} — {as_of.isoformat()}"
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
        lang=lang,
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
            text_cell(
                actions, row, 5, ("是" if zh else "yes") if action.done else ("否" if zh else "no")
            )
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
    lang: str,
    styles: tuple[Any, Any],
) -> None:
    """Two 5×5 grids of open-risk counts, inherent beside residual, cells in band colours."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    zh = lang.startswith("zh")
    bold, box = styles
    snapshots = [record.snapshot() for record in records]
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    text_cell(sheet, 1, 1, "热力图（未关闭风险数）" if zh else "Heat map (open risks)").font = Font(
        bold=True, size=14
    )
    grids = (
        ("inherent", "固有（应对前）" if zh else "Inherent (before response)", 1),
        ("residual", "剩余（应对后）" if zh else "Residual (after response)", 9),
    )
    for which, caption, first_col in grids:
        counts = heat_map(snapshots, which)  # type: ignore[arg-type]  # which is one of the heat map's kinds
        text_cell(sheet, 3, first_col, caption).font = bold
        corner = "可能性 ↓ / 影响 →" if zh else "Likelihood ↓ / Impact →"
        text_cell(sheet, 4, first_col, corner).font = bold
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
    text_cell(sheet, legend_row, 1, "评级" if zh else "Rating bands").font = bold
    for offset, scale_band in enumerate(scale.bands, start=1):
        band = scale_band.name
        cell = text_cell(sheet, legend_row + offset, 1, band_labels.get(band, band))
        cell.fill = PatternFill("solid", fgColor=_hex(band_colours.get(band, "#FFFFFF")))
        text_cell(sheet, legend_row + offset, 2, f"{scale_band.min_score}–{scale_band.max_score}")


# --------------------------------------------------------------------------- import


def _refuse(code: str, /, **params: Any) -> ImportFormatError:
    """The refusal of a whole file (``field`` empty: it is about no cell)."""
    return ImportFormatError.of("", code, **params)


def check_xlsx_container(data: bytes) -> None:
    """Refuse, before openpyxl sees it, an .xlsx that is not a zip or unpacks to too much."""
    if len(data) > MAX_FILE_BYTES:
        raise _refuse("risk.file.too_big", size=len(data), max=MAX_FILE_BYTES)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _refuse("risk.file.not_zip")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse("risk.file.not_xlsx", error=str(exc)) from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise _refuse("risk.file.parts", parts=len(entries), max=MAX_ZIP_ENTRIES)
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNPACKED_BYTES:
        raise _refuse("risk.file.unpacks", size=unpacked, max=MAX_UNPACKED_BYTES)
    if "xl/workbook.xml" not in names:
        raise _refuse("risk.file.zip_not_xlsx")


def decode_csv(data: bytes) -> str:
    """Text of a CSV: UTF-8 (with or without BOM), else GB18030 (Chinese Excel's default)."""
    if len(data) > MAX_FILE_BYTES:
        raise _refuse("risk.file.too_big", size=len(data), max=MAX_FILE_BYTES)
    if data.startswith(b"\xef\xbb\xbf"):  # a BOM says UTF-8: nothing else to try
        try:
            return data[3:].decode("utf-8", errors="strict")
        except UnicodeDecodeError as exc:
            raise _refuse("risk.file.bad_utf8", byte=str(exc.start + 3)) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030").removeprefix("\ufeff")  # GB18030 has a BOM of its own
    except UnicodeDecodeError:
        raise _refuse("table.encoding") from None


def _rows_from_csv(text: str) -> list[tuple[int, list[Any]]]:
    head = "\n".join(text.split("\n", HEADER_SEARCH_ROWS)[:HEADER_SEARCH_ROWS])
    delimiter = max((",", ";", "\t"), key=head.count) if head.strip() else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[Any]]] = []
    try:
        for number, row in enumerate(reader, start=1):
            rows.append((number, list(row)))
            if number > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise _refuse("table.too_many_rows", max=MAX_ROWS)
    except csv.Error as exc:
        raise _refuse("risk.file.bad_csv", line=str(reader.line_num), error=str(exc)) from None
    return rows


def _rows_from_sheet(sheet: Any) -> list[tuple[int, list[Any]]]:
    rows: list[tuple[int, list[Any]]] = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        rows.append((number, list(row)))
        if number > MAX_ROWS + HEADER_SEARCH_ROWS:
            raise _refuse("table.too_many_rows", max=MAX_ROWS)
    return rows


def _find_header(
    rows: list[tuple[int, list[Any]]], by_header: Mapping[str, Column], needed: Iterable[str]
) -> tuple[int, dict[int, Column], dict[str, str], list[str]] | None:
    """The header row: the first of the top rows naming every required column."""
    needed = set(needed)
    for position, (_number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        mapping: dict[int, Column] = {}
        headers: dict[str, str] = {}
        ignored: list[str] = []
        for index, cell in enumerate(cells):
            name = _as_text(cell).strip()
            column = by_header.get(name.casefold())
            if column is None or column.attribute in headers:
                if name:
                    ignored.append(name)
                continue
            mapping[index] = column
            headers[column.attribute] = name
        if needed <= headers.keys():
            return position, mapping, headers, ignored
    return None


def _missing_columns(columns: Sequence[Column], sheet: str | None) -> Problem:
    names = ", ".join(f'"{c.en}"' for c in columns if c.required)
    params = {"rows": str(HEADER_SEARCH_ROWS), "names": names}
    if sheet is None:
        return Problem("", "risk.file.no_header", params)
    where = Message(N_("sheet %(sheet)s"), sheet=sheet)
    return Problem(where, "risk.file.no_header_sheet", params)


def _parse_rows(
    rows: list[tuple[int, list[Any]]],
    columns: Sequence[Column],
    by_header: Mapping[str, Column],
    errors: list[Problem],
    sheet: str | None = None,
) -> tuple[list[tuple[int, dict[str, Any]]], dict[str, str], list[str]]:
    found = _find_header(rows, by_header, (c.attribute for c in columns if c.required))
    if found is None:
        errors.append(_missing_columns(columns, sheet))
        return [], {}, []
    position, mapping, headers, ignored = found
    parsed: list[tuple[int, dict[str, Any]]] = []
    for number, cells in rows[position + 1 :]:
        if all(_blank(cell) for cell in cells):
            continue
        values: dict[str, Any] = {}
        for index, column in mapping.items():
            if column.parse is None:
                continue
            raw = cells[index] if index < len(cells) else None
            try:
                values[column.attribute] = column.parse(raw)
            except CellError as exc:
                where = cell_at(number, headers[column.attribute], sheet)
                errors.append(Problem(where, exc.code, exc.params))
        parsed.append((number, values))
    return parsed, headers, ignored


def read_register(filename: str, data: bytes) -> ImportedRegister:
    """Read a register from an .xlsx or .csv file; raise ImportFormatError listing every fault."""
    register, errors = parse_register(filename, data)
    if errors:
        raise ImportFormatError(problems=errors)
    return register


def error_order(problem: Problem) -> tuple[int, int]:
    """Sort key putting problems in file order: register rows first, then the Actions sheet."""
    params = getattr(problem.field, "params", {})
    row = params.get("row", 0)
    return (1 if "sheet" in params else 0, row if isinstance(row, int) else 0)


def parse_register(filename: str, data: bytes) -> tuple[ImportedRegister, list[Problem]]:
    """Read a register, returning the bad cells beside the good ones (for further checks).

    A file that cannot be read at all (not an .xlsx, no header row …) raises at once. Rows
    keep only the cells that parsed; the caller must not save anything while errors remain.
    """
    name = filename.lower()
    if name.endswith(".csv"):
        register_rows = _rows_from_csv(decode_csv(data))
        action_rows: list[tuple[int, list[Any]]] | None = None
    elif name.endswith((".xlsx", ".xlsm")):
        register_rows, action_rows = _read_workbook(data)
    else:
        raise _refuse("risk.file.kind", name=filename)

    errors: list[Problem] = []
    parsed, headers, ignored = _parse_rows(register_rows, COLUMNS, _BY_HEADER, errors)
    rows: list[ImportedRow] = []
    seen: dict[str, int] = {}
    for number, values in parsed:
        key = values.get("key")
        if isinstance(key, str):
            if key in seen:
                errors.append(
                    Problem(
                        cell_at(number, headers["key"]),
                        "risk.file.key_twice",
                        {"key": key, "row": str(seen[key])},
                    )
                )
            seen.setdefault(key, number)
        rows.append(ImportedRow(number, values))
    if not rows and not errors:
        errors.append(Problem("", "risk.file.no_risks"))

    actions: list[ImportedAction] | None = None
    if action_rows is not None:
        actions = []
        parsed_actions, action_headers, _ignored = _parse_rows(
            action_rows, ACTION_COLUMNS, _ACTION_BY_HEADER, errors, ACTIONS_SHEET
        )
        for number, values in parsed_actions:
            risk_key = values.get("risk_key")
            if isinstance(risk_key, str) and risk_key not in seen:
                errors.append(
                    Problem(
                        cell_at(number, action_headers["risk_key"], ACTIONS_SHEET),
                        "risk.file.action_no_risk",
                        {"key": risk_key},
                    )
                )
            if any(k not in values for k in ("risk_key", "title")):
                continue
            actions.append(
                ImportedAction(
                    number,
                    values["risk_key"],
                    ActionRecord(
                        title=values["title"],
                        owner=values.get("owner"),
                        due=values.get("due"),
                        done=bool(values.get("done", False)),
                    ),
                )
            )
    fatal = [e for e in errors if not e.field]
    if fatal:
        raise ImportFormatError(problems=fatal)
    register = ImportedRegister(
        tuple(rows), tuple(actions) if actions is not None else None, headers, tuple(ignored)
    )
    return register, errors


def _read_workbook(
    data: bytes,
) -> tuple[list[tuple[int, list[Any]]], list[tuple[int, list[Any]]] | None]:
    check_xlsx_container(data)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise _refuse("risk.file.unreadable", error=f"{type(exc).__name__}: {exc}") from None
    try:
        names = workbook.sheetnames
        register = workbook[REGISTER_SHEET] if REGISTER_SHEET in names else workbook[names[0]]
        # read-only sheets are parsed only now, row by row: a truncated sheet or one with
        # entities fails here, not in load_workbook
        register_rows = _rows_from_sheet(register)
        action_rows = _rows_from_sheet(workbook[ACTIONS_SHEET]) if ACTIONS_SHEET in names else None
    except ImportFormatError:
        raise
    except Exception as exc:  # noqa: BLE001 - XML, zip and openpyxl errors of a damaged sheet
        raise _refuse("risk.file.sheet_unreadable", error=type(exc).__name__) from None
    finally:
        workbook.close()
    return register_rows, action_rows


def record_values(record: RiskRecord) -> dict[str, Any]:
    """The importable values of a record, as :func:`read_register` would give them."""
    return {
        column.attribute: getattr(record, column.attribute)
        for column in COLUMNS
        if column.parse is not None
    }
