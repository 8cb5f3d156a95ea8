"""Progress reported on a work item: percent complete and actual dates, checked against the
program's start and status date. A milestone has one date, when it was reached."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from planner.domain.errors import Problem


@dataclass(frozen=True)
class Progress:
    """Progress as it will be stored."""

    percent_complete: int
    actual_start: dt.date | None
    actual_finish: dt.date | None


def checked_progress(
    reported: Progress, *, milestone: bool, start: dt.date, status: dt.date
) -> tuple[Progress, list[Problem]]:
    """The progress to store (a milestone's one date as both dates, a finished item at
    100 %), and the problems that refuse it.

    Examples:
        >>> d = dt.date(2026, 3, 2)
        >>> checked_progress(Progress(40, d, None), milestone=False, start=d, status=d)[1]
        []
        >>> [p.code for p in checked_progress(Progress(40, None, None), milestone=False,
        ...                                   start=d, status=d)[1]]
        ['plan.progress.started']
    """
    percent, begun, ended = reported.percent_complete, reported.actual_start, reported.actual_finish
    problems: list[Problem] = []
    if not 0 <= percent <= 100:
        problems.append(
            Problem("percent_complete", "plan.progress.percent", {"value": str(percent)})
        )
    if milestone:  # one date: when the milestone was reached
        begun = ended = ended or begun
        percent = 100 if ended else 0
    problems += _date_problems(begun, ended, start, status)
    if ended is not None:
        percent = 100
    elif percent == 100 and not milestone:
        problems.append(Problem("actual_finish", "plan.progress.finish_missing"))
    if percent > 0 and begun is None and not problems:
        problems.append(Problem("actual_start", "plan.progress.started"))
    return Progress(percent, begun, ended), problems


def _date_problems(
    begun: dt.date | None, ended: dt.date | None, start: dt.date, status: dt.date
) -> list[Problem]:
    """Actual dates within the program's start and its status date, in order."""
    problems: list[Problem] = []
    for field, value in (("actual_start", begun), ("actual_finish", ended)):
        if value is None:
            continue
        if value > status:
            params = {"day": value.isoformat(), "status": status.isoformat()}
            problems.append(Problem(field, "plan.progress.after_status", params))
        elif value < start:
            params = {"day": value.isoformat(), "start": start.isoformat()}
            problems.append(Problem(field, "plan.progress.before_start", params))
    if ended is not None and begun is None:
        problems.append(Problem("actual_start", "plan.progress.start_missing"))
    if begun and ended and ended < begun:
        params = {"finish": ended.isoformat(), "start": begun.isoformat()}
        problems.append(Problem("actual_finish", "plan.progress.finish_before_start", params))
    return problems
