"""The plan's data classes (calendar, phases, items, links, the plan) and the cleaning of
their text."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Final, Literal

from planner.domain.calendar import DEFAULT_WORKDAYS, WorkCalendar
from planner.domain.lags import LagUnit
from planner.domain.limits import MAX_TASK_DAYS

ItemKind = Literal["task", "milestone"]
LinkType = Literal["FS", "SS", "FF", "SF"]
ConstraintType = Literal["SNET", "FNLT"]
ITEM_KINDS: Final[tuple[ItemKind, ...]] = ("task", "milestone")
LINK_TYPES: Final[tuple[LinkType, ...]] = ("FS", "SS", "FF", "SF")
CONSTRAINT_TYPES: Final[tuple[ConstraintType, ...]] = ("SNET", "FNLT")
MAX_DURATION: Final = MAX_TASK_DAYS
"""Largest task duration in working days (the database's limit)."""
MAX_LAG: Final = 2000
"""Largest lag or lead in working days (the database's limit)."""
MAX_KEY: Final = 64
MAX_PLAN_NAME: Final = 200
MAX_PHASE_NAME: Final = 200
MAX_ITEM_NAME: Final = 300
MAX_WORKSTREAM: Final = 64
MAX_OWNER: Final = 120


_LINE_BREAKS = re.compile(r"[\t\n\r\v\f]+")
FORBIDDEN_CHARACTERS = re.compile(r"[\x00-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def clean_text(value: object) -> object:
    """Text on one line without surrounding spaces (tabs and line breaks become spaces);
    other values as they are.

    Examples:
        >>> clean_text("  Design\\tand\\r\\nbuild "), clean_text(3)
        ('Design and build', 3)
    """
    if not isinstance(value, str):
        return value
    return _LINE_BREAKS.sub(" ", value).strip()


def _clean(obj: object, names: tuple[str, ...], optional: tuple[str, ...] = ()) -> None:
    for name in names:
        value = clean_text(getattr(obj, name))
        if name in optional and value == "":
            value = None
        object.__setattr__(obj, name, value)


@dataclass(frozen=True)
class CalendarData:
    """Working weekdays (Monday = 0), holidays and make-up working days.

    Examples:
        >>> cal = CalendarData(holidays=[dt.date(2024, 10, 1)])
        >>> sorted(cal.workdays), sorted(cal.holidays)
        ([0, 1, 2, 3, 4], [datetime.date(2024, 10, 1)])
        >>> cal.to_work_calendar().is_workday(dt.date(2024, 10, 1))
        False
    """

    workdays: frozenset[int] = DEFAULT_WORKDAYS
    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    extra_workdays: frozenset[dt.date] = field(default_factory=frozenset)
    # the name of an exception day ("National Day"), as sorted (day, name) pairs; days
    # without a name are left out
    names: tuple[tuple[dt.date, str], ...] = ()

    def __post_init__(self) -> None:
        for name in ("workdays", "holidays", "extra_workdays"):
            value = getattr(self, name)
            if not isinstance(value, frozenset):
                object.__setattr__(self, name, frozenset(value))
        pairs = self.names.items() if isinstance(self.names, dict) else self.names
        cleaned = {day: clean_text(text) for day, text in pairs}
        object.__setattr__(self, "names", tuple(sorted((d, t) for d, t in cleaned.items() if t)))

    def name_of(self, day: dt.date) -> str:
        """The exception's name on ``day`` ("" when it has none)."""
        return dict(self.names).get(day, "")

    def to_work_calendar(self) -> WorkCalendar:
        """The domain's calendar (raises ValidationError if this one breaks its rules)."""
        return WorkCalendar(self.workdays, self.holidays, self.extra_workdays)

    @classmethod
    def from_work_calendar(cls, calendar: WorkCalendar) -> CalendarData:
        """The same calendar as plain data.

        Examples:
            >>> CalendarData.from_work_calendar(WorkCalendar()) == CalendarData()
            True
        """
        return cls(calendar.workdays, calendar.holidays, calendar.extra_workdays)


@dataclass(frozen=True)
class PhaseData:
    """A phase: ``ordinal`` orders the phases (0 = diagnosis); ``end`` is inclusive."""

    key: str
    name: str
    ordinal: int
    start: dt.date
    end: dt.date
    alt_name: str | None = None  # the name in the plan's other language (see PlanData)

    def __post_init__(self) -> None:
        _clean(self, ("key", "name", "alt_name"), ("alt_name",))


@dataclass(frozen=True)
class ItemData:
    """A work item: a task (duration ≥ 1 working day) or a milestone (duration 0).

    ``early_start``/``early_finish`` are the scheduler's dates (informative);
    ``baseline_start``/``baseline_finish`` are the dates of baseline 0. ``name`` is the name
    a file shows (in its language); ``name_en`` and ``name_zh`` are the name in each language
    where it is known (None: not in the file). ``version`` is the row version the item had
    when it was exported (a stale file is detected by it on re-import).
    """

    key: str
    name: str
    phase_key: str
    kind: ItemKind = "task"
    duration: int = 1
    workstream: str | None = None
    owner: str | None = None
    percent_complete: int = 0
    actual_start: dt.date | None = None
    actual_finish: dt.date | None = None
    constraint_type: ConstraintType | None = None
    constraint_date: dt.date | None = None
    early_start: dt.date | None = None
    early_finish: dt.date | None = None
    baseline_start: dt.date | None = None
    baseline_finish: dt.date | None = None
    alt_name: str | None = None  # the name in the plan's other language (see PlanData)
    # a table for round-trip editing: the name in each language and the row's version
    name_en: str | None = None
    name_zh: str | None = None
    version: int | None = None

    def __post_init__(self) -> None:
        _clean(
            self,
            ("key", "name", "phase_key", "workstream", "owner", "alt_name", "name_en", "name_zh"),
            ("workstream", "owner", "alt_name", "name_en", "name_zh"),
        )


@dataclass(frozen=True)
class LinkData:
    """A dependency; ``lag`` in working days, negative for a lead.

    A lag given in another unit keeps it: ``lag_unit`` (``w`` weeks, ``pct`` percent of the
    predecessor's duration, ``ed`` elapsed days; see :mod:`planner.domain.lags`) with
    ``lag_amount`` in that unit, and ``lag`` its working-day equivalent.
    """

    predecessor: str
    successor: str
    type: LinkType = "FS"
    lag: int = 0
    lag_unit: LagUnit = "d"
    lag_amount: int | None = None

    def __post_init__(self) -> None:
        _clean(self, ("predecessor", "successor"))


@dataclass(frozen=True)
class PlanData:
    """A program's plan as plain data; sequences are stored as tuples.

    Examples:
        >>> from planner.interop.plandata.checks import problems
        >>> d = dt.date(2024, 3, 4)
        >>> plan = PlanData("Rollout", d, phases=[PhaseData("p1", "Phase 1", 1, d, d)],
        ...                 items=[ItemData("kickoff", "Kick-off", "p1", "milestone", 0)])
        >>> type(plan.items).__name__, problems(plan)
        ('tuple', [])
    """

    name: str
    start: dt.date
    calendar: CalendarData = field(default_factory=CalendarData)
    phases: tuple[PhaseData, ...] = ()
    items: tuple[ItemData, ...] = ()
    links: tuple[LinkData, ...] = ()
    # the data date: the first day remaining work may use (None: the plan follows today)
    status_date: dt.date | None = None
    # the language of every ``name``; ``alt_name`` is in the other one (en ↔ zh)
    language: str = "en"

    def __post_init__(self) -> None:
        _clean(self, ("name",))
        for name in ("phases", "items", "links"):
            value = getattr(self, name)
            if not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))

    def item(self, key: str) -> ItemData:
        """The item with this key (KeyError if there is none)."""
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)
