"""Writing a plan as MSPDI: the project header, its calendar, a summary task per phase, the work
items with progress, constraints and links.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from planner.domain.calendar import WorkCalendar
from planner.interop.mspdi.semantics import (
    _HELD_BY,
    _KEY,
    _NAME_EN,
    _NAME_ZH,
    _ORDINAL,
    _OWN_SNET,
    _OWNER,
    _WINDOW_END,
    _WINDOW_START,
    _WORKSTREAM,
    _WRITTEN_FIELDS,
    CALENDAR_UID,
    CONSTRAINT_CODE,
    CURRENCY_CODE,
    DAY_END,
    DAY_START,
    FNET_CODE,
    HELD_BY_STATUS,
    HELD_BY_WINDOW,
    HOURS_PER_DAY,
    LAG_FORMAT,
    LINK_CODE,
    MINUTES_PER_DAY,
    NAMESPACE,
    SAVE_VERSION,
    WORKING_TIMES,
    _Field,
)
from planner.interop.plandata import (
    CalendarData,
    ItemData,
    LinkData,
    PhaseData,
    PlanData,
    normalised,
    validate,
)

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
    task = _task(tasks, uid, item.name, 2, outline)
    _write_schedule(task, item)
    held_by = _write_constraint(task, item, phase, context)
    for link in links:
        _write_link(task, link, context)
    _write_item_fields(task, item, held_by, context.alt)
    _write_baseline(task, item)


def _sub_day(parent: Element, tag: str, day: dt.date | None, time: str) -> None:
    """``<tag>`` stamped at ``time`` of the day, when there is a day."""
    if day is not None:
        _sub(parent, tag, _stamp(day, time))


def _write_schedule(task: Element, item: ItemData) -> None:
    """Dates, duration and progress (in the element order MS Project writes)."""
    milestone = item.kind == "milestone"
    _sub_day(task, "Start", item.early_start, DAY_END if milestone else DAY_START)
    _sub_day(task, "Finish", item.early_finish, DAY_END)
    _sub(task, "Duration", _hours(item.duration))
    _sub(task, "DurationFormat", 7)
    _write_progress(task, item)
    _sub(task, "Estimated", 0)
    _sub(task, "Milestone", int(milestone))
    _sub(task, "Summary", 0)
    _sub(task, "PercentComplete", item.percent_complete)
    _sub_day(task, "ActualStart", item.actual_start, DAY_START)
    _sub_day(task, "ActualFinish", item.actual_finish, DAY_END)


def _write_constraint(
    task: Element, item: ItemData, phase: PhaseData, context: _Context
) -> str | None:
    """The constraint and deadline written; what holds the item back (None: its own rule)."""
    code, constraint_day, held_by = _effective_constraint(item, phase, context)
    _sub(task, "ConstraintType", code)
    _sub(task, "CalendarUID", -1)
    _sub_day(task, "ConstraintDate", constraint_day, DAY_END if code == FNET_CODE else DAY_START)
    if item.constraint_type == "FNLT":
        # the planner's finish-no-later-than never moves a task, it shows negative float:
        # MS Project's deadline, not its FNLT constraint (which pulls the task earlier)
        _sub_day(task, "Deadline", item.constraint_date, DAY_END)
    return held_by


def _write_item_fields(task: Element, item: ItemData, held_by: str | None, alt: _Field) -> None:
    """The planner's own fields (custom fields of MS Project)."""
    _custom(task, _KEY, item.key)
    if item.workstream is not None:
        _custom(task, _WORKSTREAM, item.workstream)
    if item.owner is not None:
        _custom(task, _OWNER, item.owner)
    if item.alt_name:
        _custom(task, alt, item.alt_name)
    if held_by is not None:
        _custom(task, _HELD_BY, held_by)
        if item.constraint_type == "SNET" and item.constraint_date is not None:
            _custom(task, _OWN_SNET, _stamp(item.constraint_date, DAY_START))


def _write_baseline(task: Element, item: ItemData) -> None:
    if item.baseline_start is None and item.baseline_finish is None:
        return
    baseline = _sub(task, "Baseline")
    _sub(baseline, "Number", 0)
    _sub_day(baseline, "Start", item.baseline_start, DAY_START)
    _sub_day(baseline, "Finish", item.baseline_finish, DAY_END)


def write(plan: PlanData) -> bytes:
    """The plan as an MS Project XML file (UTF-8); ValidationError if the plan is unsound.

    Examples:
        >>> from planner.interop.mspdi.read import read
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
