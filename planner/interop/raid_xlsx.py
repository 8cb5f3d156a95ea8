"""The RAID log workbook: one sheet per kind (issues, actions, decisions, change requests).

Headers are written in the reader's language and read in either language. User text is
neutralised against formula injection on export and restored on import. Reading gives
plain rows (``{attribute: text or date}``) with their sheet line; the service applies them.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from planner.domain.errors import ImportFormatError, Problem
from planner.interop.neutralise import neutralise, restore
from planner.interop.risks import check_xlsx_container


@dataclass(frozen=True)
class Col:
    attribute: str
    en: str
    zh: str
    width: int = 16
    # computed by the planner (a change's cost): written for the reader, never read back
    computed: bool = False
    # a coded value written in the reader's words: {code: (en, zh)}
    words: tuple[tuple[str, str, str], ...] = ()


# why a change request's cost reads as it does (the same three cases as its page)
COST_STATUS: Final = (
    ("priced", "priced", "已计价"),
    ("untracked", "not priced: the program tracks no money", "未计价：本项目未记录费率和成本"),
    ("unrecorded", "not recorded when decided", "决定时未记录"),
)


SHEETS: Final[dict[str, tuple[str, str, tuple[Col, ...]]]] = {
    "issue": (
        "Issues",
        "问题",
        (
            Col("key", "Key", "编号", 8),
            Col("title", "Title", "标题", 36),
            Col("description", "Description", "描述", 40),
            Col("severity", "Severity", "严重程度", 10),
            Col("owner", "Owner", "负责人"),
            Col("due_date", "Due date", "截止日期", 12),
            Col("status", "Status", "状态", 12),
            Col("resolution", "Resolution", "解决说明", 30),
            Col("items", "Work items", "工作项"),
            Col("phases", "Phases", "阶段"),
            Col("risks", "Risks", "风险"),
            Col("source_risk", "From risk", "来源风险", 10),
        ),
    ),
    "action": (
        "Actions",
        "行动",
        (
            Col("key", "Key", "编号", 8),
            Col("owner_kind", "Belongs to", "所属类型", 12),
            Col("parent", "Parent key", "所属编号", 12),
            Col("title", "Action", "行动", 40),
            Col("owner", "Owner", "负责人"),
            Col("due_date", "Due date", "截止日期", 12),
            Col("done", "Done", "已完成", 8),
        ),
    ),
    "decision": (
        "Decisions",
        "决策",
        (
            Col("key", "Key", "编号", 8),
            Col("title", "What was decided", "决策内容", 40),
            Col("rationale", "Why", "理由", 40),
            Col("options", "Options considered", "备选方案", 30),
            Col("decided_by", "Decided by", "决策人"),
            Col("decided_on", "Decided on", "决策日期", 12),
            Col("issue", "Issue", "问题", 8),
        ),
    ),
    "change": (
        "Change requests",
        "变更请求",
        (
            Col("key", "Key", "编号", 8),
            Col("title", "Requested change", "变更内容", 36),
            Col("kind", "Kind", "变更类型", 14),
            Col("work_item", "Work item", "工作项", 12),
            Col("days", "Days", "天数", 8),
            Col("new_date", "New date", "新日期", 12),
            Col("phase", "Phase", "阶段", 12),
            Col("requester", "Requester", "提出人"),
            Col("justification", "Justification", "理由", 36),
            Col("status", "Status", "状态", 12),
            Col("cost_delta", "Cost change", "成本变化", 14, computed=True),
            Col("cost_currency", "Currency", "币种", 10, computed=True),
            Col("cost_status", "Cost", "成本", 24, computed=True, words=COST_STATUS),
        ),
    ),
}
MAX_ROWS: Final = 5000


@dataclass(frozen=True)
class SheetRow:
    kind: str
    line: int
    values: Mapping[str, Any]

    @property
    def where(self) -> str:
        return f"{SHEETS[self.kind][0]}:{self.line}"


def write_workbook(rows: Mapping[str, Sequence[Mapping[str, Any]]], lang: str) -> bytes:
    """One sheet per kind; ``rows[kind]`` are dicts keyed by the sheet's attributes."""
    from openpyxl import Workbook

    from planner.interop.xlsx_cells import dark_header_cell, widths

    zh = lang.startswith("zh")
    workbook = Workbook()
    workbook.remove(workbook.active)
    for kind, (name_en, name_zh, cols) in SHEETS.items():
        sheet = workbook.create_sheet(name_zh if zh else name_en)
        for index, col in enumerate(cols, start=1):
            dark_header_cell(sheet.cell(row=1, column=index, value=col.zh if zh else col.en))
        widths(sheet, [col.width for col in cols])
        for r, values in enumerate(rows.get(kind, ()), start=2):
            for index, col in enumerate(cols, start=1):
                value = values.get(col.attribute)
                if value is None or value == "":
                    continue
                value = _word(col, value, zh)
                cell = sheet.cell(row=r, column=index)
                if isinstance(value, float):
                    cell.value = value
                    cell.number_format = "#,##0.00"
                elif isinstance(value, dt.date):
                    cell.value = value
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(value, bool | int):
                    cell.value = int(value)
                else:
                    cell.value = neutralise(str(value))
                    cell.data_type = "s"
        sheet.freeze_panes = "B2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _word(col: Col, value: Any, zh: bool) -> Any:
    for code, en, zh_word in col.words:
        if value == code:
            return zh_word if zh else en
    return value


def _refuse(code: str, **params: object) -> ImportFormatError:
    return ImportFormatError(problems=[Problem("file", code, params)])


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return str(restore(value)).strip()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _sheet_rows(kind: str, sheet: Any) -> list[SheetRow]:
    cols = SHEETS[kind][2]
    # computed columns are left out: a file read back changes nothing the planner works out
    by_header = {h: c.attribute for c in cols if not c.computed for h in (c.en.casefold(), c.zh)}
    lines = sheet.iter_rows(values_only=True)
    header = next(lines, None) or ()
    attrs = [by_header.get(str(h or "").strip().casefold()) for h in header]
    rows = []
    for line, values in enumerate(lines, start=2):
        if line > MAX_ROWS:
            raise _refuse("raid.file.too_many_rows", max=MAX_ROWS)
        data = {
            a: _cell(v) for a, v in zip(attrs, values, strict=False) if a and v not in (None, "")
        }
        if data:
            rows.append(SheetRow(kind, line, data))
    return rows


def read_workbook(data: bytes) -> list[SheetRow]:
    """Every filled row of the sheets found (by name, in either language)."""
    check_xlsx_container(data)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many types for a damaged file
        raise _refuse("raid.file.unreadable") from None
    try:
        rows: list[SheetRow] = []
        found = False
        for kind, (name_en, name_zh, _cols) in SHEETS.items():
            for name in (name_en, name_zh):
                if name in workbook.sheetnames:
                    found = True
                    rows.extend(_sheet_rows(kind, workbook[name]))
    except ImportFormatError:
        raise
    except Exception:  # noqa: BLE001 - XML, zip and openpyxl errors of a damaged sheet
        raise _refuse("raid.file.unreadable") from None
    finally:
        workbook.close()
    if not found:
        raise _refuse("raid.file.no_sheet")
    return rows
