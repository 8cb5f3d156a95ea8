"""Adoption metrics: reading validation, glide paths, RAG status against the path, bounded
forecast with an uncertainty band.

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
- **Glide path** (``path_value``): inside a phase the target is not the gate target from
  day 1 but a path from where the phase starts to the gate target. The path starts at the
  previous phase's target (the last gate's target) or, for the first phase with a target,
  at the baseline; with neither, the path is flat at the gate target. Between the phase start
  (share 0) and its gate (share 1) the value is ``start + (target - start) x shape(share)``,
  ``share = days since the phase start / days from the phase start to the gate`` (clamped to
  0–1). Shapes (``Glide``): ``linear`` (``shape(s) = s``, the default), ``s-curve`` (adoption
  starts slowly, speeds up, levels off: ``3s² - 2s³``), and ``steps`` (a list of ``(share of
  the phase, share of the way)`` points: the path holds each step until the next one, and is
  the full target at the gate).
- ``metric_status`` looks at readings dated on or before ``today`` only, and judges the
  latest of them against the path **at that reading's date** (the status), and against the
  gate target itself (``target_status``: has it already reached the gate target?). The phase
  is the current one (or the most recent when ``today`` falls between or after phases).
- **Range** (``value_range``): a percentage lies in 0–100; any other metric whose baseline
  and targets are all 0 or more (counts, rates, days) is 0 or more; otherwise unbounded.
- **Forecast**: an ordinary least-squares line through the readings, ``x`` being the day
  offset from the earliest reading. Shown only with readings on at least
  ``MIN_FORECAST_DAYS`` (3) distinct days ("not enough data" otherwise), clamped to the
  metric's range, with an 80 % prediction band ``± t(0.90, n-2) x s x sqrt(1 + 1/n +
  (x0 - x̄)² / Sxx)`` (``s`` the residuals' standard error), also clamped to the range.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from numbers import Real
from types import MappingProxyType
from typing import Literal

from planner.domain.errors import Problem, ValidationError
from planner.domain.explain import Explanation, Quantity, Reason, Term
from planner.domain.numbers import number_problem

Direction = Literal["higher", "lower"]
Rag = Literal["green", "amber", "red"]
GlideShape = Literal["linear", "s-curve", "steps"]

#: Readings on fewer distinct days than this give "not enough data", not a forecast.
MIN_FORECAST_DAYS = 3

#: t quantile 0.90 (two-sided 80 % band) by degrees of freedom; above 30, the normal 1.2816.
_T90: tuple[float, ...] = (
    3.078, 1.886, 1.638, 1.533, 1.476, 1.440, 1.415, 1.397, 1.383, 1.372,
    1.363, 1.356, 1.350, 1.345, 1.341, 1.337, 1.333, 1.330, 1.328, 1.325,
    1.323, 1.321, 1.319, 1.318, 1.316, 1.315, 1.314, 1.313, 1.311, 1.310,
)  # fmt: skip

#: Units shown as a bare number (no suffix).
_BARE_UNITS = frozenset({"", "count", "ratio", "number"})


@dataclass(frozen=True)
class Glide:
    """The shape of a metric's path from a phase's start value to its gate target.

    ``steps`` holds ``(share of the phase elapsed, share of the way)`` pairs, both 0–1, for
    the ``steps`` shape (ignored otherwise). ``text`` and ``parse`` store it in one column:
    ``linear``, ``s-curve`` or ``steps 0.5:0.3 0.8:0.7``.

    Examples:
        >>> Glide().share(0.25), Glide("s-curve").share(0.25), Glide("s-curve").share(0.5)
        (0.25, 0.15625, 0.5)
        >>> g = Glide.parse("steps 0.5:0.3 0.8:0.7")
        >>> [g.share(t) for t in (0.0, 0.49, 0.5, 0.9, 1.0)], g.text
        ([0.0, 0.0, 0.3, 0.7, 1.0], 'steps 0.5:0.3 0.8:0.7')
    """

    shape: GlideShape = "linear"
    steps: tuple[tuple[float, float], ...] = ()

    def __post_init__(self) -> None:
        """Refuse an unknown shape, or steps outside 0–1 or not in time order."""
        if self.shape not in ("linear", "s-curve", "steps"):
            raise ValidationError.of("glide", "metric.glide.unknown", value=str(self.shape))
        steps = tuple((float(t), float(p)) for t, p in self.steps)
        object.__setattr__(self, "steps", steps)
        times = [t for t, _ in steps]
        if any(not (0 <= t <= 1 and 0 <= p <= 1) for t, p in steps) or times != sorted(set(times)):
            raise ValidationError.of("glide", "metric.glide.steps")

    def share(self, elapsed: float) -> float:
        """The share of the way from the start value to the target after ``elapsed`` (0–1)
        of the phase."""
        s = min(1.0, max(0.0, elapsed))
        if self.shape == "s-curve":
            return 3 * s * s - 2 * s * s * s
        if self.shape == "steps":
            if s >= 1.0:
                return 1.0
            reached = [p for t, p in self.steps if t <= s]
            return reached[-1] if reached else 0.0
        return s

    @property
    def text(self) -> str:
        """The stored form (see the class docstring)."""
        if self.shape != "steps":
            return self.shape
        return " ".join(
            ["steps", *(f"{format_number(t)}:{format_number(p)}" for t, p in self.steps)]
        )

    @classmethod
    def parse(cls, text: str | None) -> Glide:
        """The stored form read back; empty means linear."""
        words = (text or "").split()
        if not words:
            return cls()
        shape, rest = words[0], words[1:]
        if shape != "steps":
            if rest:
                raise ValidationError.of("glide", "metric.glide.unknown", value=str(text))
            return cls(shape)  # type: ignore[arg-type]  # shape was checked to be one of the Literal's values
        pairs: list[tuple[float, float]] = []
        for word in rest:
            at, _, reach = word.partition(":")
            try:
                pairs.append((float(at), float(reach)))
            except ValueError:
                raise ValidationError.of("glide", "metric.glide.step", value=word) from None
        return cls("steps", tuple(pairs))


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
    glide: Glide = field(default_factory=Glide)

    def __post_init__(self) -> None:
        """Freeze ``targets`` and refuse definitions no status could be computed from."""
        errors: list[Problem] = []
        if not self.key.strip():
            errors.append(Problem("key", "metric.key_required"))
        if self.direction not in ("higher", "lower"):
            errors.append(Problem("direction", "metric.direction", {"value": str(self.direction)}))
        frozen = MappingProxyType(dict(sorted(self.targets.items())))
        object.__setattr__(self, "targets", frozen)
        checked: list[tuple[str, float | None]] = [("baseline", self.baseline)]
        checked += [(f"targets[{k}]", v) for k, v in frozen.items()]
        for path, number in checked:
            if number is None:
                continue
            if not _is_finite_number(number):
                errors.append(Problem(path, "number.not_a_number", {"value": repr(number)}))
            elif self.is_percentage and not 0 <= number <= 100:
                errors.append(Problem(path, "metric.percentage", {"value": format_number(number)}))
        if errors:
            raise ValidationError(problems=errors)


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
            raise ValidationError.of(
                f"phases[{self.ordinal}].end",
                "metric.phase_ends_before_start",
                phase=str(self.ordinal),
                start=self.start.isoformat(),
                end=self.end.isoformat(),
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
    n: int = 0  # readings fitted
    x_mean: float = 0.0  # their mean day offset
    sxx: float = 0.0  # sum of squared day offsets from the mean
    residual_se: float | None = None  # residuals' standard error; None with two readings

    def half_band(self, day: date) -> float | None:
        """Half the width of the 80 % prediction band on ``day`` (None without a spread).

        Examples:
            >>> rs = [Reading(date(2024, 1, 1), 10.0), Reading(date(2024, 1, 8), 20.0),
            ...       Reading(date(2024, 1, 15), 24.0)]
            >>> f = linear_forecast(rs, date(2024, 1, 29))
            >>> # residuals -1, 2, -1: s = sqrt(6 / 1) = 2.4495; x0 = 28, mean 7, Sxx 98:
            >>> # 3.078 x 2.4495 x sqrt(1 + 1/3 + 441/98) = 3.078 x 2.4495 x 2.4152
            >>> round(f.half_band(date(2024, 1, 29)), 2)
            18.21
        """
        if self.residual_se is None or self.n < 3 or self.sxx <= 0:
            return None
        x0 = float((day - self.origin).days)
        t = _T90[self.n - 3] if self.n - 2 <= len(_T90) else 1.2816
        return t * self.residual_se * math.sqrt(1 + 1 / self.n + (x0 - self.x_mean) ** 2 / self.sxx)

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
            raise ValidationError.of("amber_tolerance", "metric.amber_fraction", value=repr(tol))

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
    """A metric judged on a day: the phase and gate target used, the latest reading, its
    status against the glide path, the forecast at the phase's gate date (with its band) and
    its status, and why (see ``metric_status``).

    ``status`` is None when there is no reading or no target; ``forecast_at_gate`` is None
    when there are readings on fewer than ``MIN_FORECAST_DAYS`` days or the gate has passed.
    """

    phase: PhaseSpan | None
    target: float | None
    latest: Reading | None
    status: Rag | None
    forecast_at_gate: float | None
    forecast_status: Rag | None
    reason: Reason
    forecast: Forecast | None = None
    #: the glide path on the latest reading's date (what ``status`` compares with)
    path_value: float | None = None
    #: the latest reading against the gate target itself (green: the target is reached)
    target_status: Rag | None = None
    #: the forecast's 80 % band at the gate, clamped to the metric's range
    forecast_low: float | None = None
    forecast_high: float | None = None
    #: False when judged for a phase that has not started on ``today``
    started: bool = True


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
        ...     for problem in e.problems:
        ...         print(f"{problem.field}: {problem.code}")
        value: metric.percentage
        date: metric.reading.day_taken
    """
    errors: list[Problem] = []
    if not isinstance(day, date):
        errors.append(Problem("date", "field.not_a_date"))
    else:
        if isinstance(day, datetime):  # keep the calendar day of a timestamp
            day = day.date()
        if not program_start <= day <= program_end:
            errors.append(
                Problem(
                    "date",
                    "metric.reading.outside",
                    {
                        "day": day.isoformat(),
                        "start": program_start.isoformat(),
                        "end": program_end.isoformat(),
                    },
                )
            )
    number, problem = _parse_number(value, allow_percent_sign=metric.is_percentage)
    if problem:
        errors.append(problem)
    elif number is not None and metric.is_percentage and not 0 <= number <= 100:
        errors.append(Problem("value", "metric.percentage", {"value": format_number(number)}))
    if isinstance(day, date) and day in set(existing_days):
        errors.append(
            Problem(
                "date", "metric.reading.day_taken", {"name": metric.name, "day": day.isoformat()}
            )
        )
    if errors or number is None:
        raise ValidationError(problems=errors)
    return number


