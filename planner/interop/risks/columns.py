"""The register file's columns: their headers in English and Chinese and how each cell is read."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from planner.domain.errors import ValidationError
from planner.domain.risk import (
    RESPONSE_STRATEGIES,
    STATUSES,
    check_level,
)
from planner.interop.neutralise import restore

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


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: Any) -> str:
    if is_blank(value):
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
    return as_text(value)


def parse_optional_text(value: Any) -> str | None:
    return as_text(value) or None


def parse_required_text(value: Any) -> str:
    text = as_text(value).strip()
    if not text:
        raise CellError("risk.file.text_empty")
    return text


_KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def parse_key(value: Any) -> str:
    text = as_text(value).strip()
    if not text:
        raise CellError("risk.file.key_empty")
    if not _KEY_RE.match(text):
        raise CellError("risk.file.key_pattern", value=_show(text))
    return text


def _level(value: Any, required: bool) -> int | None:
    if is_blank(value):
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
    if is_blank(value):
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
        if is_blank(value):
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
    if is_blank(value):
        return ()
    parts = [p for p in re.split(r"[\s,;，；]+", as_text(value)) if p]
    return tuple(dict.fromkeys(parts))


def parse_rank(value: Any) -> int | None:
    if is_blank(value):
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

BY_HEADER: Final[dict[str, Column]] = {
    name.casefold(): column for column in COLUMNS for name in (column.en, column.zh)
}
ACTION_BY_HEADER: Final[dict[str, Column]] = {
    name.casefold(): column for column in ACTION_COLUMNS for name in (column.en, column.zh)
}
