"""Adoption metrics: reading validation, RAG status against a phase target, linear forecast.

Every function is pure: plain values and frozen dataclasses in and out.

Semantics in one place:

- A phase window ``PhaseSpan(ordinal, start, end)`` includes both ``start`` and ``end``;
  its gate date is ``end``.
- A phase with no explicit target inherits the target of the nearest earlier phase
  (``target_for``).
- Status (``status``): green when the value reaches the target (``>=`` for "higher is
  better", ``<=`` for "lower is better"); amber when it misses by no more than the amber
  band; red beyond. Boundaries are inclusive. The amber band is
  ``amber_tolerance x |target|`` (relative to the target, so "10%" of a 60% target is 6
  points). When the target is 0 that band would be empty, so it falls back to
  ``amber_tolerance x |baseline - target|``, and to no amber band if there is no baseline.
- The forecast is an ordinary least-squares line through the readings, ``x`` being the day
  offset from the earliest reading; it needs readings on at least two distinct days.
- ``metric_status`` looks at readings dated on or before ``today`` only, and judges the
  latest of them against the target of the current phase (or of the most recent phase when
  ``today`` falls between or after phases).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from numbers import Real
from types import MappingProxyType
from typing import Literal

from planner.domain.errors import ValidationError
from planner.domain.explain import Explanation, Quantity, Reason, Term
from planner.domain.numbers import number_problem

Direction = Literal["higher", "lower"]
Rag = Literal["green", "amber", "red"]

#: Units shown as a bare number (no suffix).
_BARE_UNITS = frozenset({"", "count", "ratio", "number"})


@dataclass(frozen=True)
class MetricDef:
    """An adoption or benefit metric with a target per phase ordinal.

    ``targets`` is copied into a read-only mapping, so the definition cannot change after
    it is built. Being a mapping, it makes instances unhashable; compare them with ``==``.

    Examples:
        >>> m = MetricDef("active", "Active users", "%", "higher", 20.0, {1: 60.0})
        >>> m.targets[1]
        60.0
    """

    key: str
    name: str
    unit: str
    direction: Direction
    baseline: float | None = None
    targets: Mapping[int, float] = field(default_factory=dict)
    is_percentage: bool = False

    def __post_init__(self) -> None:
        """Freeze ``targets`` and refuse definitions no status could be computed from."""
        errors: list[tuple[str, str]] = []
        if not self.key.strip():
            errors.append(("key", "a metric needs a key"))
        if self.direction not in ("higher", "lower"):
            errors.append(
                ("direction", f'direction must be "higher" or "lower", got "{self.direction}"')
            )
        frozen = MappingProxyType(dict(sorted(self.targets.items())))
        object.__setattr__(self, "targets", frozen)
        checked: list[tuple[str, float | None]] = [("baseline", self.baseline)]
        checked += [(f"targets[{k}]", v) for k, v in frozen.items()]
        for path, number in checked:
            if number is None:
                continue
            if not _is_finite_number(number):
                errors.append((path, f"expected a number, got {number!r}"))
            elif self.is_percentage and not 0 <= number <= 100:
                errors.append(
                    (path, f"a percentage must be from 0 to 100, got {format_number(number)}")
                )
        if errors:
            raise ValidationError(
                f'metric "{self.name or self.key}": ' + "; ".join(f"{p}: {m}" for p, m in errors),
                errors,
            )


@dataclass(frozen=True)
class Reading:
    """One measured value of a metric on a day.

    Examples:
        >>> Reading(date(2024, 3, 4), 41.5).value
        41.5
    """

    day: date
    value: float
    note: str = ""


@dataclass(frozen=True)
class PhaseSpan:
    """A phase window; ``start`` and ``end`` are both inside it and ``end`` is the gate date.

    Examples:
        >>> PhaseSpan(1, date(2024, 1, 1), date(2024, 4, 9)).end
        datetime.date(2024, 4, 9)
    """

    ordinal: int
    start: date
    end: date

    def __post_init__(self) -> None:
        """Refuse a window that ends before it starts."""
        if self.end < self.start:
            raise ValidationError(
                f"phase {self.ordinal} ends ({self.end}) before it starts ({self.start})",
                [(f"phases[{self.ordinal}].end", "must be on or after the start")],
            )


@dataclass(frozen=True)
class Forecast:
    """A least-squares line ``value = intercept + slope_per_day x (day - origin).days``.

    ``origin`` is the earliest reading's day; ``r2`` is 1.0 when every reading has the same
    value (a flat line explains them perfectly).
    """

    slope_per_day: float
    intercept: float
    value_at_until: float
    r2: float
    origin: date
    until: date

    def value_on(self, day: date) -> float:
        """The line's value on ``day``.

        Examples:
            >>> f = Forecast(2.0, 10.0, 30.0, 1.0, date(2024, 1, 1), date(2024, 1, 11))
            >>> f.value_on(date(2024, 1, 4))
            16.0
        """
        return self.intercept + self.slope_per_day * (day - self.origin).days


@dataclass(frozen=True)
class StatusRule:
    """How far from target still counts as amber, as a fraction (0.10 = 10%).

    Examples:
        >>> StatusRule().amber_tolerance
        0.1
    """

    amber_tolerance: float = 0.10

    def __post_init__(self) -> None:
        """Refuse a tolerance outside 0–1 (a common slip: 10 meant as 10%)."""
        tol = self.amber_tolerance
        if not _is_finite_number(tol) or not 0 <= tol <= 1:
            raise ValidationError(
                f"amber tolerance is a fraction from 0 to 1 (0.10 means 10%); got {tol!r}",
                [("amber_tolerance", "expected a fraction from 0 to 1")],
            )

    def band(self, metric: MetricDef, target: float) -> float:
        """Width of the amber band for ``target`` (see the module docstring for the rule).

        Examples:
            >>> m = MetricDef("dup", "Duplicates", "%", "lower", 8.0, {1: 0.0}, True)
            >>> StatusRule().band(m, 60.0), StatusRule().band(m, 0.0)
            (6.0, 0.8)
        """
        if target != 0:
            return self.amber_tolerance * abs(target)
        if metric.baseline is not None:
            return self.amber_tolerance * abs(metric.baseline - target)
        return 0.0

    def describe(self, metric: MetricDef, target: float) -> Explanation:
        """The rule spelled out for a person, with the actual thresholds.

        Codes ``rule.higher`` / ``rule.lower`` (``target``, the amber band's far ``bound``,
        and ``within``: ``rule.within_target`` or ``rule.within_gap``), or, with no amber
        band, ``rule.higher_no_band`` / ``rule.lower_no_band`` (``target``, ``why``).

        Examples:
            >>> m = MetricDef("active", "Active users", "%", "higher", 20.0, {1: 60.0}, True)
            >>> rule = StatusRule().describe(m, 60.0)
            >>> rule.code, rule.params["bound"], rule.params["within"].code
            ('rule.higher', Quantity(value=54.0, unit='%'), 'rule.within_target')
        """
        t = Quantity(target, metric.unit)
        width = self.band(metric, target)
        tol = Quantity(self.amber_tolerance * 100, "%")
        if width == 0:
            why = Explanation(
                "rule.no_band.zero_tolerance"
                if self.amber_tolerance == 0
                else "rule.no_band.zero_target"
            )
            return Explanation(f"rule.{metric.direction}_no_band", {"target": t, "why": why})
        if target != 0:
            within = Explanation("rule.within_target", {"tolerance": tol})
        else:
            baseline = metric.baseline if metric.baseline is not None else 0.0
            within = Explanation(
                "rule.within_gap",
                {"tolerance": tol, "baseline": Quantity(baseline, metric.unit)},
            )
        edge = target - width if metric.direction == "higher" else target + width
        bound = Quantity(_clamp_pct(metric, edge), metric.unit)
        return Explanation(
            f"rule.{metric.direction}", {"target": t, "bound": bound, "within": within}
        )


@dataclass(frozen=True)
class MetricStatus:
    """A metric judged on a day: the phase and target used, the latest reading, the status,
    the forecast at the phase's gate date and its status, and why (see ``metric_status``).

    ``status`` is None when there is no reading or no target; ``forecast_at_gate`` is None
    when there are too few readings or the gate date has passed.
    """

    phase: PhaseSpan | None
    target: float | None
    latest: Reading | None
    status: Rag | None
    forecast_at_gate: float | None
    forecast_status: Rag | None
    reason: Reason
    forecast: Forecast | None = None


# --------------------------------------------------------------------------- formatting


def format_number(x: float) -> str:
    """A number as a person writes it: at most 4 decimals, no trailing zeros.

    Examples:
        >>> format_number(54.0), format_number(2.25), format_number(1 / 3), format_number(-0.0)
        ('54', '2.25', '0.3333', '0')
    """
    text = f"{x:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_value(x: float, unit: str) -> str:
    """A number with its unit: ``60%``, ``3 days``, ``1.5 logins/week``, ``0.2`` for ratios.

    English and locale-free (files, logs, messages of refusals); pages and explanations use
    ``planner.explain_text.format_value``, which writes numbers and "days" as the reader does.

    Examples:
        >>> format_value(60, "%"), format_value(1, "days"), format_value(2.5, "ratio")
        ('60%', '1 day', '2.5')
    """
    n = format_number(x)
    if unit == "%":
        return f"{n}%"
    if unit.strip().lower() in _BARE_UNITS:
        return n
    if unit == "days" and n == "1":
        return "1 day"
    return f"{n} {unit}"


# --------------------------------------------------------------------------- readings


def validate_reading(
    metric: MetricDef,
    day: object,
    value: object,
    program_start: date,
    program_end: date,
    existing_days: Iterable[date],
) -> float:
    """Check a reading before it is stored and return its value as a float.

    ``value`` may be a number or text (from a form or a file). Text may carry a trailing
    ``%`` for percentage metrics. Refused, all at once, with ``(path, message)`` pairs:
    a day outside the program (both ends included), a value that is not a finite number
    or is outside the numeric policy (``planner.domain.numbers``), a percentage outside
    0–100, and a day that already has a reading of this metric. When editing a reading,
    leave its own day out of ``existing_days``.

    Examples:
        >>> m = MetricDef("active", "Active users", "%", "higher", None, {}, True)
        >>> validate_reading(m, date(2024, 2, 1), " 45% ", date(2024, 1, 1),
        ...                  date(2025, 2, 3), [])
        45.0
        >>> try:
        ...     validate_reading(m, date(2024, 2, 1), 120, date(2024, 1, 1),
        ...                      date(2025, 2, 3), [date(2024, 2, 1)])
        ... except ValidationError as e:
        ...     for path, message in e.errors:
        ...         print(f"{path}: {message}")
        value: a percentage must be from 0 to 100, got 120
        date: there is already a reading of "Active users" on 2024-02-01 (edit that one instead)
    """
    errors: list[tuple[str, str]] = []
    if not isinstance(day, date):
        errors.append(("date", f"expected a date, got {day!r}"))
    else:
        if isinstance(day, datetime):  # keep the calendar day of a timestamp
            day = day.date()
        if not program_start <= day <= program_end:
            errors.append(
                (
                    "date",
                    f"{day.isoformat()} is outside the program "
                    f"({program_start.isoformat()} to {program_end.isoformat()})",
                )
            )
    number, problem = _parse_number(value, allow_percent_sign=metric.is_percentage)
    if problem:
        errors.append(("value", problem))
    elif number is not None and metric.is_percentage and not 0 <= number <= 100:
        errors.append(("value", f"a percentage must be from 0 to 100, got {format_number(number)}"))
    if isinstance(day, date) and day in set(existing_days):
        errors.append(
            (
                "date",
                f'there is already a reading of "{metric.name}" on {day.isoformat()} '
                "(edit that one instead)",
            )
        )
    if errors or number is None:
        raise ValidationError(
            f'reading of "{metric.name}" refused: ' + "; ".join(m for _, m in errors), errors
        )
    return number


def _parse_number(value: object, *, allow_percent_sign: bool) -> tuple[float | None, str]:
    """``(number, "")`` or ``(None, message)``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, "a value is required"
    if isinstance(value, bool):
        return None, f"expected a number, got {value!r}"
    if isinstance(value, str):
        text = value.strip()
        if allow_percent_sign and text.endswith("%"):
            text = text[:-1].strip()
        try:
            number = float(text)
        except ValueError:
            return None, f'expected a number, got "{value.strip()}"'
    elif isinstance(value, Real):
        number = float(value)
    else:
        return None, f"expected a number, got {value!r}"
    problem = number_problem(number)
    if problem:
        return None, problem
    return number, ""