def _parse_number(
    value: object, *, allow_percent_sign: bool
) -> tuple[float | None, Problem | None]:
    """``(number, None)`` or ``(None, the problem of the value)``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, Problem("value", "metric.value_required")
    if isinstance(value, bool):
        return None, Problem("value", "number.not_a_number", {"value": repr(value)})
    if isinstance(value, str):
        text = value.strip()
        if allow_percent_sign and text.endswith("%"):
            text = text[:-1].strip()
        try:
            number = float(text)
        except ValueError:
            return None, Problem("value", "number.not_a_number", {"value": f'"{value.strip()}"'})
    elif isinstance(value, Real):
        number = float(value)
    else:
        return None, Problem("value", "number.not_a_number", {"value": repr(value)})
    problem = number_problem(number, "value")
    if problem:
        return None, problem
    return number, None


def metric_number_problems(baseline: object, targets: Mapping[int, object]) -> list[Problem]:
    """The problems of a baseline or target outside the numeric policy
    (``planner.domain.numbers``); fields as ``MetricDef`` names them.

    Examples:
        >>> metric_number_problems(None, {1: 60.0})
        []
        >>> [p.field for p in metric_number_problems(-1e308, {1: 5.0, 2: 1e13})]
        ['baseline', 'targets[2]']
    """
    checked: list[tuple[str, object]] = [("baseline", baseline)]
    checked += [(f"targets[{k}]", v) for k, v in sorted(targets.items())]
    return [
        problem
        for path, number in checked
        if number is not None and (problem := number_problem(number, path)) is not None
    ]


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
        raise ValidationError.of("", "number.not_finite", value=f"{value!r}, {target!r}")
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


def value_range(metric: MetricDef) -> tuple[float | None, float | None]:
    """The values the metric can take: 0–100 for a percentage, 0 or more when the baseline
    and every target are 0 or more (counts, rates, days), else unbounded.

    Examples:
        >>> value_range(MetricDef("a", "Active", "%", "higher", 0.0, {1: 70.0}, True))
        (0.0, 100.0)
        >>> value_range(MetricDef("l", "Logins", "per week", "higher", 0.0, {1: 3.0}))
        (0.0, None)
        >>> value_range(MetricDef("n", "NPS", "points", "higher", -20.0, {1: 10.0}))
        (None, None)
    """
    if metric.is_percentage:
        return 0.0, 100.0
    known = [v for v in (metric.baseline, *metric.targets.values()) if v is not None]
    return (0.0, None) if all(v >= 0 for v in known) else (None, None)


def clamp_to_range(metric: MetricDef, x: float) -> float:
    """``x`` kept inside ``value_range(metric)``.

    Examples:
        >>> m = MetricDef("l", "Logins", "per week", "higher", 0.0, {1: 3.0})
        >>> clamp_to_range(m, -1.5), clamp_to_range(m, 7.0)
        (0.0, 7.0)
    """
    low, high = value_range(metric)
    if low is not None:
        x = max(low, x)
    if high is not None:
        x = min(high, x)
    return x


def _previous_phase(phases: Iterable[PhaseSpan], phase: PhaseSpan) -> PhaseSpan | None:
    earlier = [p for p in phases if (p.start, p.ordinal) < (phase.start, phase.ordinal)]
    return max(earlier, key=lambda p: (p.start, p.ordinal)) if earlier else None


def glide_start(metric: MetricDef, phases: Sequence[PhaseSpan], phase: PhaseSpan) -> float | None:
    """Where ``phase``'s glide path starts: the previous phase's target (the last gate's),
    else the baseline, else None (the path is then flat at the gate target).

    Examples:
        >>> m = MetricDef("a", "Active", "%", "higher", 10.0, {1: 50.0, 2: 80.0}, True)
        >>> ps = [PhaseSpan(0, date(2024, 1, 1), date(2024, 1, 31)),
        ...       PhaseSpan(1, date(2024, 2, 1), date(2024, 5, 10)),
        ...       PhaseSpan(2, date(2024, 5, 11), date(2024, 8, 18))]
        >>> glide_start(m, ps, ps[1]), glide_start(m, ps, ps[2])
        (10.0, 50.0)
    """
    before = _previous_phase(phases, phase)
    earlier = target_for(metric, before.ordinal) if before is not None else None
    return earlier if earlier is not None else metric.baseline


def path_value(
    metric: MetricDef, phases: Sequence[PhaseSpan], phase: PhaseSpan, day: date
) -> float | None:
    """The glide path of ``phase`` on ``day`` (None when the phase has no target).

    Before the phase starts it is the start value; from the gate on, the gate target.

    Examples:
        >>> m = MetricDef("a", "Active", "%", "higher", 10.0, {1: 50.0}, True)
        >>> ps = [PhaseSpan(1, date(2024, 1, 1), date(2024, 4, 10))]  # 100 days to the gate
        >>> [path_value(m, ps, ps[0], date(2024, 1, d)) for d in (1, 26)]  # 10 + 40 x 0.25
        [10.0, 20.0]
        >>> path_value(m, ps, ps[0], date(2024, 4, 10))
        50.0
    """
    target = target_for(metric, phase.ordinal)
    if target is None:
        return None
    start = glide_start(metric, phases, phase)
    if start is None:
        return target
    span = (phase.end - phase.start).days
    elapsed = 1.0 if span <= 0 else (day - phase.start).days / span
    return start + (target - start) * metric.glide.share(elapsed)


def glide_points(
    metric: MetricDef, phases: Sequence[PhaseSpan], samples: int = 12
) -> list[tuple[date, float]]:
    """Points of the glide path over every phase with a target, in date order, for a chart:
    the two ends of a linear path, ``samples`` + 1 points of an S-curve, and a vertical rise
    at each step (two points on one day).

    Examples:
        >>> m = MetricDef("a", "Active", "%", "higher", 10.0, {1: 50.0}, True)
        >>> ps = [PhaseSpan(1, date(2024, 1, 1), date(2024, 4, 10))]
        >>> [(d.isoformat(), v) for d, v in glide_points(m, ps)]
        [('2024-01-01', 10.0), ('2024-04-10', 50.0)]
    """
    points: list[tuple[date, float]] = []
    ordered = sorted(phases, key=lambda p: (p.start, p.ordinal))
    for phase in ordered:
        if target_for(metric, phase.ordinal) is None:
            continue
        span = (phase.end - phase.start).days
        if metric.glide.shape == "linear" or span <= 0:
            shares = [0.0, 1.0]
        elif metric.glide.shape == "s-curve":
            shares = [i / samples for i in range(samples + 1)]
        else:
            shares = [0.0, *(t for t, _ in metric.glide.steps), 1.0]
        for share in shares:
            day = phase.start + timedelta(days=round(share * span))
            value = path_value(metric, ordered, phase, day)
            assert value is not None
            if metric.glide.shape == "steps" and points and points[-1][0] <= day:
                # hold the previous step until this day, then rise
                points.append((day, points[-1][1]))
            points.append((day, value))
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
    return _least_squares(points, scale, until)


def _least_squares(points: list[Reading], scale: float, until: date) -> Forecast | None:
    """The line through ``points`` fitted on values divided by ``scale``, given back in the
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
    se = math.sqrt(ss_res / (n - 2)) * scale if n > 2 else None
    return Forecast(slope * scale, intercept * scale, value, r2, origin, until, n, x_mean, sxx, se)


# --------------------------------------------------------------------------- judgement


def metric_status(
    metric: MetricDef,
    readings: Iterable[Reading],
    phases: Sequence[PhaseSpan],
    today: date,
    rule: StatusRule,
    phase_ordinal: int | None = None,
) -> MetricStatus:
    """Judge a metric on ``today``: the latest reading against the phase's glide path on
    that reading's date (and against the gate target), and the linear forecast at the
    phase's gate date with its band (only while the gate is still ahead).

    Readings dated after ``today`` are ignored. The phase is ``phase_ordinal`` when given
    (to judge against a particular gate), else the current phase, else the most recent
    phase that has started (after the last gate, its final target still applies). A phase
    given by ordinal that has not started on ``today`` is not judged (``started`` False).

    The reason is ``metric.no_such_phase`` (``phase``), ``metric.not_started`` (``day``),
    ``metric.phase_not_started`` (``phase``, ``start``), ``metric.no_target`` (``phase``)
    or ``metric.no_reading`` (``phase``, ``target``) when there is nothing to judge; else
    two clauses: ``metric.on_path`` (``value``, ``day``, ``path``, ``phase``, ``target``,
    ``gate``, ``status`` and the ``rule`` around the path value), then
    ``metric.gate_passed`` (``gate``), ``metric.not_enough_data`` (``days``: how many are
    needed) or ``metric.forecast_band`` (``value``, ``low``, ``high``, ``gate``,
    ``status``; ``metric.forecast`` without ``low`` and ``high`` when they are equal).

    Examples:
        >>> m = MetricDef("active", "Active users", "%", "higher", 20.0, {1: 60.0}, True)
        >>> ps = [PhaseSpan(1, date(2024, 1, 1), date(2024, 4, 10))]  # 100 days
        >>> rs = [Reading(date(2024, 1, 11), 25.0), Reading(date(2024, 1, 21), 27.0),
        ...       Reading(date(2024, 1, 31), 32.0)]
        >>> s = metric_status(m, rs, ps, date(2024, 2, 1), StatusRule())
        >>> # the path on 31 Jan (day 30 of 100): 20 + 40 x 0.3 = 32, reached: green
        >>> s.path_value, s.status, s.target_status
        (32.0, 'green', 'red')
        >>> # x 0, 10, 20 days; slope (-10 x -3 + 10 x 4) / 200 = 0.35 a day, mean 28 on
        >>> # day 10; the gate is day 90: 28 + 0.35 x 80 = 56, within 10 % of 60: amber
        >>> round(s.forecast_at_gate, 2), s.forecast_status
        (56.0, 'amber')
        >>> [clause.code for clause in s.reason]
        ['metric.on_path', 'metric.forecast_band']
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
    if today < phase.start:
        return MetricStatus(
            phase,
            target,
            latest,
            None,
            None,
            None,
            Explanation("metric.phase_not_started", {"phase": phase.ordinal, "start": phase.start}),
            started=False,
        )
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
    on_path = path_value(metric, phases, phase, latest.day)
    assert on_path is not None  # the phase has a target
    now = status(metric, latest.value, on_path, rule)
    reached = status(metric, latest.value, target, rule)
    judged = Explanation(
        "metric.on_path",
        {
            "value": Quantity(latest.value, metric.unit),
            "day": latest.day,
            "path": Quantity(on_path, metric.unit),
            "phase": phase.ordinal,
            "target": t,
            "gate": phase.end,
            "status": Term("rag", now),
            "rule": rule.describe(metric, on_path),
        },
    )
    gate = phase.end
    forecast: Forecast | None = None
    forecast_value: float | None = None
    forecast_rag: Rag | None = None
    low: float | None = None
    high: float | None = None
    if today > gate:
        ahead = Explanation("metric.gate_passed", {"gate": gate})
    elif len({r.day for r in seen}) < MIN_FORECAST_DAYS:
        ahead = Explanation("metric.not_enough_data", {"days": MIN_FORECAST_DAYS})
    else:
        forecast = linear_forecast(seen, gate)
        assert forecast is not None  # readings on three days or more
        forecast_value = clamp_to_range(metric, forecast.value_at_until)
        forecast_rag = status(metric, forecast_value, target, rule)
        half = forecast.half_band(gate) or 0.0
        low = clamp_to_range(metric, forecast.value_at_until - half)
        high = clamp_to_range(metric, forecast.value_at_until + half)
        ahead = Explanation(
            "metric.forecast_band",
            {
                "value": Quantity(forecast_value, metric.unit),
                "low": Quantity(low, metric.unit),
                "high": Quantity(high, metric.unit),
                "gate": gate,
                "status": Term("rag", forecast_rag),
            },
        )
        if low == high:  # no spread left (an exact line, or clamped to the range's end)
            ahead = Explanation(
                "metric.forecast",
                {
                    "value": Quantity(forecast_value, metric.unit),
                    "gate": gate,
                    "status": Term("rag", forecast_rag),
                },
            )
    return MetricStatus(
        phase,
        target,
        latest,
        now,
        forecast_value,
        forecast_rag,
        (judged, ahead),
        forecast,
        path_value=on_path,
        target_status=reached,
        forecast_low=low,
        forecast_high=high,
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
