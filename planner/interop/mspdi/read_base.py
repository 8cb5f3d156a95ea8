"""What reading MSPDI starts from: the result, how tasks are named in errors, the raw tasks and
links, and the reader's element helpers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final
from xml.etree.ElementTree import Element

from planner.domain.calendar import WorkCalendar
from planner.interop.messages import N_, Message
from planner.interop.mspdi.semantics import (
    MINUTES_PER_DAY,
    _Bad,
    _bool,
    _date,
    _Field,
    _int,
    _rounded,
)
from planner.interop.plandata import (
    CalendarData,
    LinkType,
    PlanData,
)


@dataclass(frozen=True)
class MspdiImport:
    """A plan read from MSPDI, and what was changed or left out to fit the planner."""

    plan: PlanData
    notes: tuple[str, ...] = ()


_PROJECT: Final = Message(N_("Project"))
_CALENDAR: Final = Message(N_("Calendar"))
_TASKS: Final = Message(N_("Tasks"))


def _bad_field(name: str, exc: _Bad) -> Message:
    """``Duration "P3X" is not a valid duration``: the element and what is wrong with it."""
    return Message(N_("%(field)s %(problem)s"), field=name, problem=exc.args[0])


def task_where(uid: int, name: str) -> Message:
    """A task as an error names it: by UID and, when it has one, by name."""
    if name:
        return Message(N_('Task UID %(uid)s "%(name)s"'), uid=uid, name=name)
    return Message(N_("Task UID %(uid)s"), uid=uid)


@dataclass
class _RawTask:
    position: int
    uid: int
    element: Element
    level: int
    summary: bool = False
    skipped: str | None = None  # why, when the task is not imported


@dataclass
class _RawLink:
    successor_uid: int
    predecessor_uid: int
    type: LinkType
    lag: int  # LinkLag as written
    lag_format: int


@dataclass
class _PhaseDraft:
    uid: int | None  # None for the phase of tasks without a summary
    key: str
    name: str
    ordinal: int | None
    start: dt.date | None
    end: dt.date | None
    item_uids: list[int] = field(default_factory=list)
    alt_name: str | None = None


class _ReaderBase:
    def __init__(self, root: Element) -> None:
        tag = root.tag
        self.ns = tag[1 : tag.index("}")] if tag.startswith("{") else ""
        self.root = root
        self.errors: list[tuple[str, str]] = []
        self.notes: list[str] = []
        self.minutes_per_day = MINUTES_PER_DAY
        self.fields: dict[int, _Field] = {}
        self.calendar = CalendarData()
        self.work_calendar = WorkCalendar()
        self.name = "Imported project"
        self.start: dt.date | None = None
        self.status_date: dt.date | None = None
        self.language = "en"
        self.exception_names: dict[dt.date, str] = {}
        self.open_phases: list[int] = []  # UIDs of summaries without a window start
        self.names: dict[int, str] = {}  # task UID → Name, to name tasks in messages

    # -- element helpers ---------------------------------------------------------------

    def where(self, uid: int) -> Message:
        return task_where(uid, self.names.get(uid, ""))

    def q(self, name: str) -> str:
        return f"{{{self.ns}}}{name}" if self.ns else name

    def find(self, element: Element, name: str) -> Element | None:
        return element.find(self.q(name))

    def children(self, element: Element, name: str) -> list[Element]:
        return element.findall(self.q(name))

    def text(self, element: Element, name: str) -> str | None:
        child = element.find(self.q(name))
        if child is None or child.text is None or not child.text.strip():
            return None
        return child.text.strip()

    def value(
        self,
        where: str,
        element: Element,
        name: str,
        parse: Callable[[str], object],
        what: str | None = None,
    ) -> object | None:
        raw = self.text(element, name)
        if raw is None:
            return None
        try:
            return parse(raw)
        except _Bad as exc:
            self.errors.append((where, _bad_field(what or name, exc)))
            return None

    def day(self, where: str, element: Element, name: str) -> dt.date | None:
        value = self.value(where, element, name, _date)
        return value if isinstance(value, dt.date) else None

    def whole(
        self, where: str, element: Element, name: str, *, rounded: bool = False
    ) -> int | None:
        """A whole number (an id, a code, a count); with ``rounded``, a quantity whose
        fraction is rounded away."""
        value = self.value(where, element, name, _rounded if rounded else _int)
        return value if isinstance(value, int) else None

    def flag(self, where: str, element: Element, name: str) -> bool:
        return self.value(where, element, name, _bool) is True