def metric_number_problems(
    baseline: object, targets: Mapping[int, object]
) -> list[tuple[str, str]]:
    """``(path, message)`` for a baseline or target outside the numeric policy
    (``planner.domain.numbers``); paths as ``MetricDef`` names them.

    Examples:
        >>> metric_number_problems(None, {1: 60.0})
        []
        >>> [path for path, _ in metric_number_problems(-1e308, {1: 5.0, 2: 1e13})]
        ['baseline', 'targets[2]']
    """
    checked: list[tuple[str, object]] = [("baseline", baseline)]
    checked += [(f"targets[{k}]", v) for k, v in sorted(targets.items())]
    found = []
    for path, number in checked:
        if number is not None and (problem := number_problem(number)):
            found.append((path, problem))
    return found


# --------------------------------------------------------------------------- status


def status(metric: MetricDef, value: float, target: float, rule: StatusRule) -> Rag:
    """Green, amber or red for ``value`` against ``target``, honouring the direction.

    Examples:
        >>> up = MetricDef("active", "Active users", "%", "higher", 20.0, {1: 60.0}, True)
        >>> [status(up, v, 60.0, StatusRule()) for v in (60.0, 54.0, 53.9)]
        ['green', 'amber', 'red']
        >>> down = MetricDef("junk", "Junk orders", "%", "lower", 12.0, {1: 5.0}, True)
        >>> [status(down, v, 5.0, StatusRule()) for v in (5.0, 5.5, 5.6)]
        ['green', 'amber', 'red']
    """
    if not (_is_finite_number(value) and _is_finite_number(target)):
        raise ValidationError(
            f"status needs finite numbers, got value {value!r}, target {target!r}"
        )
    width = rule.band(metric, target)
    if metric.direction == "higher":
        if _at_least(value, target):
            return "green"
        return "amber" if _at_least(value, target - width) else "red"
    if _at_most(value, target):
        return "green"
    return "amber" if _at_most(value, target + width) else "red"


