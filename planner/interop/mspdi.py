"""MS Project XML (MSPDI, namespace ``http://schemas.microsoft.com/project``) to and from a plan.

Writing (:func:`write`)
-----------------------
* Task UID 0 is the project summary; each phase is a summary task at OutlineLevel 1 with its
  work items beneath it at OutlineLevel 2 (IDs and UIDs numbered 1, 2, … in that order).
* Durations are work time, ``PT{hours}H0M0S`` at 8 hours (480 minutes) a working day, with
  DurationFormat 7 (days); a milestone has ``PT0H0M0S`` and ``Milestone`` 1.
* Links are ``PredecessorLink`` elements of the successor: Type 0 = FF, 1 = FS, 2 = SF,
  3 = SS; ``LinkLag`` in tenths of a minute (one working day = 480 minutes = 4800) with
  LagFormat 7 (days), or in the lag's own unit: weeks (9), elapsed days (8), percent of the
  predecessor (19, LinkLag the percentage); a lead is a negative lag.
* Constraints (see :func:`_effective_constraint`): an item's own start no earlier than is
  ConstraintType 4; where its phase window or the status date holds a not-started item back,
  a ConstraintType 4 on that working day, and where remaining work of an item in progress
  waits for the status date, a ConstraintType 6 (finish no earlier than) on its finish — both
  marked "Planner held back by" and dropped again on reading. A finish no later than is a
  ``Deadline`` (it never moves the task here, it shows negative float).
* PercentComplete, ActualStart, ActualFinish, ActualDuration and RemainingDuration; baseline
  0 as ``<Baseline><Number>0</Number><Start>…</Start><Finish>…</Finish></Baseline>``.
* StatusDate is the end of the day before the plan's status date (MSPDI's is end of day,
  ours the first day of remaining work); CurrencyCode ``XXX`` (no currency).
* Start and Finish of a work item are its early dates when known (omitted otherwise, and
  MS Project schedules the task itself); a phase's Start and Finish are its window.
* The project calendar "Standard" (UID 1): the working weekdays (08:00–12:00 and 13:00–17:00)
  and, as calendar exceptions, the holidays (non-working) and the make-up working days,
  consecutive days merged into one exception.
* Names are in the plan's language; the other language's go into Text5 "Planner name (zh)"
  or "Planner name (en)". Calendar exceptions keep their names.
* What MS Project has no field for goes into custom fields with an alias: Text1 "Planner
  key", Text2 "Workstream", Text3 "Owner", Text6 "Planner held back by", Start2 "Planner own
  start no earlier than", and on phases Text4 "Planner phase ordinal" (text, since writers
  drop a number field holding 0), Start1 "Planner phase start", Finish1 "Planner phase end".

Reading (:func:`read`, :func:`read_with_notes`)
-----------------------------------------------
* The XML is parsed by :mod:`planner.interop.safe_xml`: a DOCTYPE, entities (the "billion
  laughs") and external references are refused.
* Summary tasks at OutlineLevel 1 become phases; every other task becomes a work item of the
  phase above it; tasks without a summary task above them go into a phase named after the
  project. Summary tasks deeper down are dropped (their tasks are kept). Blank rows
  (IsNull), inactive and external tasks and the project summary (OutlineLevel 0) are skipped.
* Keys come from the custom field with the alias "Planner key" when present, else
  ``t<UID>``; workstream and owner from the fields aliased "Workstream" and "Owner"; a
  phase's ordinal and window from its "Planner phase …" fields (the ordinal also from
  Number1, as older exports wrote it), else from the order of the phases (1, 2, …); without
  them a window opens at the project start (a summary's computed Start would hold its tasks
  back like a constraint) unless the summary has its own start no earlier than, and ends at
  the summary's Finish.
* StatusDate: the day after it is the plan's status date (the day itself when its time is at
  or before the start of the working day).
* The calendar is the project's (CalendarUID), with its base calendar's weekdays and
  exceptions beneath it; exceptions are read in both the MS Project 2007+ form
  (``Exceptions``, including recurring ones) and the older form (``WeekDay`` with DayType 0).
* Durations and lags are converted to whole working days with the file's MinutesPerDay,
  rounding half away from zero (a non-zero task duration stays at least one day). A lag of
  a whole number of weeks, elapsed days or percent keeps that unit and amount (its working
  days a first guess, see :mod:`planner.domain.lags`); other elapsed lags scale calendar
  days by working days per week. A task of zero duration is a milestone; a task
  flagged as a milestone with a non-zero duration is kept as a task.
* Constraints 4 (SNET) and 7 (FNLT) are kept, a Deadline becomes FNLT, "must start on"
  becomes SNET and "must finish on" FNLT; "as late as possible", "start no later than" and
  "finish no earlier than" are dropped. Links to summary or skipped tasks and to other
  projects are dropped. Every such change is listed in :attr:`MspdiImport.notes`.
* Errors name the task at fault by UID and name (``Task UID 12 "Build": Duration "P3X" is
  not a valid duration``), as :class:`~planner.interop.messages.Message` values the web
  layer words in the reader's language; all of them are collected and raised as one
  ImportFormatError, and nothing is returned.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Final
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from planner.domain.calendar import WorkCalendar
from planner.domain.errors import ValidationError
from planner.domain.lags import LagUnit, lag_working_days, round_half_away
from planner.interop.messages import N_, Message
from planner.interop.plandata import (
    CalendarData,
    ConstraintType,
    ItemData,
    LinkData,
    LinkType,
    PhaseData,
    PlanData,
    Problem,
    find_cycle,
    import_error,
    normalised,
    problems,
    validate,
)
from planner.interop.safe_xml import local_name, parse

__all__ = ["NAMESPACE", "MspdiImport", "read", "read_with_notes", "write"]

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


# ============================================================================================
# writing


def _sub(parent: Element, tag: str, text: object = None) -> Element:
    element = SubElement(parent, tag)
    if text is not None:
        element.text = str(text)
    return element


def _stamp(day: dt.date, time: str) -> str:
    return f"{day.isoformat()}T{time}"


def _hours(days: int) -> str:
    return f"PT{days * HOURS_PER_DAY}H0M0S"


def _runs(
    days: frozenset[dt.date], name_of: Callable[[dt.date], str] = lambda _day: ""
) -> Iterator[tuple[dt.date, dt.date]]:
    """Consecutive calendar days of the same name merged into (first, last) runs, in order."""
    ordered = sorted(days)
    i = 0
    while i < len(ordered):
        j = i
        while (
            j + 1 < len(ordered)
            and ordered[j + 1] - ordered[j] == dt.timedelta(days=1)
            and name_of(ordered[j + 1]) == name_of(ordered[i])
        ):
            j += 1
        yield ordered[i], ordered[j]
        i = j + 1


def _working_times(parent: Element) -> None:
    times = _sub(parent, "WorkingTimes")
    for start, end in WORKING_TIMES:
        slot = _sub(times, "WorkingTime")
        _sub(slot, "FromTime", start)
        _sub(slot, "ToTime", end)


def _write_calendar(project: Element, calendar: CalendarData) -> None:
    cal = _sub(_sub(project, "Calendars"), "Calendar")
    _sub(cal, "UID", CALENDAR_UID)
    _sub(cal, "Name", "Standard")
    _sub(cal, "IsBaseCalendar", 1)
    _sub(cal, "BaseCalendarUID", -1)
    weekdays = _sub(cal, "WeekDays")
    for day_type in range(1, 8):  # 1 = Sunday … 7 = Saturday
        working = (day_type - 2) % 7 in calendar.workdays
        weekday = _sub(weekdays, "WeekDay")
        _sub(weekday, "DayType", day_type)
        _sub(weekday, "DayWorking", int(working))
        if working:
            _working_times(weekday)
    names = dict(calendar.names)

    def name_of(day: dt.date) -> str:
        return names.get(day, "")

    runs = [(first, last, False) for first, last in _runs(calendar.holidays, name_of)]
    runs += [(first, last, True) for first, last in _runs(calendar.extra_workdays, name_of)]
    if not runs:
        return
    exceptions = _sub(cal, "Exceptions")
    for first, last, working in sorted(runs):
        exc = _sub(exceptions, "Exception")
        _sub(exc, "EnteredByOccurrences", 0)
        period = _sub(exc, "TimePeriod")
        _sub(period, "FromDate", _stamp(first, "00:00:00"))
        _sub(period, "ToDate", _stamp(last, "23:59:00"))
        _sub(exc, "Occurrences", 1)
        if name_of(first):  # MS Project names unnamed exceptions itself
            _sub(exc, "Name", name_of(first))
        _sub(exc, "Type", 1)
        _sub(exc, "DayWorking", int(working))
        if working:
            _working_times(exc)


def _write_header(project: Element, plan: PlanData) -> None:
    _sub(project, "SaveVersion", SAVE_VERSION)
    _sub(project, "Name", plan.name)
    _sub(project, "Title", plan.name)
    _sub(project, "ScheduleFromStart", 1)
    _sub(project, "StartDate", _stamp(plan.start, DAY_START))
    _sub(project, "CurrencyCode", CURRENCY_CODE)
    _sub(project, "CalendarUID", CALENDAR_UID)
    _sub(project, "DefaultStartTime", DAY_START)
    _sub(project, "DefaultFinishTime", DAY_END)
    _sub(project, "MinutesPerDay", MINUTES_PER_DAY)
    _sub(project, "MinutesPerWeek", MINUTES_PER_DAY * len(plan.calendar.workdays))
    _sub(project, "DaysPerMonth", 20)
    _sub(project, "DefaultTaskType", 1)  # fixed duration
    _sub(project, "DurationFormat", 7)
    _sub(project, "WorkFormat", 2)
    _sub(project, "NewTasksEffortDriven", 0)
    _sub(project, "NewTasksEstimated", 0)
    _sub(project, "WeekStartDay", 1)
    if plan.status_date is not None:
        # MSPDI's status date is the end of a day; ours is the first day of remaining work
        _sub(project, "StatusDate", _stamp(plan.status_date - dt.timedelta(days=1), DAY_END))
    attributes = _sub(project, "ExtendedAttributes")
    for custom in (*_WRITTEN_FIELDS, _alt_field(plan), _HELD_BY, _OWN_SNET):
        definition = _sub(attributes, "ExtendedAttribute")
        _sub(definition, "FieldID", custom.field_id)
        _sub(definition, "FieldName", custom.field_name)
        _sub(definition, "Alias", custom.alias)


def _alt_field(plan: PlanData) -> _Field:
    """The custom field of the names in the plan's other language."""
    return _NAME_EN if plan.language == "zh" else _NAME_ZH


