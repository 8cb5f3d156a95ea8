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

The package, one module a job: :mod:`.semantics` (what MSPDI values mean), :mod:`.write`,
and the reader in :mod:`.read` (with :mod:`.read_base`, :mod:`.read_calendar` and
:mod:`.read_tasks`).
"""

from __future__ import annotations

from planner.interop.mspdi.read import read, read_with_notes
from planner.interop.mspdi.read_base import MspdiImport, task_where
from planner.interop.mspdi.semantics import NAMESPACE
from planner.interop.mspdi.write import write
from planner.interop.safe_xml import parse

__all__ = [
    "NAMESPACE",
    "MspdiImport",
    "parse",
    "read",
    "read_with_notes",
    "task_where",
    "write",
]
