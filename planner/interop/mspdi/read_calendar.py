"""Reading MSPDI's project header and calendars: working days, exceptions and their recurrences."""

from __future__ import annotations

import datetime as dt
from xml.etree.ElementTree import Element

from planner.domain.errors import ValidationError
from planner.interop.messages import N_, Message
from planner.interop.mspdi.read_base import _CALENDAR, _PROJECT, _ReaderBase
from planner.interop.mspdi.semantics import (
    _FIELDS,
    _MAX_EXCEPTION_DAYS,
    _NAME_EN,
    _NAME_SUFFIX,
    DAY_END,
    DAY_START,
    _month_day,
    _month_position,
)
from planner.interop.plandata import (
    CalendarData,
)


class _CalendarReader(_ReaderBase):
    # -- project header ----------------------------------------------------------------

    def header(self) -> None:
        title = self.text(self.root, "Title")
        name = self.text(self.root, "Name")
        if title:
            self.name = title
        elif name:
            self.name = _NAME_SUFFIX.sub("", name) or self.name
        self.start = self.day(_PROJECT, self.root, "StartDate")
        minutes = self.whole(_PROJECT, self.root, "MinutesPerDay", rounded=True)
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
        chosen = self.project_calendar(calendars, by_uid)
        if chosen is None:
            if calendars:
                self.notes.append(
                    Message(N_("the project calendar was not found: Monday–Friday is used"))
                )
            return
        weekdays, exceptions = self.chain_days(self.base_chain(chosen, by_uid))
        data = CalendarData(
            frozenset(_workdays(weekdays)),
            frozenset(d for d, working in exceptions.items() if not working),
            frozenset(d for d, working in exceptions.items() if working),
            tuple((d, self.exception_names.get(d, "")) for d in exceptions),
        )
        self.use_calendar(data)

    def project_calendar(
        self, calendars: list[Element], by_uid: dict[str, Element]
    ) -> Element | None:
        """The project's CalendarUID, else the one named Standard, else the first base one."""
        wanted = self.text(self.root, "CalendarUID")
        chosen = by_uid.get(wanted) if wanted is not None else None
        if chosen is None:
            chosen = next((c for c in calendars if self.text(c, "Name") == "Standard"), None)
        if chosen is None:
            chosen = next((c for c in calendars if self.text(c, "IsBaseCalendar") == "1"), None)
        return chosen

    def base_chain(self, chosen: Element, by_uid: dict[str, Element]) -> list[Element]:
        """The calendar and the calendars it is based on, in turn (a loop is cut)."""
        chain = [chosen]
        seen = {id(chosen)}
        while True:
            base_uid = self.text(chain[-1], "BaseCalendarUID")
            base = by_uid.get(base_uid) if base_uid not in (None, "-1") else None
            if base is None or id(base) in seen:
                return chain
            chain.append(base)
            seen.add(id(base))

    def chain_days(self, chain: list[Element]) -> tuple[dict[int, bool], dict[dt.date, bool]]:
        """Weekdays and exceptions of a chain of calendars, each overriding its base."""
        weekdays: dict[int, bool] = {}
        exceptions: dict[dt.date, bool] = {}
        for cal in reversed(chain):  # the base first, the project calendar last (it wins)
            where = Message(
                N_('Calendar "%(name)s"'), name=self.text(cal, "Name") or self.text(cal, "UID")
            )
            days, excepted = self.calendar_days(where, cal)
            weekdays.update(days)
            exceptions.update(excepted)
        return weekdays, exceptions

    def use_calendar(self, data: CalendarData) -> None:
        """The calendar the plan is read with, unless it is unsound (then errors say why)."""
        try:
            self.work_calendar = data.to_work_calendar()
        except ValidationError as exc:
            for path, message in exc.errors:
                self.errors.append(
                    (
                        _CALENDAR,
                        Message(N_("%(element)s: %(problem)s"), element=path, problem=message),
                    )
                )
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


def _workdays(weekdays: dict[int, bool]) -> set[int]:
    """Monday to Friday, changed by the weekdays the calendars say are (not) working."""
    workdays = {0, 1, 2, 3, 4}
    for weekday, working in weekdays.items():
        if working:
            workdays.add(weekday)
        else:
            workdays.discard(weekday)
    return workdays