# --------------------------------------------------------------------------- phases, targets


def current_phase(phases: Iterable[PhaseSpan], today: date) -> PhaseSpan | None:
    """The phase whose window contains ``today``, or None before, between or after phases.

    Examples:
        >>> ps = [PhaseSpan(1, date(2024, 1, 1), date(2024, 4, 9)),
        ...       PhaseSpan(2, date(2024, 4, 10), date(2024, 7, 18))]
        >>> current_phase(ps, date(2024, 4, 10)).ordinal
        2
        >>> current_phase(ps, date(2024, 7, 19)) is None
        True
    """
    containing = [p for p in phases if p.start <= today <= p.end]
    if not containing:
        return None
    return max(containing, key=lambda p: (p.start, p.ordinal))


def target_for(metric: MetricDef, phase_ordinal: int) -> float | None:
    """The phase's target, else the nearest earlier phase's target, else None.

    Examples:
        >>> m = MetricDef("active", "Active users", "%", "higher", None, {1: 40.0, 3: 80.0})
        >>> [target_for(m, n) for n in (0, 1, 2, 3, 4)]
        [None, 40.0, 40.0, 80.0, 80.0]
    """
    if phase_ordinal in metric.targets:
        return metric.targets[phase_ordinal]
    earlier = [k for k in metric.targets if k < phase_ordinal]
    return metric.targets[max(earlier)] if earlier else None