def _task(tasks: Element, uid: int, name: str, level: int, outline: str) -> Element:
    task = _sub(tasks, "Task")
    _sub(task, "UID", uid)
    _sub(task, "ID", uid)
    _sub(task, "Name", name)
    _sub(task, "Active", 1)
    _sub(task, "Manual", 0)
    _sub(task, "Type", 1)
    _sub(task, "IsNull", 0)
    _sub(task, "WBS", outline)
    _sub(task, "OutlineNumber", outline)
    _sub(task, "OutlineLevel", level)
    return task


def _custom(task: Element, custom: _Field, value: object) -> None:
    attribute = _sub(task, "ExtendedAttribute")
    _sub(attribute, "FieldID", custom.field_id)
    _sub(attribute, "Value", value)


def _write_phase(
    tasks: Element, uid: int, number: int, phase: PhaseData, hours: int, alt: _Field
) -> None:
    task = _task(tasks, uid, phase.name, 1, str(number))
    _sub(task, "Start", _stamp(phase.start, DAY_START))
    _sub(task, "Finish", _stamp(phase.end, DAY_END))
    _sub(task, "Duration", f"PT{hours}H0M0S")
    _sub(task, "DurationFormat", 7)
    _sub(task, "Estimated", 0)
    _sub(task, "Milestone", 0)
    _sub(task, "Summary", 1)
    _sub(task, "ConstraintType", 0)
    _sub(task, "CalendarUID", -1)
    _custom(task, _KEY, phase.key)
    _custom(task, _ORDINAL, phase.ordinal)
    _custom(task, _WINDOW_START, _stamp(phase.start, DAY_START))
    _custom(task, _WINDOW_END, _stamp(phase.end, DAY_END))
    if phase.alt_name:
        _custom(task, alt, phase.alt_name)


@dataclass(frozen=True)
class _Context:
    """What writing one item needs to know of the whole plan."""

    plan: PlanData
    calendar: WorkCalendar
    uids: dict[str, int]
    alt: _Field


