"""Replanning: move a program's start and change its diagnosis length.

Phases are time boxes laid end to end from the program's start. Moving the start moves every
window by the same number of calendar days; a longer (or shorter) diagnosis pushes (or pulls)
every phase after it by the difference. Work not started moves with its window: its
start-no-earlier / finish-no-later dates move by its phase's shift. What already happened
stays: actual dates are never changed (a program may even be moved to start after work that
already began: actuals are history, not plan). Applying the opposite change restores the plan
exactly (shifts are calendar days).

Plain data in and out; problems are :class:`~planner.domain.explain.Explanation` codes,
worded where they are shown (``planner.replan_text``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from planner.domain.errors import ValidationError
from planner.domain.explain import Explanation

MIN_DIAGNOSIS_WEEKS = 1
MAX_DIAGNOSIS_WEEKS = 8
MAX_START_SHIFT_DAYS = 3 * 366  # further than this is a new program, not a replan


@dataclass(frozen=True)
class Window:
    """A phase's time box as planned: its key, kind, ordinal and first and last day."""

    key: str
    ordinal: int
    kind: str
    start: date
    end: date

    @property
    def length_days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class ItemState:
    """What replanning needs of a work item: its phase, whether it started, its constraint."""

    key: str
    phase_key: str
    actual_start: date | None
    constraint_date: date | None


@dataclass(frozen=True)
class Replan:
    """The request: a new start and/or a diagnosis length in whole weeks (None: unchanged)."""

    start: date | None = None
    diagnosis_weeks: int | None = None


@dataclass(frozen=True)
class ReplanResult:
    start: date
    windows: list[Window]
    # item key → its new constraint date (only items whose constraint moves)
    constraint_dates: dict[str, date] = field(default_factory=dict)
    # phase key → calendar days its window moved
    phase_shifts: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.constraint_dates) or any(self.phase_shifts.values())


class ReplanError(ValidationError):
    """A replan that breaks a rule; ``reasons`` holds ``(field, Explanation)`` pairs."""

    def __init__(self, reasons: list[tuple[str, Explanation]]) -> None:
        self.reasons = list(reasons)
        super().__init__("replan.refused", [(f, e.code) for f, e in self.reasons])


def diagnosis_weeks_of(windows: list[Window]) -> int | None:
    """The diagnosis length in whole weeks (rounded), or None without a diagnosis stage."""
    for window in windows:
        if window.kind == "diagnosis":
            return max(1, round(window.length_days / 7))
    return None


def diagnosis_weeks_problems(
    weeks: int | None, has_diagnosis: bool
) -> list[tuple[str, Explanation]]:
    """Why ``weeks`` cannot be the diagnosis length (empty when it can, or when None)."""
    if weeks is None:
        return []
    if not has_diagnosis:
        return [("diagnosis_weeks", Explanation("replan.no_diagnosis"))]
    if not MIN_DIAGNOSIS_WEEKS <= weeks <= MAX_DIAGNOSIS_WEEKS:
        limits = {"low": MIN_DIAGNOSIS_WEEKS, "high": MAX_DIAGNOSIS_WEEKS}
        return [("diagnosis_weeks", Explanation("replan.diagnosis_weeks_range", limits))]
    return []


def replan(
    program_start: date,
    windows: list[Window],
    items: list[ItemState],
    request: Replan,
) -> ReplanResult:
    """The new start, windows and constraint dates for ``request``; raise when refused."""
    new_start = request.start or program_start
    start_shift = (new_start - program_start).days
    diagnosis = next((w for w in windows if w.kind == "diagnosis"), None)
    reasons = _start_problems(start_shift)
    reasons += diagnosis_weeks_problems(request.diagnosis_weeks, diagnosis is not None)
    if reasons:
        raise ReplanError(reasons)
    new_diagnosis_days = None if request.diagnosis_weeks is None else request.diagnosis_weeks * 7
    new_windows, shifts = _moved_windows(windows, diagnosis, start_shift, new_diagnosis_days)
    moved_constraints = _moved_constraints(items, shifts, start_shift)
    return ReplanResult(new_start, new_windows, moved_constraints, shifts)


def _start_problems(start_shift: int) -> list[tuple[str, Explanation]]:
    """Why the start cannot move by ``start_shift`` days (empty when it can)."""
    if abs(start_shift) > MAX_START_SHIFT_DAYS:
        return [("start_date", Explanation("replan.start_too_far", {"days": MAX_START_SHIFT_DAYS}))]
    return []


def _moved_windows(
    windows: list[Window],
    diagnosis: Window | None,
    start_shift: int,
    new_diagnosis_days: int | None,
) -> tuple[list[Window], dict[str, int]]:
    """The windows, by ordinal, moved by the start's shift (and, after the diagnosis, by the
    change of its length), and each phase's shift in days."""
    extra_after_diagnosis = 0
    if diagnosis is not None and new_diagnosis_days is not None:
        extra_after_diagnosis = new_diagnosis_days - diagnosis.length_days
    new_windows = []
    shifts: dict[str, int] = {}
    for window in sorted(windows, key=lambda w: w.ordinal):
        shift = start_shift
        if diagnosis is not None and window.ordinal > diagnosis.ordinal:
            shift += extra_after_diagnosis
        start = window.start + timedelta(days=start_shift if window is diagnosis else shift)
        if window is diagnosis and new_diagnosis_days is not None:
            end = start + timedelta(days=new_diagnosis_days - 1)
        else:
            end = window.end + timedelta(days=shift)
        new_windows.append(Window(window.key, window.ordinal, window.kind, start, end))
        shifts[window.key] = start_shift if window is diagnosis else shift
    return new_windows, shifts


def _moved_constraints(
    items: list[ItemState], shifts: dict[str, int], start_shift: int
) -> dict[str, date]:
    """The new constraint dates of work not started whose phase moved."""
    moved_constraints = {}
    for item in items:
        shift = shifts.get(item.phase_key, start_shift)
        if item.actual_start is None and item.constraint_date is not None and shift:
            moved_constraints[item.key] = item.constraint_date + timedelta(days=shift)
    return moved_constraints
