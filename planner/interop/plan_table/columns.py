"""The plan table's vocabulary: its columns and the labels they are known by, the values of
its Type and Constraint cells, and MS Project's Predecessors notation (``12FS+2d;14SS``)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Final

from planner.interop.messages import N_, Message
from planner.interop.plandata import LINK_TYPES, ConstraintType, ItemKind, LinkType, PhaseData

COLUMNS: Final = (
    "ID",
    "Key",
    "Name",
    "Phase",
    "Workstream",
    "Type",
    "Duration (days)",
    "Start",
    "Finish",
    "Percent complete",
    "Owner",
    "Predecessors",
    "Constraint",
    "Constraint date",
    "Actual start",
    "Actual finish",
)
_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "ID": ("id", "#", "标识号", "序号"),
    "Key": ("key", "item key", "键", "计划键"),
    "Name": ("name", "task name", "work item", "名称", "任务名称"),
    "Phase": ("phase", "阶段"),
    "Workstream": ("workstream", "work stream", "工作流"),
    "Type": ("type", "kind", "类型"),
    "Duration (days)": ("duration (days)", "duration", "days", "工期", "工期（天）", "工期(天)"),
    "Start": ("start", "early start", "开始时间", "开始"),
    "Finish": ("finish", "early finish", "完成时间", "完成"),
    "Percent complete": ("percent complete", "% complete", "完成百分比"),
    "Owner": ("owner", "resource names", "负责人", "资源名称"),
    "Predecessors": ("predecessors", "前置任务"),
    "Constraint": ("constraint", "constraint type", "限制类型"),
    "Constraint date": ("constraint date", "限制日期"),
    "Actual start": ("actual start", "实际开始时间", "实际开始"),
    "Actual finish": ("actual finish", "实际完成时间", "实际完成"),
}
NAME_EN: Final = "Name (English)"
NAME_ZH: Final = "Name (Chinese)"
VERSION: Final = "Version"
EXTRA_COLUMNS: Final = (NAME_EN, NAME_ZH, VERSION)
"""Columns written after :data:`COLUMNS` when they say something: the name in the language
the Name column is not in (a file exported in ``lang``), and each row's version."""
ALL_COLUMNS: Final = (*COLUMNS, *EXTRA_COLUMNS)
_ALIASES[NAME_EN] = ("name (english)", "name (en)", "english name", "名称（英文）", "英文名称")
_ALIASES[NAME_ZH] = ("name (chinese)", "name (zh)", "chinese name", "名称（中文）", "中文名称")
_ALIASES[VERSION] = ("version", "row version", "版本", "行版本")
HeaderLabels = Mapping[str, str]
"""Canonical column name (one of :data:`COLUMNS`) → the header label a file uses for it."""
_TEXT_COLUMNS: Final = ("Key", "Name", "Phase", "Workstream", "Owner", NAME_EN, NAME_ZH)
_DATE_COLUMNS: Final = ("Start", "Finish", "Constraint date", "Actual start", "Actual finish")

_KINDS: Final[dict[str, ItemKind]] = {
    "task": "task",
    "t": "task",
    "任务": "task",
    "milestone": "milestone",
    "m": "milestone",
    "里程碑": "milestone",
}
_CONSTRAINTS: Final[dict[str, ConstraintType | None]] = {
    "snet": "SNET",
    "start no earlier than": "SNET",
    "不得早于...开始": "SNET",
    "fnlt": "FNLT",
    "finish no later than": "FNLT",
    "不得晚于...完成": "FNLT",
    "asap": None,
    "as soon as possible": None,
    "越早越好": None,
}
_PREDECESSOR = re.compile(
    r"^(?P<id>\d+)\s*(?P<type>FS|SS|FF|SF)?\s*"
    r"(?:(?P<sign>[+-])\s*(?P<lag>\d+)\s*(?P<unit>d|days?|edays?|天|工作日|个工作日)?)?$",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"[;,；，、]")
_DURATION = re.compile(
    r"^(?P<n>\d+)(?:\.0+)?\s*(?:d|days?|天|个工作日|工作日)?$",
    re.IGNORECASE,
)
_WHOLE = re.compile(r"^(?P<n>\d+)(?:\.0+)?$")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")


def _fold(label: str) -> str:
    """A header label as it is matched: lower case, runs of spaces as one."""
    return re.sub(r"\s+", " ", label.strip().lower())


# ============================================================================================
# predecessors notation


def format_predecessors(links: Iterable[tuple[int, LinkType, int]]) -> str:
    """``(id, type, lag)`` triples in MS Project's notation.

    Examples:
        >>> format_predecessors([(12, "FS", 2), (14, "SS", 0), (3, "FF", -1), (7, "FS", 0)])
        '12FS+2d;14SS;3FF-1d;7'
    """
    out = []
    for number, kind, lag in links:
        if kind == "FS" and lag == 0:
            out.append(str(number))
        elif lag == 0:
            out.append(f"{number}{kind}")
        else:
            out.append(f"{number}{kind}{lag:+d}d")
    return ";".join(out)


class PredecessorsError(ValueError):
    """A Predecessors cell that is not like 12, 12SS or 12FS+2d; ``part`` is the bad part."""

    def __init__(self, part: str) -> None:
        super().__init__(f'"{part}" is not like 12, 12SS or 12FS+2d (lags in working days)')
        self.part = part


def _cell(row: int, column: str) -> str:
    """Where in the file, worded in the reader's language where it is shown (a Message)."""
    return Message(N_('row %(row)s, column "%(column)s"'), row=row, column=column)


def _row(row: int) -> str:
    return Message(N_("row %(row)s"), row=row)


def _line(line: int) -> str:
    return Message(N_("line %(line)s"), line=line)


def parse_predecessors(text: str) -> list[tuple[int, LinkType, int]]:
    """The ``(id, type, lag)`` triples of a Predecessors cell; ValueError names a bad part.

    Examples:
        >>> parse_predecessors("12FS+2d; 14ss, 3FF-1 days;7")
        [(12, 'FS', 2), (14, 'SS', 0), (3, 'FF', -1), (7, 'FS', 0)]
        >>> parse_predecessors("12FS+2w")
        Traceback (most recent call last):
        ...
        planner.interop.plan_table.columns.PredecessorsError: "12FS+2w" is not like 12, 12SS or \
12FS+2d (lags in working days)
    """
    out: list[tuple[int, LinkType, int]] = []
    for part in _SEPARATORS.split(text):
        part = part.strip()
        if not part:
            continue
        match = _PREDECESSOR.match(part)
        if not match:
            raise PredecessorsError(part)
        kind = (match["type"] or "FS").upper()
        assert kind in LINK_TYPES
        lag = int(match["lag"] or 0) * (-1 if match["sign"] == "-" else 1)
        out.append((int(match["id"]), kind, lag))
    return out


def _phase_labels(phases: Sequence[PhaseData]) -> dict[str, str]:
    """Each phase's label in the Phase column: its name, or its key when another phase has
    the same name or a key equal to that name (so that labels are unique)."""
    labels: dict[str, str] = {}
    for phase in phases:
        clash = any(
            other is not phase and phase.name in (other.name, other.key) for other in phases
        )
        labels[phase.key] = phase.key if clash else phase.name
    return labels