def _effective_constraint(
    item: ItemData, phase: PhaseData, context: _Context
) -> tuple[int, dt.date | None, str | None]:
    """The ConstraintType, ConstraintDate and "held back by" reason written for an item.

    The planner holds every item not started yet to its phase's window start and to the
    status date; MS Project has neither rule, so where one of them holds an item back (its
    early start is that day) it is written as a start-no-earlier-than — what MS Project's own
    "reschedule uncompleted work after the status date" writes — marked in the "Planner held
    back by" field, so that reading the file back drops it again. The item's own SNET is
    written when it is the later bound.
    """
    own_snet = item.constraint_date if item.constraint_type == "SNET" else None
    calendar = context.calendar
    if (
        item.actual_start is not None
        and item.actual_finish is None
        and item.early_finish is not None
        and item.duration > 0
        and context.plan.status_date is not None
    ):
        # in progress, its remaining work held after the status date: MS Project would
        # split the task; a finish-no-earlier-than our finish says the same to a scheduler
        # that does not split (MPXJ's finishes a started task at ActualStart + Duration)
        unsplit = calendar.add_workdays(calendar.next_workday(item.actual_start), item.duration - 1)
        if item.early_finish > unsplit:
            return FNET_CODE, item.early_finish, HELD_BY_STATUS
    if item.actual_start is None:
        bounds: list[tuple[dt.date, str]] = []
        if phase.start > context.plan.start:
            bounds.append((phase.start, HELD_BY_WINDOW))
        status = context.plan.status_date
        if status is not None and status > context.plan.start:
            bounds.append((status, HELD_BY_STATUS))
        if bounds:
            bound, why = max(bounds)
            held_day = calendar.next_workday(bound)
            held = item.early_start is None or item.early_start <= held_day
            if held and (own_snet is None or own_snet < held_day):
                # the working day itself: MPXJ's scheduler would start on a weekend date
                return CONSTRAINT_CODE["SNET"], held_day, why
    if own_snet is not None:
        return CONSTRAINT_CODE["SNET"], own_snet, None
    return 0, None, None


def _duration_text(minutes: float) -> str:
    seconds = round(minutes * 60)
    return f"PT{seconds // 3600}H{seconds % 3600 // 60}M{seconds % 60}S"


def _write_progress(task: Element, item: ItemData) -> None:
    """ActualDuration and RemainingDuration (MS Project and MPXJ's scheduler need both):
    the share ``PercentComplete`` of the duration is done, as MS Project counts it."""
    total = item.duration * MINUTES_PER_DAY
    if item.actual_finish is not None:
        done = float(total)
    elif item.actual_start is None:
        done = 0.0
    else:
        done = total * item.percent_complete / 100
    _sub(task, "ActualDuration", _duration_text(done))
    _sub(task, "RemainingDuration", _duration_text(total - done))


def _write_link(task: Element, link: LinkData, context: _Context) -> None:
    element = _sub(task, "PredecessorLink")
    _sub(element, "PredecessorUID", context.uids[link.predecessor])
    _sub(element, "Type", LINK_CODE[link.type])
    _sub(element, "CrossProject", 0)
    unit, amount = link.lag_unit, link.lag_amount
    if amount is None or unit == "d":
        unit, lag = "d", link.lag * MINUTES_PER_DAY * 10
    elif unit == "w":
        lag = amount * MINUTES_PER_DAY * len(context.plan.calendar.workdays) * 10
    elif unit == "ed":
        lag = amount * 1440 * 10
    else:  # pct: LinkLag holds the percentage itself
        lag = amount
    _sub(element, "LinkLag", lag)
    _sub(element, "LagFormat", LAG_FORMAT[unit])


def _write_item(
    tasks: Element,
    uid: int,
    outline: str,
    item: ItemData,
    phase: PhaseData,
    links: list[LinkData],
    context: _Context,
) -> None:
    milestone = item.kind == "milestone"
    task = _task(tasks, uid, item.name, 2, outline)
    start_time = DAY_END if milestone else DAY_START
    if item.early_start is not None:
        _sub(task, "Start", _stamp(item.early_start, start_time))
    if item.early_finish is not None:
        _sub(task, "Finish", _stamp(item.early_finish, DAY_END))
    _sub(task, "Duration", _hours(item.duration))
    _sub(task, "DurationFormat", 7)
    _write_progress(task, item)
    _sub(task, "Estimated", 0)
    _sub(task, "Milestone", int(milestone))
    _sub(task, "Summary", 0)
    _sub(task, "PercentComplete", item.percent_complete)
    if item.actual_start is not None:
        _sub(task, "ActualStart", _stamp(item.actual_start, DAY_START))
    if item.actual_finish is not None:
        _sub(task, "ActualFinish", _stamp(item.actual_finish, DAY_END))
    code, constraint_day, held_by = _effective_constraint(item, phase, context)
    _sub(task, "ConstraintType", code)
    _sub(task, "CalendarUID", -1)
    if constraint_day is not None:
        time = DAY_END if code == FNET_CODE else DAY_START
        _sub(task, "ConstraintDate", _stamp(constraint_day, time))
    if item.constraint_type == "FNLT" and item.constraint_date is not None:
        # the planner's finish-no-later-than never moves a task, it shows negative float:
        # MS Project's deadline, not its FNLT constraint (which pulls the task earlier)
        _sub(task, "Deadline", _stamp(item.constraint_date, DAY_END))
    for link in links:
        _write_link(task, link, context)
    _custom(task, _KEY, item.key)
    if item.workstream is not None:
        _custom(task, _WORKSTREAM, item.workstream)
    if item.owner is not None:
        _custom(task, _OWNER, item.owner)
    if item.alt_name:
        _custom(task, context.alt, item.alt_name)
    if held_by is not None:
        _custom(task, _HELD_BY, held_by)
        if item.constraint_type == "SNET" and item.constraint_date is not None:
            _custom(task, _OWN_SNET, _stamp(item.constraint_date, DAY_START))
    if item.baseline_start is not None or item.baseline_finish is not None:
        baseline = _sub(task, "Baseline")
        _sub(baseline, "Number", 0)
        if item.baseline_start is not None:
            _sub(baseline, "Start", _stamp(item.baseline_start, DAY_START))
        if item.baseline_finish is not None:
            _sub(baseline, "Finish", _stamp(item.baseline_finish, DAY_END))


def write(plan: PlanData) -> bytes:
    """The plan as an MS Project XML file (UTF-8); ValidationError if the plan is unsound.

    Examples:
        >>> d = dt.date(2024, 3, 4)
        >>> plan = PlanData("Rollout", d, phases=[PhaseData("p1", "Phase 1", 1, d, d)],
        ...                 items=[ItemData("a", "Design", "p1", duration=3)])
        >>> data = write(plan)
        >>> b"<Duration>PT24H0M0S</Duration>" in data, read(data) == plan
        (True, True)
    """
    validate(plan)
    plan = normalised(plan)
    calendar = plan.calendar.to_work_calendar()
    project = Element("Project", {"xmlns": NAMESPACE})
    _write_header(project, plan)
    _write_calendar(project, plan.calendar)
    tasks = _sub(project, "Tasks")
    root = _task(tasks, 0, plan.name, 0, "0")
    _sub(root, "Summary", 1)
    uids: dict[str, int] = {}
    uid = 0
    for phase in plan.phases:
        uid += 1
        uids[f"phase:{phase.key}"] = uid
        for item in plan.items:
            if item.phase_key == phase.key:
                uid += 1
                uids[item.key] = uid
    incoming: dict[str, list[LinkData]] = {}
    for link in plan.links:
        incoming.setdefault(link.successor, []).append(link)
    context = _Context(plan, calendar, uids, _alt_field(plan))
    for number, phase in enumerate(plan.phases, start=1):
        days = calendar.workdays_between(phase.start, phase.end + dt.timedelta(days=1))
        hours = days * HOURS_PER_DAY
        _write_phase(tasks, uids[f"phase:{phase.key}"], number, phase, hours, context.alt)
        members = [item for item in plan.items if item.phase_key == phase.key]
        for sub, item in enumerate(members, start=1):
            links = incoming.get(item.key, [])
            _write_item(tasks, uids[item.key], f"{number}.{sub}", item, phase, links, context)
    indent(project, space="  ")
    body = tostring(project, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body + "\n").encode()


