"""Reading MSPDI's tasks: durations, constraints, links and lags, work items and phases."""

from __future__ import annotations

import datetime as dt
from xml.etree.ElementTree import Element

from planner.domain.lags import LagUnit, lag_working_days, round_half_away
from planner.interop.messages import N_, Message
from planner.interop.mspdi.read_base import (
    _bad_field,
    _PhaseDraft,
    _RawLink,
    _RawTask,
    _ReaderBase,
    task_where,
)
from planner.interop.mspdi.semantics import (
    _ELAPSED_FORMATS,
    _HELD_BY,
    _KEY,
    _NAME_EN,
    _NAME_ZH,
    _ORDINAL,
    _ORDINAL_NUMBER,
    _OWN_SNET,
    _OWNER,
    _PERCENT_FORMATS,
    _WEEK_FORMATS,
    _WINDOW_END,
    _WINDOW_START,
    _WORKSTREAM,
    CONSTRAINT_CODE,
    FNET_CODE,
    HELD_BY_STATUS,
    HELD_BY_WINDOW,
    LINK_TYPE,
    _Bad,
    _date,
    _days,
    _duration_hours,
    _Field,
    _int,
)
from planner.interop.plandata import (
    ConstraintType,
    ItemData,
)


class _TaskReader(_ReaderBase):
    # -- tasks -------------------------------------------------------------------------

    def raw_tasks(self) -> list[_RawTask]:
        container = self.find(self.root, "Tasks")
        elements = self.children(container, "Task") if container is not None else []
        raws: list[_RawTask] = []
        ids: list[int | None] = []
        seen: set[int] = set()
        for position, element in enumerate(elements, start=1):
            listed = self.raw_task(position, element, seen)
            if listed is not None:
                raws.append(listed[0])
                ids.append(listed[1])
        if raws and all(i is not None for i in ids):
            order = sorted(range(len(raws)), key=lambda i: (ids[i], i))
            raws = [raws[i] for i in order]
        self.mark_summaries([r for r in raws if r.skipped is None])
        return raws

    def raw_task(
        self, position: int, element: Element, seen: set[int]
    ) -> tuple[_RawTask, int | None] | None:
        """A task as the file lists it, and its ID; None (with an error) when it has no UID
        or one an earlier task has."""
        where = Message(N_("Task #%(n)s"), n=position)
        uid = self.whole(where, element, "UID")
        if uid is None:
            if self.text(element, "UID") is None:
                self.errors.append((where, Message(N_("the task has no UID"))))
            return None
        where = task_where(uid, self.text(element, "Name") or "")
        if uid in seen:
            self.errors.append((where, Message(N_("UID %(uid)s is used by two tasks"), uid=uid)))
            return None
        seen.add(uid)
        self.names[uid] = self.text(element, "Name") or ""
        level = self.whole(where, element, "OutlineLevel")
        raw = _RawTask(position, uid, element, 1 if level is None else level)
        raw.skipped = self.skip_reason(where, raw)
        return raw, self.whole(where, element, "ID")

    def skip_reason(self, where: str, raw: _RawTask) -> str | None:
        """Why a task is not imported (None: it is)."""
        if self.flag(where, raw.element, "IsNull"):
            return "blank row"
        if raw.level <= 0:
            return "project summary"
        if self.text(raw.element, "Active") == "0":
            self.notes.append(Message(N_("%(task)s is inactive"), task=where))
            return "inactive"
        if self.flag(where, raw.element, "ExternalTask"):
            return "external"
        return None

    def mark_summaries(self, live: list[_RawTask]) -> None:
        """A task is a summary when it says so or the next imported task is below it."""
        for i, raw in enumerate(live):
            later = live[i + 1].level if i + 1 < len(live) else 0
            raw.summary = (
                self.flag(self.where(raw.uid), raw.element, "Summary") or later > raw.level
            )

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
            given = Message(N_("an elapsed duration of %(n)s calendar days"), n=f"{hours / 24:g}")
        else:
            exact = hours * 60 / self.minutes_per_day
            given = Message(N_("a duration of %(n)s working days"), n=f"{exact:g}")
        days = round_half_away(exact)
        if hours > 0 and days == 0:
            days = 1
        if abs(days - exact) > 1e-6:
            self.notes.append(
                Message(
                    N_("%(task)s: %(given)s became %(days)s"),
                    task=where,
                    given=given,
                    days=_days(days),
                )
            )
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
            templates = {
                "d": N_("a lag of %(n)s working days"),
                "w": N_("a lag of %(n)s weeks"),
                "ed": N_("an elapsed lag of %(n)s calendar days"),
            }
            given = Message(templates[unit], n=f"{amount:g}")
            self.notes.append(
                Message(
                    N_("%(task)s: %(given)s from UID %(uid)s became %(days)s"),
                    task=self.where(link.successor_uid),
                    given=given,
                    uid=link.predecessor_uid,
                    days=_days(days),
                )
            )
        return days, "d", None

    def constraint(
        self, where: str, task: Element, code: int | None
    ) -> tuple[ConstraintType | None, dt.date | None]:
        """The task's constraint of MS Project's ``code`` (its ConstraintType, read once:
        a malformed one is reported once)."""
        if code is None or code == 0:
            return None, None
        names = {
            1: Message(N_("as late as possible")),
            2: Message(N_("must start on")),
            3: Message(N_("must finish on")),
            5: Message(N_("start no later than")),
            6: Message(N_("finish no earlier than")),
        }
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
                Message(
                    N_('%(task)s: the constraint "%(name)s" became %(type)s %(day)s'),
                    task=where,
                    name=names[code],
                    type=mapped[code],
                    day=day.isoformat(),
                )
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
            lag = self.whole(where, element, "LinkLag", rounded=True) or 0
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
        days = self.item_days(where, task)
        percent = self.percent(where, task)
        actual_start, actual_finish = self.actuals(where, task, days)
        constraint = self.item_constraint(where, task, custom, actual_start, window_start)
        constraint_type, constraint_date = self.with_deadline(where, task, constraint)
        baseline_start, baseline_finish = self.baseline(where, task)
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

    def item_days(self, where: str, task: Element) -> int | None:
        """The duration in working days (a note when a milestone lasts: it is a task)."""
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
        return days

    def percent(self, where: str, task: Element) -> int:
        percent = self.whole(where, task, "PercentComplete", rounded=True) or 0
        if not 0 <= percent <= 100:
            self.errors.append(
                (where, Message(N_("PercentComplete must be 0–100, got %(n)s"), n=percent))
            )
        return percent

    def actuals(
        self, where: str, task: Element, days: int | None
    ) -> tuple[dt.date | None, dt.date | None]:
        """ActualStart and ActualFinish; a missing start is taken from the finish and the
        duration."""
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
        return actual_start, actual_finish

    def item_constraint(
        self,
        where: str,
        task: Element,
        custom: dict[_Field, str],
        actual_start: dt.date | None,
        window_start: dt.date | None,
    ) -> tuple[ConstraintType | None, dt.date | None]:
        """The item's own constraint: not one the planner wrote for MS Project's sake (where
        its rules hold the item back), in which case the item's own SNET is in a field."""
        held = (custom.get(_HELD_BY) or "").strip().lower()
        code = self.whole(where, task, "ConstraintType")
        if code == FNET_CODE and held == HELD_BY_STATUS and actual_start is not None:
            # remaining work held after the status date, written for MS Project's sake
            return self.own_snet(where, custom)
        constraint_type, constraint_date = self.constraint(where, task, code)
        bound = self.status_date if held == HELD_BY_STATUS else window_start
        written_for_ms_project = (
            constraint_type == "SNET"
            and held in (HELD_BY_STATUS, HELD_BY_WINDOW)
            and bound is not None
            and constraint_date == self.work_calendar.next_workday(bound)
        )
        if written_for_ms_project:
            return self.own_snet(where, custom)
        return constraint_type, constraint_date

    def own_snet(
        self, where: str, custom: dict[_Field, str]
    ) -> tuple[ConstraintType | None, dt.date | None]:
        """The planner's own rules hold the item back: not a constraint of the item, whose
        own start-no-earlier-than, if any, was written in a field of its own."""
        if _OWN_SNET not in custom:
            return None, None
        try:
            return "SNET", _date(custom[_OWN_SNET])
        except _Bad as exc:
            self.errors.append((where, _bad_field(_OWN_SNET.alias, exc)))
            return None, None

    def with_deadline(
        self,
        where: str,
        task: Element,
        constraint: tuple[ConstraintType | None, dt.date | None],
    ) -> tuple[ConstraintType | None, dt.date | None]:
        """MS Project's deadline is the planner's finish-no-later-than, unless the task has
        another constraint (then the deadline is dropped, with a note)."""
        deadline = self.day(where, task, "Deadline")
        if deadline is None:
            return constraint
        constraint_type, constraint_date = constraint
        if constraint_type is None:
            return "FNLT", deadline
        if constraint != ("FNLT", deadline):
            self.notes.append(
                Message(
                    N_(
                        "%(task)s: the deadline %(deadline)s was dropped (the task keeps its "
                        "%(type)s %(day)s constraint)"
                    ),
                    task=where,
                    deadline=str(deadline),
                    type=constraint_type,
                    day=str(constraint_date),
                )
            )
        return constraint

    def baseline(self, where: str, task: Element) -> tuple[dt.date | None, dt.date | None]:
        """Start and Finish of baseline 0 (the last one listed, should there be two)."""
        baseline_start = baseline_finish = None
        for baseline in self.children(task, "Baseline"):
            if self.text(baseline, "Number") in (None, "0"):
                baseline_start = self.day(where, baseline, "Start")
                baseline_finish = self.day(where, baseline, "Finish")
        return baseline_start, baseline_finish

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