def target_steps(metric: MetricDef, phases: Iterable[PhaseSpan]) -> list[tuple[date, float]]:
    """Points of the per-phase target step line: ``(start, target)`` and ``(end, target)``
    for every phase that has a target (own or inherited), in date order.

    Draw them with plotly's ``line_shape="hv"`` (a plain line also reads as steps: the rise
    between one phase's end and the next one's start spans a single day).

    Examples:
        >>> m = MetricDef("active", "Active users", "%", "higher", None, {1: 40.0, 2: 60.0})
        >>> ps = [PhaseSpan(0, date(2024, 1, 1), date(2024, 1, 31)),
        ...       PhaseSpan(1, date(2024, 2, 1), date(2024, 5, 10)),
        ...       PhaseSpan(2, date(2024, 5, 11), date(2024, 8, 18))]
        >>> [(d.isoformat(), t) for d, t in target_steps(m, ps)]
        [('2024-02-01', 40.0), ('2024-05-10', 40.0), ('2024-05-11', 60.0), ('2024-08-18', 60.0)]
    """
    points: list[tuple[date, float]] = []
    for phase in sorted(phases, key=lambda p: (p.start, p.ordinal)):
        target = target_for(metric, phase.ordinal)
        if target is not None:
            points += [(phase.start, target), (phase.end, target)]
    return points