# ============================================================================================
# reading


@dataclass(frozen=True)
class MspdiImport:
    """A plan read from MSPDI, and what was changed or left out to fit the planner."""

    plan: PlanData
    notes: tuple[str, ...] = ()


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


def _days(n: int) -> str:
    return f"{n} day" if abs(n) == 1 else f"{n} days"


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


def _int(text: str) -> int:
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        raise _Bad(Message(N_('"%(text)s" is not a number'), text=text)) from None
    if not number.is_finite() or number.adjusted() > 15:
        raise _Bad(Message(N_('"%(text)s" is not a number of a sensible size'), text=text))
    return int(number.to_integral_value(rounding=ROUND_HALF_UP))


def _bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("1", "true", "yes"):
        return True
    if value in ("0", "false", "no", ""):
        return False
    raise _Bad(Message(N_('"%(text)s" is not 0 or 1'), text=text))


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


class _Reader:
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

    def whole(self, where: str, element: Element, name: str) -> int | None:
        value = self.value(where, element, name, _int)
        return value if isinstance(value, int) else None

    def flag(self, where: str, element: Element, name: str) -> bool:
        return self.value(where, element, name, _bool) is True

    # -- project header ----------------------------------------------------------------

    def header(self) -> None:
        title = self.text(self.root, "Title")
        name = self.text(self.root, "Name")
        if title:
            self.name = title
        elif name:
            self.name = _NAME_SUFFIX.sub("", name) or self.name
        self.start = self.day(_PROJECT, self.root, "StartDate")
        minutes = self.whole(_PROJECT, self.root, "MinutesPerDay")
        if minutes is not None:
            if minutes <= 0:
                self.errors.append(
                    (
                        _PROJECT,
                        Message(N_("MinutesPerDay must be positive, got %(n)s"), n=minutes),
                    )
                )
            else:
                self.minutes_per_day = minutes
        attributes = self.find(self.root, "ExtendedAttributes")
        definitions = (
            self.children(attributes, "ExtendedAttribute") if attributes is not None else []
        )
        for definition in definitions:
            field_id = self.text(definition, "FieldID")
            alias = (self.text(definition, "Alias") or "").strip().lower()
            if not field_id or not field_id.isdigit():
                continue
            matches = [custom for custom in _FIELDS if alias in custom.aliases]
            exact = [custom for custom in matches if custom.field_id == int(field_id)]
            if exact or matches:
                self.fields[int(field_id)] = (exact or matches)[0]
            if matches and matches[0] is _NAME_EN:
                self.language = "zh"  # the other language is English: names are Chinese
        self.status_date = self.data_date()

    def data_date(self) -> dt.date | None:
        """The first day of remaining work: the day after MSPDI's StatusDate, which is the
        end of a day, unless the status time is at or before the start of the working day."""
        raw = self.text(self.root, "StatusDate")
        day = self.day(_PROJECT, self.root, "StatusDate")
        if raw is None or day is None:
            return None
        start_time = self.text(self.root, "DefaultStartTime") or DAY_START
        time = raw.split("T", 1)[1][:8] if "T" in raw else DAY_END
        return day if time <= start_time else day + dt.timedelta(days=1)

    # -- calendar ----------------------------------------------------------------------

    def calendars(self) -> None:
        container = self.find(self.root, "Calendars")
        calendars = self.children(container, "Calendar") if container is not None else []
        by_uid: dict[str, Element] = {}
        for cal in calendars:
            uid = self.text(cal, "UID")
            if uid is not None:
                by_uid[uid] = cal
        wanted = self.text(self.root, "CalendarUID")
        chosen = by_uid.get(wanted) if wanted is not None else None
        if chosen is None:
            chosen = next((c for c in calendars if self.text(c, "Name") == "Standard"), None)
        if chosen is None:
            chosen = next((c for c in calendars if self.text(c, "IsBaseCalendar") == "1"), None)
        if chosen is None:
            if calendars:
                self.notes.append(
                    Message(N_("the project calendar was not found: Monday–Friday is used"))
                )
            return
        chain = [chosen]
        seen = {id(chosen)}
        while True:
            base_uid = self.text(chain[-1], "BaseCalendarUID")
            base = by_uid.get(base_uid) if base_uid not in (None, "-1") else None
            if base is None or id(base) in seen:
                break
            chain.append(base)
            seen.add(id(base))
        weekdays: dict[int, bool] = {}
        exceptions: dict[dt.date, bool] = {}
        for cal in reversed(chain):  # the base first, the project calendar last (it wins)
            where = Message(
                N_('Calendar "%(name)s"'), name=self.text(cal, "Name") or self.text(cal, "UID")
            )
            days, excepted = self.calendar_days(where, cal)
            weekdays.update(days)
            exceptions.update(excepted)
        workdays = {0, 1, 2, 3, 4}
        for weekday, working in weekdays.items():
            if working:
                workdays.add(weekday)
            else:
                workdays.discard(weekday)
        data = CalendarData(
            frozenset(workdays),
            frozenset(d for d, working in exceptions.items() if not working),
            frozenset(d for d, working in exceptions.items() if working),
            tuple((d, self.exception_names.get(d, "")) for d in exceptions),
        )
        try:
            self.work_calendar = data.to_work_calendar()
        except ValidationError as exc:
            for path, message in exc.errors:
                self.errors.append((_CALENDAR, f"{path}: {message}"))
            return
        self.calendar = data

    def calendar_days(
        self, where: str, cal: Element
    ) -> tuple[dict[int, bool], dict[dt.date, bool]]:
        weekdays: dict[int, bool] = {}
        exceptions: dict[dt.date, bool] = {}
        container = self.find(cal, "WeekDays")
        for weekday in self.children(container, "WeekDay") if container is not None else []:
            day_type = self.whole(where, weekday, "DayType")
            working = self.flag(where, weekday, "DayWorking")
            if day_type is None:
                continue
            if 1 <= day_type <= 7:
                weekdays[(day_type - 2) % 7] = working
            elif day_type == 0:  # the pre-2007 form of an exception
                period = self.find(weekday, "TimePeriod")
                if period is None:
                    continue
                first = self.day(where, period, "FromDate")
                last = self.day(where, period, "ToDate")
                if first and last:
                    for day in self.expand(where, first, last, 1):
                        exceptions[day] = working
            else:
                self.errors.append(
                    (where, Message(N_("WeekDay DayType %(n)s is not 0–7"), n=day_type))
                )
        container = self.find(cal, "Exceptions")
        for exc in self.children(container, "Exception") if container is not None else []:
            working = self.flag(where, exc, "DayWorking")
            name = self.text(exc, "Name") or ""
            for day in self.exception_days(where, exc):
                exceptions[day] = working
                self.exception_names[day] = name
        return weekdays, exceptions

    def expand(self, where: str, first: dt.date, last: dt.date, step: int) -> list[dt.date]:
        if last < first:
            self.errors.append(
                (
                    where,
                    Message(N_("a calendar exception ends (%(last)s) before it starts"), last=last),
                )
            )
            return []
        if (last - first).days // max(step, 1) > _MAX_EXCEPTION_DAYS:
            self.errors.append(
                (
                    where,
                    Message(
                        N_("a calendar exception from %(first)s to %(last)s is too long"),
                        first=first,
                        last=last,
                    ),
                )
            )
            return []
        return [first + dt.timedelta(days=n) for n in range(0, (last - first).days + 1, step)]

    def exception_days(self, where: str, exc: Element) -> list[dt.date]:
        name = self.text(exc, "Name")
        if name:
            where = Message(N_('%(calendar)s, exception "%(name)s"'), calendar=where, name=name)
        period = self.find(exc, "TimePeriod")
        if period is None:
            self.errors.append((where, Message(N_("a calendar exception has no TimePeriod"))))
            return []
        first = self.day(where, period, "FromDate")
        last = self.day(where, period, "ToDate")
        if first is None or last is None:
            if first is None and last is None:
                self.errors.append(
                    (where, Message(N_("a calendar exception has no FromDate or ToDate")))
                )
            return []
        kind = self.whole(where, exc, "Type") or 1
        step = max(self.whole(where, exc, "Period") or 1, 1)
        by_count = self.flag(where, exc, "EnteredByOccurrences")
        count = self.whole(where, exc, "Occurrences") if by_count else None
        days = self.recurrence(where, exc, kind, step, first, last)
        if days is None:
            return []
        return days[:count] if count is not None and count > 0 else days

    def recurrence(
        self, where: str, exc: Element, kind: int, step: int, first: dt.date, last: dt.date
    ) -> list[dt.date] | None:
        if kind in (1, 9):  # daily (9: no recurrence)
            return self.expand(where, first, last, step)
        if kind == 6:  # weekly, DaysOfWeek bit 0 = Sunday
            mask = self.whole(where, exc, "DaysOfWeek") or 0
            return [
                d
                for d in self.expand(where, first, last, 1)
                if mask >> ((d.weekday() + 1) % 7) & 1 and ((d - first).days // 7) % step == 0
            ]
        month = self.whole(where, exc, "Month")
        month_day = self.whole(where, exc, "MonthDay")
        item = self.whole(where, exc, "MonthItem")
        position = self.whole(where, exc, "MonthPosition")
        out: list[dt.date] = []
        year, mon = first.year, first.month
        index = 0
        while dt.date(year, mon, 1) <= last and index < 12 * 200:
            yearly = kind in (2, 3)
            if (not yearly and index % step == 0) or (yearly and mon == (month or 0) + 1):
                if kind in (2, 4):
                    day = _month_day(year, mon, month_day)
                elif kind in (3, 5):
                    day = _month_position(year, mon, item, position)
                else:
                    self.errors.append(
                        (
                            where,
                            Message(N_("calendar exception Type %(n)s is not supported"), n=kind),
                        )
                    )
                    return None
                if day is not None and first <= day <= last:
                    out.append(day)
            index += 1
            year, mon = (year + 1, 1) if mon == 12 else (year, mon + 1)
        return out

    # -- tasks -------------------------------------------------------------------------

    def raw_tasks(self) -> list[_RawTask]:
        container = self.find(self.root, "Tasks")
        elements = self.children(container, "Task") if container is not None else []
        raws: list[_RawTask] = []
        seen: dict[int, int] = {}
        ids: list[int | None] = []
        for position, element in enumerate(elements, start=1):
            where = Message(N_("Task #%(n)s"), n=position)
            uid = self.whole(where, element, "UID")
            if uid is None:
                if self.text(element, "UID") is None:
                    self.errors.append((where, Message(N_("the task has no UID"))))
                continue
            where = task_where(uid, self.text(element, "Name") or "")
            if uid not in seen:
                self.names[uid] = self.text(element, "Name") or ""
            if uid in seen:
                self.errors.append(
                    (where, Message(N_("UID %(uid)s is used by two tasks"), uid=uid))
                )
                continue
            seen[uid] = position
            level = self.whole(where, element, "OutlineLevel")
            raw = _RawTask(position, uid, element, 1 if level is None else level)
            if self.flag(where, element, "IsNull"):
                raw.skipped = "blank row"
            elif raw.level <= 0:
                raw.skipped = "project summary"
            elif self.text(element, "Active") == "0":
                raw.skipped = "inactive"
                self.notes.append(Message(N_("%(task)s is inactive"), task=where))
            elif self.flag(where, element, "ExternalTask"):
                raw.skipped = "external"
            raws.append(raw)
            ids.append(self.whole(where, element, "ID"))
        if raws and all(i is not None for i in ids):
            order = sorted(range(len(raws)), key=lambda i: (ids[i], i))
            raws = [raws[i] for i in order]
        live = [r for r in raws if r.skipped is None]
        for i, raw in enumerate(live):
            later = live[i + 1].level if i + 1 < len(live) else 0
            raw.summary = (
                self.flag(self.where(raw.uid), raw.element, "Summary") or later > raw.level
            )
        return raws

    def custom_values(self, task: Element) -> dict[_Field, str]:
        values: dict[_Field, str] = {}
        for attribute in self.children(task, "ExtendedAttribute"):
            field_id = self.text(attribute, "FieldID")
            value = self.text(attribute, "Value")
            if field_id and field_id.isdigit() and int(field_id) in self.fields and value:
                values[self.fields[int(field_id)]] = value
        return values

    def duration_days(self, where: str, task: Element, milestone_flag: bool) -> int | None:
        raw = self.text(task, "Duration")
        if raw is None:
            if milestone_flag:
                return 0
            start = self.day(where, task, "Start")
            finish = self.day(where, task, "Finish")
            if start and finish and finish >= start:
                days = self.work_calendar.workdays_between(start, finish + dt.timedelta(days=1))
                self.notes.append(
                    Message(
                        N_(
                            "%(task)s: no Duration; the working days from Start to Finish "
                            "(%(n)s) were used"
                        ),
                        task=where,
                        n=days,
                    )
                )
                return days
            self.errors.append((where, Message(N_("the task has no Duration"))))
            return None
        try:
            hours = _duration_hours(raw)
        except _Bad as exc:
            self.errors.append((where, _bad_field("Duration", exc)))
            return None
        fmt = self.whole(where, task, "DurationFormat")
        if fmt in _ELAPSED_FORMATS:
            exact = hours / 24 * len(self.calendar.workdays) / 7
            note = f"{where}: an elapsed duration of {hours / 24:g} calendar days"
        else:
            exact = hours * 60 / self.minutes_per_day
            note = f"{where}: a duration of {exact:g} working days"
        days = round_half_away(exact)
        if hours > 0 and days == 0:
            days = 1
        if abs(days - exact) > 1e-6:
            self.notes.append(f"{note} became {_days(days)}")
        return days

    def lag(self, link: _RawLink, durations: dict[int, int]) -> tuple[int, LagUnit, int | None]:
        """The lag in working days, and the unit and amount it was given in when that is a
        whole number of weeks, percent or elapsed days (kept, so it can be written back)."""
        minutes = link.lag / 10
        per_week = self.minutes_per_day * len(self.calendar.workdays)
        unit: LagUnit = "d"
        amount: float = minutes / self.minutes_per_day
        if link.lag_format in _PERCENT_FORMATS:
            unit, amount = "pct", link.lag
        elif link.lag_format in _WEEK_FORMATS and per_week:
            unit, amount = "w", minutes / per_week
        elif link.lag_format in _ELAPSED_FORMATS:
            unit, amount = "ed", minutes / 1440
        whole = abs(amount - round(amount)) < 1e-6
        if unit != "d" and whole:
            days = lag_working_days(
                unit,
                round(amount),
                0,
                durations.get(link.predecessor_uid, 0),
                len(self.calendar.workdays),
            )
            return days, unit, round(amount)
        exact = {
            "d": amount,
            "w": amount * len(self.calendar.workdays),
            "ed": amount * len(self.calendar.workdays) / 7,
            "pct": 0.0,
        }[unit]
        days = round_half_away(exact)
        if abs(days - exact) > 1e-6:
            what = {
                "d": f"a lag of {amount:g} working days",
                "w": f"a lag of {amount:g} weeks",
                "ed": f"an elapsed lag of {amount:g} calendar days",
                "pct": "",
            }[unit]
            self.notes.append(
                f"{self.where(link.successor_uid)}: {what} from UID {link.predecessor_uid} "
                f"became {_days(days)}"
            )
        return days, "d", None

    def constraint(self, where: str, task: Element) -> tuple[ConstraintType | None, dt.date | None]:
        code = self.whole(where, task, "ConstraintType")
        if code is None or code == 0:
            return None, None
        names = {1: "as late as possible", 2: "must start on", 3: "must finish on",
                 5: "start no later than", 6: "finish no earlier than"}  # fmt: skip
        mapped: dict[int, ConstraintType] = {2: "SNET", 3: "FNLT", 4: "SNET", 7: "FNLT"}
        if code not in mapped:
            if code in names:
                self.notes.append(
                    Message(
                        N_('%(task)s: the constraint "%(name)s" was dropped'),
                        task=where,
                        name=names[code],
                    )
                )
            else:
                self.errors.append((where, Message(N_("ConstraintType %(n)s is not 0–7"), n=code)))
            return None, None
        day = self.day(where, task, "ConstraintDate")
        if day is None:
            if self.text(task, "ConstraintDate") is None:
                self.errors.append(
                    (where, Message(N_("ConstraintType %(n)s needs a ConstraintDate"), n=code))
                )
            return None, None
        if code in names:
            self.notes.append(
                f'{where}: the constraint "{names[code]}" became {mapped[code]} {day}'
            )
        return mapped[code], day

    def links(self, raw: _RawTask) -> list[_RawLink]:
        where = self.where(raw.uid)
        out: list[_RawLink] = []
        for element in self.children(raw.element, "PredecessorLink"):
            pred = self.whole(where, element, "PredecessorUID")
            if pred is None:
                if self.text(element, "PredecessorUID") is None:
                    self.errors.append(
                        (where, Message(N_("a PredecessorLink has no PredecessorUID")))
                    )
                continue
            if self.flag(where, element, "CrossProject"):
                self.notes.append(
                    Message(N_("%(task)s: a link to another project was dropped"), task=where)
                )
                continue
            code = self.whole(where, element, "Type")
            if code is None:
                code = 1
            if code not in LINK_TYPE:
                self.errors.append(
                    (
                        where,
                        Message(
                            N_(
                                "PredecessorLink Type %(n)s is not 0 (FF), 1 (FS), 2 (SF) or 3 (SS)"
                            ),
                            n=code,
                        ),
                    )
                )
                continue
            lag = self.whole(where, element, "LinkLag") or 0
            fmt = self.whole(where, element, "LagFormat") or 7
            out.append(_RawLink(raw.uid, pred, LINK_TYPE[code], lag, fmt))
        return out

    def item(
        self, raw: _RawTask, phase_key: str, window_start: dt.date | None = None
    ) -> ItemData | None:
        where = self.where(raw.uid)
        task = raw.element
        errors_before = len(self.errors)
        name = self.text(task, "Name")
        if name is None:
            self.errors.append((where, Message(N_("the task has no Name"))))
        custom = self.custom_values(task)
        milestone_flag = self.flag(where, task, "Milestone")
        days = self.duration_days(where, task, milestone_flag)
        if days is not None and milestone_flag and days > 0:
            self.notes.append(
                Message(
                    N_("%(task)s: marked as a milestone but lasts %(n)s days: a task"),
                    task=where,
                    n=days,
                )
            )
        percent = self.whole(where, task, "PercentComplete") or 0
        if not 0 <= percent <= 100:
            self.errors.append(
                (where, Message(N_("PercentComplete must be 0–100, got %(n)s"), n=percent))
            )
        actual_start = self.day(where, task, "ActualStart")
        actual_finish = self.day(where, task, "ActualFinish")
        if actual_finish and actual_start is None and days is not None:
            actual_start = (
                actual_finish
                if days == 0
                else self.work_calendar.add_workdays(
                    self.work_calendar.previous_workday(actual_finish), -(days - 1)
                )
            )
            self.notes.append(
                Message(
                    N_("%(task)s: no ActualStart; %(day)s taken from the duration"),
                    task=where,
                    day=actual_start,
                )
            )
        if actual_start and actual_finish and actual_finish < actual_start:
            self.errors.append(
                (
                    where,
                    Message(
                        N_("ActualFinish %(finish)s is before ActualStart %(start)s"),
                        finish=actual_finish,
                        start=actual_start,
                    ),
                )
            )
        held = (custom.get(_HELD_BY) or "").strip().lower()
        fnet = self.whole(where, task, "ConstraintType") == FNET_CODE
        if fnet and held == HELD_BY_STATUS and actual_start is not None:
            # remaining work held after the status date, written for MS Project's sake
            constraint_type, constraint_date = None, None
            written_for_ms_project = True
        else:
            constraint_type, constraint_date = self.constraint(where, task)
            bound = self.status_date if held == HELD_BY_STATUS else window_start
            written_for_ms_project = (
                constraint_type == "SNET"
                and held in (HELD_BY_STATUS, HELD_BY_WINDOW)
                and bound is not None
                and constraint_date == self.work_calendar.next_workday(bound)
            )
        if written_for_ms_project:
            # the planner's own rules hold the item back: not a constraint of the item
            constraint_type = constraint_date = None
            if _OWN_SNET in custom:
                try:
                    constraint_type, constraint_date = "SNET", _date(custom[_OWN_SNET])
                except _Bad as exc:
                    self.errors.append((where, _bad_field(_OWN_SNET.alias, exc)))
        deadline = self.day(where, task, "Deadline")
        if deadline is not None:
            if constraint_type is None:
                constraint_type, constraint_date = "FNLT", deadline
            elif (constraint_type, constraint_date) != ("FNLT", deadline):
                self.notes.append(
                    f"{where}: the deadline {deadline} was dropped (the task keeps its "
                    f"{constraint_type} {constraint_date} constraint)"
                )
        baseline_start = baseline_finish = None
        for baseline in self.children(task, "Baseline"):
            if self.text(baseline, "Number") in (None, "0"):
                baseline_start = self.day(where, baseline, "Start")
                baseline_finish = self.day(where, baseline, "Finish")
        if len(self.errors) > errors_before or name is None or days is None:
            return None
        return ItemData(
            key=custom.get(_KEY, f"t{raw.uid}"),
            name=name,
            phase_key=phase_key,
            kind="milestone" if days == 0 else "task",
            duration=days,
            workstream=custom.get(_WORKSTREAM),
            owner=custom.get(_OWNER),
            percent_complete=percent,
            actual_start=actual_start,
            actual_finish=actual_finish,
            constraint_type=constraint_type,
            constraint_date=constraint_date,
            early_start=self.day(where, task, "Start"),
            early_finish=self.day(where, task, "Finish"),
            baseline_start=baseline_start,
            baseline_finish=baseline_finish,
            alt_name=custom.get(_NAME_EN if self.language == "zh" else _NAME_ZH),
        )

    def phase(self, raw: _RawTask) -> _PhaseDraft:
        where = self.where(raw.uid)
        custom = self.custom_values(raw.element)
        name = self.text(raw.element, "Name")
        if name is None:
            self.errors.append((where, Message(N_("the summary task has no Name"))))
        ordinal = None
        for ordinal_field in (_ORDINAL, _ORDINAL_NUMBER):
            if ordinal is None and ordinal_field in custom:
                try:
                    ordinal = _int(custom[ordinal_field])
                except _Bad as exc:
                    self.errors.append((where, _bad_field(ordinal_field.alias, exc)))
        start = end = None
        for custom_field, element_name in ((_WINDOW_START, "Start"), (_WINDOW_END, "Finish")):
            value: dt.date | None = None
            if custom_field in custom:
                try:
                    value = _date(custom[custom_field])
                except _Bad as exc:
                    self.errors.append((where, _bad_field(custom_field.alias, exc)))
            elif custom_field is _WINDOW_END:
                value = self.day(where, raw.element, element_name)
            elif self.whole(where, raw.element, "ConstraintType") == CONSTRAINT_CODE["SNET"]:
                # a summary's own start-no-earlier-than holds its tasks back: the window
                value = self.day(where, raw.element, "ConstraintDate")
            else:
                # a summary's Start is computed from its tasks: it never becomes a window
                # start (that would hold its tasks back like a constraint); the phase is
                # open from the project start
                value = None
                self.open_phases.append(raw.uid)
            if custom_field is _WINDOW_START:
                start = value
            else:
                end = value
        return _PhaseDraft(
            raw.uid,
            custom.get(_KEY, f"t{raw.uid}"),
            name or "",
            ordinal,
            start,
            end,
            alt_name=custom.get(_NAME_EN if self.language == "zh" else _NAME_ZH),
        )

    # -- the whole file -------------------------------------------------------------------

    def plan(self) -> _Built | None:
        self.header()
        self.calendars()
        raws = self.raw_tasks()
        by_uid = {raw.uid: raw for raw in raws}
        drafts: list[_PhaseDraft] = []
        loose: _PhaseDraft | None = None
        items: dict[int, ItemData] = {}
        raw_links: list[_RawLink] = []
        top: _PhaseDraft | None = None
        for raw in raws:
            if raw.skipped is not None:
                continue
            if raw.level == 1:
                top = None
            if raw.summary and self.children(raw.element, "PredecessorLink"):
                self.notes.append(
                    Message(
                        N_("%(task)s: the links into a summary task were dropped"),
                        task=self.where(raw.uid),
                    )
                )
            if raw.summary and raw.level == 1:
                top = self.phase(raw)
                drafts.append(top)
                continue
            if raw.summary:
                raw.skipped = "summary"
                self.notes.append(
                    Message(
                        N_(
                            "%(task)s is a summary task inside a phase: its tasks were kept, "
                            "the summary was not"
                        ),
                        task=self.where(raw.uid),
                    )
                )
                continue
            phase = top
            if phase is None:
                if loose is None:
                    taken = {d.key for d in drafts} | {f"t{r.uid}" for r in raws}
                    key = "t0" if "t0" not in taken else "project"
                    loose = _PhaseDraft(None, key, self.name, None, None, None)
                    drafts.append(loose)
                phase = loose
            item = self.item(raw, phase.key, phase.start)
            raw_links.extend(self.links(raw))
            if item is not None:
                items[raw.uid] = item
                phase.item_uids.append(raw.uid)
        links = self.resolve_links(raw_links, by_uid, items)
        if self.errors:
            return None
        if self.start is None:
            starts = [d for i in items.values() for d in (i.early_start, i.actual_start) if d]
            if not starts:
                self.errors.append((_PROJECT, Message(N_("the project has no StartDate"))))
                return None
            self.start = min(starts)
            self.notes.append(
                Message(N_("the project has no StartDate: %(day)s is used"), day=self.start)
            )
        item_uids = [uid for d in drafts for uid in d.item_uids]
        plan = PlanData(
            self.name,
            self.start,
            self.calendar,
            self.phases(drafts, items),
            tuple(items[uid] for uid in item_uids),
            tuple(link for _, link in links),
            status_date=self.status_date,
            language=self.language,
        )
        return _Built(
            plan, [d.uid for d in drafts], item_uids, [uid for uid, _ in links], dict(self.names)
        )

    def resolve_links(
        self, raw_links: list[_RawLink], by_uid: dict[int, _RawTask], items: dict[int, ItemData]
    ) -> list[tuple[int, LinkData]]:
        durations = {uid: item.duration for uid, item in items.items()}
        out: list[tuple[int, LinkData]] = []
        for link in raw_links:
            where = self.where(link.successor_uid)
            pred = by_uid.get(link.predecessor_uid)
            if pred is None:
                self.errors.append(
                    (
                        where,
                        Message(
                            N_("the predecessor UID %(uid)s is not a task of the file"),
                            uid=link.predecessor_uid,
                        ),
                    )
                )
                continue
            if pred.skipped is not None or pred.summary and pred.uid not in items:
                why = (
                    "a summary task" if pred.summary or pred.skipped == "summary" else pred.skipped
                )
                self.notes.append(f"{where}: the link from UID {pred.uid} ({why}) was dropped")
                continue
            if link.predecessor_uid not in items or link.successor_uid not in items:
                continue  # an error about that task is already listed
            lag, unit, amount = self.lag(link, durations)
            data = LinkData(
                items[pred.uid].key, items[link.successor_uid].key, link.type, lag, unit, amount
            )
            out.append((link.successor_uid, data))
        return out

    def phases(
        self, drafts: list[_PhaseDraft], items: dict[int, ItemData]
    ) -> tuple[PhaseData, ...]:
        assert self.start is not None
        used: set[int] = set()
        for draft in drafts:
            if draft.ordinal is not None:
                used.add(draft.ordinal)
        following = max(used) + 1 if used else 1
        out: list[PhaseData] = []
        for draft in drafts:
            ordinal = draft.ordinal
            if ordinal is None:
                ordinal = following
                following += 1
            days = [
                d
                for uid in draft.item_uids
                for d in (
                    items[uid].early_start,
                    items[uid].early_finish,
                    items[uid].actual_start,
                    items[uid].actual_finish,
                )
                if d is not None
            ]
            if draft.start is not None:
                start = draft.start
            elif draft.uid in self.open_phases:
                start = min([self.start, *days])
            else:
                start = min(days) if days else self.start
            end = draft.end or (max(days) if days else start)
            out.append(
                PhaseData(draft.key, draft.name, ordinal, start, max(start, end), draft.alt_name)
            )
        return tuple(out)


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


# -- errors of the whole plan, named by task ----------------------------------------------------

_ELEMENT_OF: Final = {
    "key": "Planner key",
    "name": "Name",
    "ordinal": "Planner phase ordinal",
    "start": "Start",
    "end": "Finish",
    "phase_key": "phase",
    "kind": "Milestone",
    "duration": "Duration",
    "workstream": "Workstream",
    "owner": "Owner",
    "percent_complete": "PercentComplete",
    "actual_start": "ActualStart",
    "actual_finish": "ActualFinish",
    "constraint_type": "ConstraintType",
    "constraint_date": "ConstraintDate",
    "early_start": "Start",
    "early_finish": "Finish",
    "baseline_start": "Baseline Start",
    "baseline_finish": "Baseline Finish",
    "predecessor": "PredecessorLink",
    "successor": "PredecessorLink",
    "type": "PredecessorLink Type",
    "lag": "LinkLag",
}


@dataclass(frozen=True)
class _Built:
    """A plan read from a file, with the UID each phase, item and link came from."""

    plan: PlanData
    phase_uids: list[int | None]
    item_uids: list[int]
    link_uids: list[int]

    names: dict[int, str] = field(default_factory=dict)  # task UID → Name

    def task(self, uid: int) -> Message:
        return task_where(uid, self.names.get(uid, ""))

    def locate(self, problem: Problem) -> tuple[str, str]:
        """A problem of the plan as (task, message), in the file's terms; tasks are named by
        UID and name."""
        element = _ELEMENT_OF.get(problem.field, problem.field)
        message = f"{element}: {problem.message}" if element else problem.message
        index = problem.index
        if problem.section == "items" and index is not None:
            return self.task(self.item_uids[index]), message
        if problem.section == "phases" and index is not None:
            uid = self.phase_uids[index]
            return (_PROJECT if uid is None else self.task(uid)), message
        if problem.section == "links" and index is not None:
            return self.task(self.link_uids[index]), message
        if problem.section == "links":
            uids = dict(zip((i.key for i in self.plan.items), self.item_uids, strict=True))
            cycle = find_cycle(self.plan.links) or []
            steps = " → ".join(str(self.task(uids[k])) for k in [*cycle, *cycle[:1]])
            return _TASKS, Message(N_("dependency cycle: %(steps)s"), steps=steps)
        if problem.section == "calendar":
            return _CALENDAR, problem.message
        return _PROJECT, message


def read_with_notes(data: bytes) -> MspdiImport:
    """Read an MSPDI file: the plan, and notes on what was adapted; ImportFormatError if bad.

    Examples:
        >>> d = dt.date(2024, 3, 4)
        >>> plan = PlanData("P", d, phases=[PhaseData("p", "Phase", 1, d, d)],
        ...                 items=[ItemData("m", "Go-live", "p", "milestone", 0)])
        >>> read_with_notes(write(plan)).notes
        ()
    """
    root = parse(data, "MS Project XML")
    if local_name(root.tag) != "Project" or root.tag.startswith("{") and NAMESPACE not in root.tag:
        raise import_error(
            [("file", f"this is not an MS Project XML file (the root is <{local_name(root.tag)}>)")]
        )
    reader = _Reader(root)
    built = reader.plan()
    if built is None or reader.errors:
        raise import_error(reader.errors, "the MS Project file")
    errors = [built.locate(problem) for problem in problems(built.plan)]
    if errors:
        raise import_error(errors, "the MS Project file")
    return MspdiImport(normalised(built.plan), tuple(reader.notes))


def read(data: bytes) -> PlanData:
    """Read an MSPDI file into a plan (see :func:`read_with_notes` for what was adapted)."""
    return read_with_notes(data).plan
