"""What MSPDI's values mean to the planner: the codes of links, constraints and lag formats, the
custom fields the planner writes and reads, and how durations, dates, numbers and recurrences
are read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Final

from planner.interop.messages import N_, Message
from planner.interop.plandata import (
    ConstraintType,
    LinkType,
)

NAMESPACE: Final = "http://schemas.microsoft.com/project"
MINUTES_PER_DAY: Final = 480
HOURS_PER_DAY: Final = MINUTES_PER_DAY // 60
SAVE_VERSION: Final = 14  # MS Project 2010 and later
CALENDAR_UID: Final = 1
WORKING_TIMES: Final = (("08:00:00", "12:00:00"), ("13:00:00", "17:00:00"))
DAY_START: Final = "08:00:00"
DAY_END: Final = "17:00:00"

LINK_CODE: Final[dict[LinkType, int]] = {"FF": 0, "FS": 1, "SF": 2, "SS": 3}
LINK_TYPE: Final[dict[int, LinkType]] = {code: name for name, code in LINK_CODE.items()}
CONSTRAINT_CODE: Final[dict[ConstraintType, int]] = {"SNET": 4, "FNLT": 7}
FNET_CODE: Final = 6  # finish no earlier than


@dataclass(frozen=True)
class _Field:
    field_id: int
    field_name: str
    alias: str
    aliases: tuple[str, ...]  # accepted on reading, lower case


_KEY = _Field(188743731, "Text1", "Planner key", ("planner key", "key", "计划键"))
_WORKSTREAM = _Field(
    188743734, "Text2", "Workstream", ("workstream", "work stream", "planner workstream", "工作流")
)
_OWNER = _Field(188743737, "Text3", "Owner", ("owner", "planner owner", "负责人"))
# the ordinal as text: writers such as MPXJ leave out a Number field holding 0 (its default),
# and the diagnosis stage (ordinal 0) then came back as the last phase; a text "0" is kept
_ORDINAL = _Field(188743740, "Text4", "Planner phase ordinal", ("planner phase ordinal",))
_ORDINAL_NUMBER = _Field(  # files written before the ordinal became text
    188743767, "Number1", "Planner phase ordinal", ("planner phase ordinal",)
)
_WINDOW_START = _Field(188743732, "Start1", "Planner phase start", ("planner phase start",))
_WINDOW_END = _Field(188743733, "Finish1", "Planner phase end", ("planner phase end",))
# the name in the other language; the alias says which language that is
_NAME_ZH = _Field(188743743, "Text5", "Planner name (zh)", ("planner name (zh)",))
_NAME_EN = _Field(188743743, "Text5", "Planner name (en)", ("planner name (en)",))
# why a task carries a start-no-earlier-than the planner did not set (see _effective_constraint)
_HELD_BY = _Field(188743746, "Text6", "Planner held back by", ("planner held back by",))
# an item's own start-no-earlier-than when a later held-back bound was written instead
_OWN_SNET = _Field(
    188743735, "Start2", "Planner own start no earlier than", ("planner own start no earlier than",)
)
_FIELDS: Final = (
    _OWN_SNET,
    _KEY,
    _WORKSTREAM,
    _OWNER,
    _ORDINAL,
    _ORDINAL_NUMBER,
    _WINDOW_START,
    _WINDOW_END,
    _NAME_ZH,
    _NAME_EN,
    _HELD_BY,
)
_WRITTEN_FIELDS: Final = (_KEY, _WORKSTREAM, _OWNER, _ORDINAL, _WINDOW_START, _WINDOW_END)
HELD_BY_WINDOW: Final = "phase window"
HELD_BY_STATUS: Final = "status date"
CURRENCY_CODE: Final = "XXX"  # ISO 4217 "no currency": the planner holds no costs
# LagFormat codes of MSPDI
LAG_FORMAT: Final[dict[str, int]] = {"d": 7, "ed": 8, "w": 9, "pct": 19}


_DURATION = re.compile(
    r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)
_ELAPSED_FORMATS: Final = frozenset({4, 6, 8, 10, 12, 36, 38, 40, 42, 44})
_PERCENT_FORMATS: Final = frozenset({19, 20, 51, 52})
_WEEK_FORMATS: Final = frozenset({9, 41})
_MAX_EXCEPTION_DAYS: Final = 40_000  # about a century of daily exceptions
_NAME_SUFFIX = re.compile(r"\.(xml|mpp|mpx)$", re.IGNORECASE)


class _Bad(Exception):
    """A value that cannot be read; the reader records it against the task at hand."""


def _days(n: int) -> str:
    """A count of working days, worded where it is shown."""
    if abs(n) == 1:
        return Message(N_("%(n)s day"), n=n)
    return Message(N_("%(n)s days"), n=n)


def _duration_hours(text: str) -> float:
    match = _DURATION.match(text.strip())
    if not match or text.strip() in ("P", "PT"):
        raise _Bad(Message(N_('"%(text)s" is not a valid duration'), text=text))
    parts = {k: float(v) if v else 0.0 for k, v in match.groupdict().items()}
    return parts["d"] * 24 + parts["h"] + parts["m"] / 60 + parts["s"] / 3600


def _date(text: str) -> dt.date:
    value = text.strip()
    try:
        if "T" in value or " " in value:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _Bad(Message(N_('"%(text)s" is not a valid date'), text=text)) from None


def _number(text: str) -> Decimal:
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        raise _Bad(Message(N_('"%(text)s" is not a number'), text=text)) from None
    if not number.is_finite() or number.adjusted() > 15:
        raise _Bad(Message(N_('"%(text)s" is not a number of a sensible size'), text=text))
    return number


def _int(text: str) -> int:
    """A whole number ("3", "3.0"): an identifier, a code or a count, never rounded (a
    constraint type of 2.5 is no constraint type)."""
    number = _number(text)
    if number != number.to_integral_value():
        raise _Bad(Message(N_('"%(text)s" is not a whole number'), text=text))
    return int(number)


def _rounded(text: str) -> int:
    """A quantity stored in whole units (percent complete, a lag in tenths of a minute),
    rounded half away from zero when a tool wrote a fraction."""
    return int(_number(text).to_integral_value(rounding=ROUND_HALF_UP))


def _bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("1", "true", "yes"):
        return True
    if value in ("0", "false", "no", ""):
        return False
    raise _Bad(Message(N_('"%(text)s" is not 0 or 1'), text=text))


def _month_day(year: int, month: int, day: int | None) -> dt.date | None:
    if day is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month_position(
    year: int, month: int, item: int | None, position: int | None
) -> dt.date | None:
    """The n-th (0 = first … 3 = fourth, 4 = last) weekday ``item`` (3 = Sunday … 9 = Saturday;
    0 = any day, 1 = a working weekday Monday–Friday, 2 = a weekend day) of a month."""
    if item is None or position is None:
        return None
    first = dt.date(year, month, 1)
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    days = [first + dt.timedelta(days=n) for n in range((following - first).days)]
    if 3 <= item <= 9:
        wanted = (item - 4) % 7  # 3 = Sunday → 6, 4 = Monday → 0
        days = [d for d in days if d.weekday() == wanted]
    elif item == 1:
        days = [d for d in days if d.weekday() < 5]
    elif item == 2:
        days = [d for d in days if d.weekday() >= 5]
    if not days:
        return None
    if position >= 4:
        return days[-1]
    return days[position] if 0 <= position < len(days) else None