# --------------------------------------------------------------------------- forecast


def linear_forecast(readings: Iterable[Reading], until: date) -> Forecast | None:
    """Least-squares line through the readings (x = days since the earliest reading),
    evaluated on ``until``; None unless readings fall on at least two distinct days.

    Examples:
        >>> rs = [Reading(date(2024, 1, 1), 10.0), Reading(date(2024, 1, 8), 20.0),
        ...       Reading(date(2024, 1, 15), 24.0)]
        >>> f = linear_forecast(rs, date(2024, 1, 29))
        >>> f.slope_per_day, f.intercept, f.value_at_until, round(f.r2, 4)
        (1.0, 11.0, 39.0, 0.9423)
    """
    points = list(readings)
    if len({r.day for r in points}) < 2:
        return None
    if not all(math.isfinite(r.value) for r in points):
        return None
    # computed on values scaled to at most 1 and scaled back, so that squares cannot
    # overflow whatever is stored (1e300 squared is not a float)
    scale = max(abs(r.value) for r in points) or 1.0
    line = _least_squares(points, scale, until)
    if line is None:
        return None
    slope, intercept, value, r2 = line
    return Forecast(slope, intercept, value, r2, min(r.day for r in points), until)


def _least_squares(
    points: list[Reading], scale: float, until: date
) -> tuple[float, float, float, float] | None:
    """Slope, intercept, value on ``until`` and r² of the line through ``points``, in the
    points' own units; None if the line's value on ``until`` is not a finite number."""
    origin = min(r.day for r in points)
    xs = [float((r.day - origin).days) for r in points]
    ys = [float(r.value) / scale for r in points]
    n = len(points)
    x_mean = math.fsum(xs) / n
    y_mean = math.fsum(ys) / n
    sxx = math.fsum((x - x_mean) ** 2 for x in xs)
    sxy = math.fsum((x - x_mean) * (y - y_mean) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    intercept = y_mean - slope * x_mean
    ss_tot = math.fsum((y - y_mean) ** 2 for y in ys)
    ss_res = math.fsum((y - (intercept + slope * x)) ** 2 for x, y in zip(xs, ys, strict=True))
    r2 = 1.0 if ss_tot == 0 else max(0.0, 1.0 - ss_res / ss_tot)
    value = (intercept + slope * (until - origin).days) * scale
    if not math.isfinite(value):
        return None
    return slope * scale, intercept * scale, value, r2


# --------------------------------------------------------------------------- judgement


def metric_status(
    metric: MetricDef,
    readings: Iterable[Reading],
    phases: Sequence[PhaseSpan],
    today: date,
    rule: StatusRule,
    phase_ordinal: int | None = None,
) -> MetricStatus:
    """Judge a metric on ``today``: latest reading against the phase target, and the
    linear forecast at the phase's gate date (only while the gate is still ahead).

    Readings dated after ``today`` are ignored. The phase is ``phase_ordinal`` when given
    (to judge against a particular gate), else the current phase, else the most recent
    phase that has started (after the last gate, its final target still applies).

    The reason is ``metric.no_such_phase`` (``phase``), ``metric.not_started`` (``day``),
    ``metric.no_target`` (``phase``) or ``metric.no_reading`` (``phase``, ``target``) when
    there is nothing to judge; else two clauses: ``metric.latest`` (``value``, ``day``,
    ``phase``, ``target``, ``status`` and the ``rule``), then ``metric.gate_passed``
    (``gate``), ``metric.too_few_readings`` or ``metric.forecast`` (``value``, ``gate``,
    ``status``).

    Examples:
        >>> m = MetricDef("active", "Active users", "%", "higher", 20.0, {1: 60.0}, True)
        >>> ps = [PhaseSpan(1, date(2024, 1, 1), date(2024, 4, 9))]
        >>> rs = [Reading(date(2024, 1, 8), 30.0), Reading(date(2024, 2, 5), 44.0)]
        >>> s = metric_status(m, rs, ps, date(2024, 2, 10), StatusRule())
        >>> # slope (44 - 30) / 28 days = 0.5 a day; 2024-01-08 to the gate is 92 days: 30 + 46
        >>> s.status, s.forecast_status, format_number(s.forecast_at_gate)
        ('red', 'green', '76')
        >>> [clause.code for clause in s.reason]
        ['metric.latest', 'metric.forecast']
    """
    phase = _pick_phase(phases, today, phase_ordinal)
    seen = sorted((r for r in readings if r.day <= today), key=lambda r: r.day)
    latest = seen[-1] if seen else None
    if phase is None:
        why = (
            Explanation("metric.no_such_phase", {"phase": phase_ordinal})
            if phase_ordinal is not None
            else Explanation("metric.not_started", {"day": today})
        )
        return MetricStatus(None, None, latest, None, None, None, why)
    target = target_for(metric, phase.ordinal)
    if target is None:
        return MetricStatus(
            phase,
            None,
            latest,
            None,
            None,
            None,
            Explanation("metric.no_target", {"phase": phase.ordinal}),
        )
    t = Quantity(target, metric.unit)
    if latest is None:
        return MetricStatus(
            phase,
            target,
            None,
            None,
            None,
            None,
            Explanation("metric.no_reading", {"phase": phase.ordinal, "target": t}),
        )
    now = status(metric, latest.value, target, rule)
    judged = Explanation(
        "metric.latest",
        {
            "value": Quantity(latest.value, metric.unit),
            "day": latest.day,
            "phase": phase.ordinal,
            "target": t,
            "status": Term("rag", now),
            "rule": rule.describe(metric, target),
        },
    )
    gate = phase.end
    forecast: Forecast | None = None
    forecast_value: float | None = None
    forecast_rag: Rag | None = None
    if today > gate:
        ahead = Explanation("metric.gate_passed", {"gate": gate})
    else:
        forecast = linear_forecast(seen, gate)
        if forecast is None:
            ahead = Explanation("metric.too_few_readings")
        else:
            forecast_value = _clamp_pct(metric, forecast.value_at_until)
            forecast_rag = status(metric, forecast_value, target, rule)
            ahead = Explanation(
                "metric.forecast",
                {
                    "value": Quantity(forecast_value, metric.unit),
                    "gate": gate,
                    "status": Term("rag", forecast_rag),
                },
            )
    return MetricStatus(
        phase, target, latest, now, forecast_value, forecast_rag, (judged, ahead), forecast
    )


def _pick_phase(
    phases: Sequence[PhaseSpan], today: date, phase_ordinal: int | None
) -> PhaseSpan | None:
    if phase_ordinal is not None:
        return next((p for p in phases if p.ordinal == phase_ordinal), None)
    found = current_phase(phases, today)
    if found is not None:
        return found
    started = [p for p in phases if p.start <= today]
    return max(started, key=lambda p: (p.start, p.ordinal)) if started else None


# --------------------------------------------------------------------------- helpers


def _is_finite_number(x: object) -> bool:
    return isinstance(x, Real) and not isinstance(x, bool) and math.isfinite(float(x))


def _slack(bound: float) -> float:
    """Float rounding allowance so 60 x 0.9 counts as exactly 54."""
    return 1e-9 * max(1.0, abs(bound))


def _at_least(value: float, bound: float) -> bool:
    return value >= bound - _slack(bound)


def _at_most(value: float, bound: float) -> bool:
    return value <= bound + _slack(bound)


def _clamp_pct(metric: MetricDef, x: float) -> float:
    return min(100.0, max(0.0, x)) if metric.is_percentage else x
